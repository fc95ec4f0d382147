"""`partner`: one partner's statement, checked on the worked example of SPEC 10."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from partnercredit import core
from partnercredit.generate import generate_dataset
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
    assert payouts[-1] == ("2016-09", Decimal("33.33"), Decimal("0.10"))
    assert len(payouts) == 6


def test_windows_reaching_before_the_data_are_noted(
    worked_run: Path, tmp_path: Path, run_cli: CliRunner
) -> None:
    """The worked example's revenue starts in 2016-04: its 12 months of credit (and the two
    windows that new customers are measured over) reach back before it. Over 26 months of
    data, a statement of the last month reaches back to none of it."""
    statement = partner_statement(worked_run, "P5")
    assert (statement.data_from, statement.reaches_before_data) == ("2016-04", True)
    shown = run_cli("partner", worked_run, "P5").stdout
    assert "The run's revenue starts in 2016-04 (FY2016): earlier months count as" in shown
    data = tmp_path / "data"
    generate_dataset(data, subscriptions=30, months=26, seed=3)
    core.run(data, tmp_path / "out")
    [(partner_id,)] = duckdb.sql(
        f"SELECT min(partner_id) FROM '{tmp_path / 'out' / 'credits.parquet'}'"
    ).fetchall()
    later = partner_statement(tmp_path / "out", str(partner_id))
    assert (later.data_from, later.as_of_period) == ("2016-01", "2018-02")
    assert not later.reaches_before_data
    assert "revenue starts" not in run_cli("partner", tmp_path / "out", str(partner_id)).stdout


def test_payouts_are_those_of_the_statements_months(tmp_path: Path) -> None:
    """Over 26 months of data, the statement of the last month shows the payouts of its 12
    months (2017-03 to 2018-02), as its credit; earlier payouts are on earlier statements."""
    data = tmp_path / "data"
    generate_dataset(data, subscriptions=30, months=26, seed=3)
    core.run(data, tmp_path / "out")
    payouts = tmp_path / "out" / "payouts.parquet"
    [(partner_id, first_paid)] = duckdb.sql(
        f"SELECT partner_id, min(period) FROM '{payouts}' GROUP BY ALL ORDER BY 2, 1 LIMIT 1"
    ).fetchall()
    [(in_window,)] = duckdb.sql(
        f"SELECT count(*) FROM '{payouts}' WHERE partner_id = '{partner_id}' "
        "AND period BETWEEN '2017-03' AND '2018-02'"
    ).fetchall()
    assert first_paid < "2017-03"
    statement = partner_statement(tmp_path / "out", str(partner_id))
    assert statement.first_period == "2017-03"
    assert len(statement.payouts) == in_window
    assert all("2017-03" <= line.period <= "2018-02" for line in statement.payouts)
    earlier = partner_statement(tmp_path / "out", str(partner_id), as_of=first_paid)
    assert earlier.payouts and earlier.payouts[0].period == first_paid


def test_money_and_seat_minimums_are_whole_cents_with_two_places(
    tmp_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A minimum of 10.001 USD needs 10.01 (attainment compares whole cents): the statement
    shows the minimum that is to be reached and the gap to it in cents, as the value is, and
    a met requirement's gap as 0.00; a partner without credit in its months is told so."""
    monkeypatch.setenv("COLUMNS", "250")
    rules = PRORATION_RULES.format(proration="daily") + (
        '[[programs.full.targets]]\nname = "t"\narea = "all"\nrevenue_usd = 10.001\n'
        "seats = 0.5\ncustomers = 1\n"
    )
    revenue = (
        "line_id,subscription_id,period,product,workload,amount,currency,quantity,"
        "transacting_partner_id\nL1,S1,2016-05,X1,,10.00,USD,3,P3\n"
    )
    out = tiny_run(tmp_path, rules, revenue=revenue)
    [standing] = partner_statement(out, "P3").targets
    assert [(r.key, r.value, r.minimum, r.gap) for r in standing.requirements] == [
        ("revenue_usd", Decimal("10.00"), Decimal("10.01"), Decimal("0.01")),
        ("seats", Decimal("3.00"), Decimal("0.50"), Decimal("0.00")),
        ("customers", Decimal(1), Decimal(1), Decimal(0)),
    ]
    shown = run_cli("partner", out, "P3").stdout
    assert "│   revenue USD                │ 10.00 │   10.01 │ 0.01 │" in shown
    assert "No credit in these months." in run_cli("partner", out, "P1").stdout


