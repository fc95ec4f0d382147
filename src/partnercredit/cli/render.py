"""Rendering of core results in the terminal (rich)."""

from __future__ import annotations

import os
from collections.abc import Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from partnercredit.contract import TABLES
from partnercredit.errors import UsageError
from partnercredit.messages import Language, Refused
from partnercredit.messages import number as number_text
from partnercredit.messages import render as render_message
from partnercredit.periods import fiscal_year

if TYPE_CHECKING:
    from partnercredit.core import RunReport, ValidationReport
    from partnercredit.summary import RunSummary


_PIPED_WIDTH = 240
"""How wide output that goes to a file or a pipe may be (unless COLUMNS says otherwise): rich
would take 80 columns and break table cells inside words."""


def console(*, soft_wrap: bool = False) -> Console:
    """A console for data: values are shown as they are (no rich markup, emoji or
    highlighting in them); `soft_wrap`: lines are not wrapped."""
    shown = Console(markup=False, emoji=False, highlight=False, soft_wrap=soft_wrap)
    if not shown.is_terminal and "COLUMNS" not in os.environ:
        shown.width = _PIPED_WIDTH
    return shown


@dataclass(frozen=True)
class Wording:
    """Texts in one language, by their message codes."""

    language: Language
    type_labels: Mapping[str, Mapping[Language, str]]

    def __call__(self, code: str, /, **params: object) -> str:
        return render_message(code, params, self.language)

    def type(self, name: str) -> str:
        """An association type by its label in the rules, or by its name."""
        return self.type_labels.get(name, {}).get(self.language, name)

    def number(self, value: Decimal | int) -> str:
        return number_text(value, self.language)

    def period(self, period: str, fiscal_year_start_month: int) -> str:
        return period_label(period, fiscal_year_start_month, self.language)


@contextmanager
def refusals_in(language: Language) -> Iterator[None]:
    """A reader's refusal (a line or partner not in the run, ...) in the reader's language."""
    try:
        yield
    except Refused as refused:
        raise UsageError(refused.render(language)) from None


def input_counts(report: ValidationReport) -> Table:
    table = Table(title="Input rows", title_justify="left")
    for heading in ("table", "read", "accepted", "rejected", "collapsed"):
        table.add_column(heading, justify="left" if heading == "table" else "right")
    for name in TABLES:
        counts = report.counts[name]
        table.add_row(
            name,
            f"{counts.read:,}",
            f"{counts.accepted:,}",
            f"{counts.rejected:,}",
            f"{counts.collapsed:,}",
        )
    return table


def rejections(report: ValidationReport) -> Table:
    table = Table(title="Rejected rows by reason", title_justify="left")
    table.add_column("reason", no_wrap=True)
    table.add_column("rows", justify="right", no_wrap=True)
    for reason, rows in report.rejected_by_reason.items():
        table.add_row(reason, f"{rows:,}")
    return table


def rejection_examples(report: ValidationReport) -> list[str]:
    return [
        f"{example.reason}: {example.table} row {example.row_number}"
        + (f", {example.column}" if example.column else "")
        + (f" = {_short(example.value)!r}" if example.value is not None else "")
        + f": {example.message}"
        for example in report.examples
    ]


def _short(value: str | None, limit: int = 40) -> str:
    if value is None:
        return ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def show_validation(report: ValidationReport) -> None:
    out = console()
    out.print(input_counts(report))
    if report.rejected:
        out.print(rejections(report))
        out.print("First rejections of each reason:")
        for line in rejection_examples(report):
            out.print(f"  {line}")
    else:
        out.print("No rows were rejected.")


def period_label(period: str, fiscal_year_start_month: int, language: Language = "en") -> str:
    """A period with the fiscal year it falls in, e.g. 2016-09 (FY2017), 2016-09 (GJ 2017)."""
    year = fiscal_year(period, fiscal_year_start_month)
    return render_message("period_label", {"period": period, "year": year}, language)


def run_summary(summary: RunSummary, fiscal_year_start_month: int) -> list[Table]:
    tables = []
    credit = Table(title="Credit by program", title_justify="left")
    for heading in ("program", "revenue USD", "credited USD", "not credited USD", "partners"):
        credit.add_column(heading, justify="left" if heading == "program" else "right")
    for program in summary.programs:
        uncredited = sum(program.unattributed_usd.values(), Decimal("0.00"))
        credit.add_row(
            program.program,
            f"{program.revenue_usd:,}",
            f"{program.credited_usd:,}",
            f"{uncredited:,}",
            f"{program.partners:,}",
        )
    tables.append(credit)
    reasons = Table(title="Revenue credited to nobody, by reason", title_justify="left")
    for heading in ("program", "reason", "USD"):
        reasons.add_column(heading, justify="right" if heading == "USD" else "left")
    for program in summary.programs:
        for reason, amount in program.unattributed_usd.items():
            reasons.add_row(program.program, reason, f"{amount:,}")
    if reasons.row_count:
        tables.append(reasons)
    if summary.last_period:
        as_of = period_label(summary.last_period, fiscal_year_start_month)
        targets = Table(title=f"Partners attaining each target as of {as_of}", title_justify="left")
        for heading in ("program", "target", "partners"):
            targets.add_column(heading, justify="right" if heading == "partners" else "left")
        for program in summary.programs:
            for target, partners in program.attaining.items():
                targets.add_row(program.program, target, f"{partners:,}")
        tables.append(targets)
    payouts = Table(title="Payouts", title_justify="left")
    for heading in ("program", "eligible USD", "of it blocked", "earned USD"):
        payouts.add_column(heading, justify="left" if heading == "program" else "right")
    for program in summary.programs:
        if program.kind == "payout":
            payouts.add_row(
                program.program,
                f"{program.eligible_usd:,}",
                f"{program.blocked_usd:,}",
                f"{program.earned_usd:,}",
            )
    tables.append(payouts)
    return tables


def show_run(report: RunReport, fiscal_year_start_month: int) -> None:
    out = console()
    show_validation(report.validation)
    outputs = Table(title="Output rows", title_justify="left")
    outputs.add_column("table")
    outputs.add_column("rows", justify="right")
    for name, rows in report.outputs.items():
        outputs.add_row(name, f"{rows:,}")
    out.print(outputs)
    summary = report.summary
    if summary.first_period and summary.last_period:
        out.print(
            "Revenue periods: "
            f"{period_label(summary.first_period, fiscal_year_start_month)} to "
            f"{period_label(summary.last_period, fiscal_year_start_month)}"
        )
    for table in run_summary(summary, fiscal_year_start_month):
        out.print(table)
