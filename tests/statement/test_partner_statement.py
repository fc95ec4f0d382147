"""`partner`: one partner's statement, checked on the worked example of SPEC 10."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

from partnercredit.statement import partner_statement
from tests.conftest import CliRunner
from tests.explain.tiny_runs import PRORATION_RULES, tiny_run


def test_statement_of_the_partner_of_record(worked_run: Path) -> None:
    statement = partner_statement(worked_run, "P1")
    assert statement.as_of_period == "2016-09"
    assert statement.first_period == "2015-10"
    competency = {
        (row.area, row.association_type): row.credit_usd
        for row in statement.credit
        if row.program == "competency"
    }
    # 2016-04 .. 2016-08 in full, 10 of 30 days of 2016-09: 5 * 1000 + 333.33
    assert competency == {("cloud_productivity", "dpor"): Decimal("5333.33")}
    payouts = [(line.period, line.earned_usd, line.rate) for line in statement.payouts]
    assert payouts[-1] == ("2016-09", Decimal("33.33"), "0.10")
    assert len(payouts) == 6


def test_as_of_moves_the_window(worked_run: Path) -> None:
    statement = partner_statement(worked_run, "P2", as_of="2016-06")
    assert statement.first_period == "2015-07"
    assert [(row.area, row.credit_usd) for row in statement.credit] == [
        ("cloud_productivity", Decimal("1000.00"))
    ]
    silver = next(t for t in statement.targets if t.target == "smb_cloud_silver")
    assert not silver.attained
    # seats 0 of 40; new customers 1 (C1 is new to P2) of 4
    assert [(r.key, r.value, r.gap) for r in silver.requirements] == [
        ("seats", Decimal("0.00"), Decimal("40.00")),
        ("new_customers", Decimal(1), Decimal(3)),
    ]


def test_cli_statement(worked_run: Path, run_cli: CliRunner) -> None:
    result = run_cli("partner", worked_run, "P5")
    assert result.exit_code == 0, result.stderr
    assert "2016-09 (FY2017)" in result.stdout
    assert "666.67" in result.stdout
    unknown = run_cli("partner", worked_run, "P404")
    assert unknown.exit_code == 2
    assert "partner 'P404' is not in this run" in unknown.stderr
    assert run_cli("partner", worked_run, "P1", "--as-of", "June").exit_code == 2


def test_the_window_of_the_first_periods_starts_at_0001_01(tmp_path: Path) -> None:
    """As attainment's windows do: no period comes before 0001-01 (a run of revenue in year 1
    once showed 'credit of 0000-03 (FY0)')."""
    rules = PRORATION_RULES.format(proration="daily")
    revenue = (
        "line_id,subscription_id,period,product,workload,amount,currency,quantity,"
        "transacting_partner_id\nL1,S1,0001-02,X1,,100.00,USD,,P3\n"
    )
    out = tiny_run(tmp_path, rules, revenue=revenue)
    statement = partner_statement(out, "P3")
    assert (statement.first_period, statement.as_of_period) == ("0001-01", "0001-02")
