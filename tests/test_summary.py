"""The summary at the end of a run agrees with the tables it summarises (hand-worked
scenarios: their expected files)."""

from __future__ import annotations

from collections import defaultdict
from decimal import Decimal
from pathlib import Path

import pytest

from partnercredit import core
from tests.conftest import TESTS, read_csv

SCENARIOS = TESTS / "scenarios"


@pytest.mark.parametrize("name", ["01_worked_example", "17_payouts", "03_excluded_category"])
def test_summary_totals_are_those_of_the_tables(name: str, tmp_path: Path) -> None:
    scenario = SCENARIOS / name
    report = core.run(scenario / "data", tmp_path / "out", rules=scenario / "rules.toml")
    expected_files = scenario / "expected"
    credited: dict[str, Decimal] = defaultdict(Decimal)
    for row in read_csv(expected_files / "credits.csv"):
        credited[row["program"]] += Decimal(row["credit_usd"])
    missing: dict[str, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    for row in read_csv(expected_files / "unattributed.csv"):
        missing[row["program"]][row["reason"]] += Decimal(row["uncredited_usd"])
    payouts = (
        read_csv(expected_files / "payouts.csv")
        if (expected_files / "payouts.csv").exists()
        else None
    )
    for program in report.summary.programs:
        assert program.credited_usd == credited[program.program]
        assert program.unattributed_usd == dict(missing[program.program])
        if payouts is None or program.kind != "payout":
            continue
        rows = [row for row in payouts if row["program"] == program.program]
        assert program.eligible_usd == sum(Decimal(row["eligible_usd"]) for row in rows)
        assert program.earned_usd == sum(Decimal(row["earned_usd"]) for row in rows)
        assert program.blocked_usd == sum(
            Decimal(row["eligible_usd"]) for row in rows if row["blocked_reason"]
        )