def test_as_of_moves_the_window(worked_run: Path) -> None:
    statement = partner_statement(worked_run, "P2", as_of="2016-06")
    assert statement.first_period == "2015-07"
    assert [(row.area, row.credit_usd) for row in statement.credit] == [
        ("cloud_productivity", Decimal("1000.00"))
    ]
    silver = next(t for t in statement.targets if t.target == "smb_cloud_silver")
    assert not silver.attained
    # seats 0 of 40; new customers 1 (C1 is new to P2) of 4
    assert [(r.key, r.value, r.minimum, r.gap) for r in silver.requirements] == [
        ("seats", Decimal("0.00"), Decimal("40.00"), Decimal("40.00")),
        ("new_customers", Decimal(1), Decimal(4), Decimal(3)),
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


def test_cli_statement_in_german(
    worked_run: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Headings, sentences, association types (by their labels in the rules) and numbers
    (1.000,00) as a German reader writes them; ids, areas and periods as they are."""
    monkeypatch.setenv("COLUMNS", "250")  # labels unfolded
    english = run_cli("partner", worked_run, "P5")
    german = run_cli("partner", worked_run, "P5", "--lang", "de")
    assert german.exit_code == 0, german.stderr
    assert german.stdout.splitlines()[:2] == [
        "Partner P5 (Partner Five)",
        "Stand 2016-09 (GJ 2017); Anrechnung und Auszahlungen von 2015-10 (GJ 2016) bis "
        "2016-09 (GJ 2017)",
    ]
    for heading in ("Anrechnung nach Bereich und Zuordnungstyp", "Ziele", "Auszahlungen"):
        assert heading in german.stdout
    assert "666,67" in german.stdout
    assert "666.67" in english.stdout
    assert "Digital partner of record" in english.stdout
    assert "Digital Partner of Record" in german.stdout
    # Requirements by name, seats of the as-of month alone.
    assert "  seats in 2016-09 " in english.stdout
    assert "  Lizenzen im Monat 2016-09 " in german.stdout
    assert "  Neukunden (im Zeitraum davor keine Anrechnung über null) " in german.stdout
    assert "new_customers" not in german.stdout


@pytest.mark.parametrize(
    ("arguments", "english", "german"),
    [
        (("P404",), "partner 'P404' is not in this run", "Partner 'P404' ist nicht in diesem Lauf"),
        (
            ("P1", "--as-of", "2030-01"),
            "--as-of 2030-01: outside the run's revenue periods 2016-04 to 2016-09",
            "--as-of 2030-01: außerhalb der Umsatzmonate des Laufs, 2016-04 bis 2016-09",
        ),
        (
            ("P1", "--as-of", "June"),
            "--as-of: expected a period YYYY-MM, not 'June'",
            "--as-of: erwartet wird ein Monat der Form JJJJ-MM, nicht 'June'",
        ),
    ],
)
def test_cli_statement_refusals_speak_the_language(
    worked_run: Path, run_cli: CliRunner, arguments: tuple[str, ...], english: str, german: str
) -> None:
    for language, message in (("en", english), ("de", german)):
        result = run_cli("partner", worked_run, *arguments, "--lang", language)
        assert (result.exit_code, result.stderr) == (2, f"partnercredit: {message}\n")


def test_an_unknown_language_is_a_usage_error(worked_run: Path, run_cli: CliRunner) -> None:
    result = run_cli("partner", worked_run, "P1", "--lang", "fr")
    assert (result.exit_code, result.stderr) == (
        2,
        "partnercredit: --lang: use en or de, not 'fr'\n",
    )


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


def test_credit_of_products_in_no_area_is_shown_as_such(
    tmp_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """X1 matches no area's pattern: its credit is still the partner's, in a row of its own."""
    monkeypatch.setenv("COLUMNS", "250")
    rules = PRORATION_RULES.format(proration="daily").replace('all = ["*"]', 'azure = ["AZ*"]')
    revenue = (
        "line_id,subscription_id,period,product,workload,amount,currency,quantity,"
        "transacting_partner_id\nL1,S1,2016-05,X1,,100.00,USD,,P3\n"
    )
    out = tiny_run(tmp_path, rules, revenue=revenue)
    statement = partner_statement(out, "P3")
    assert {(row.area, row.credit_usd) for row in statement.credit} == {(None, Decimal("100.00"))}
    english = run_cli("partner", out, "P3")
    german = run_cli("partner", out, "P3", "--lang", "de")
    assert "│ full    │ (no area) │ transacting │" in english.stdout
    assert "│ full     │ (kein Bereich) │ transacting   │" in german.stdout
    # The rules have no targets: said so, not shown as an empty table.
    assert english.stdout.splitlines()[-2:] == ["No targets.", "No payouts in these months."]
    assert german.stdout.splitlines()[-2:] == [
        "Keine Ziele.",
        "Keine Auszahlungen in diesen Monaten.",
    ]
