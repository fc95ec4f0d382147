"""What an explanation must agree with: the run's own ledger."""

from __future__ import annotations

from collections import Counter
from datetime import timedelta
from pathlib import Path

import pyarrow.parquet as pq

from partnercredit.explain import LineExplanation, explain_line
from partnercredit.outputs.run_facts import read_run_facts
from partnercredit.outputs.run_layout import parquet_path
from partnercredit.outputs.tables import CREDITS

CREDITED = ("credited", "credited_month_end", "credited_any_day")
"""The statuses of a link that credits its partner as its own type (SPEC 7.7-7.8)."""


def credited_days(explanation: LineExplanation, program: str) -> Counter[tuple[str, str]]:
    """Days per (partner, type) on which the explanation says a link was credited."""
    days: set[tuple[str, str, object]] = set()
    for explained in explanation.programs:
        if explained.program != program:
            continue
        for link in explained.links:
            for span in link.spans:
                if span.status not in CREDITED:
                    continue
                for offset in range(span.days):
                    assert link.credited_as is not None
                    days.add((link.credited_as, link.type, span.first_day + timedelta(offset)))
    return Counter((partner, link_type) for partner, link_type, _ in days)


def check_explanations(run_dir: Path) -> int:
    """Explain every line of a run and compare its amount in USD and its credited days with
    the ledger.

    Returns the number of (line, program) pairs checked."""
    lines = pq.read_table(run_dir / "inputs" / "revenue.parquet").column("line_id").to_pylist()
    credits = pq.read_table(
        parquet_path(run_dir, CREDITS, read_run_facts(run_dir).output_format),
        columns=["line_id", "amount_usd"],
    )
    amounts_usd = dict(zip(*(column.to_pylist() for column in credits.columns), strict=True))
    checked = 0
    for line_id in lines:
        explanation = explain_line(run_dir, line_id)
        if line_id in amounts_usd:
            assert explanation.amount_usd == amounts_usd[line_id], line_id
        for program in explanation.programs:
            ledger = Counter(
                {(row.partner_id, row.association_type): row.days for row in program.partners}
            )
            assert credited_days(explanation, program.program) == ledger, (line_id, program)
            credited = sum(ledger.values())
            uncredited = sum(row.days for row in program.uncredited)
            assert uncredited <= explanation.days_in_period
            assert credited >= explanation.days_in_period - uncredited or not ledger
            checked += 1
    return checked
