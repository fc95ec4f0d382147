"""`explain`: the derivation of one line, agreeing with the run's ledger."""

from __future__ import annotations

import json
from decimal import Decimal
from pathlib import Path

import duckdb
import pytest

from partnercredit.explain import explain_line
from partnercredit.messages import render
from tests.conftest import TESTS, CliRunner
from tests.explain.tiny_runs import PRORATION_RULES, ProratedRun, tiny_run
from tests.explain_checks import check_explanations
from tests.scenario_helpers import SCENARIOS, run_scenario


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda path: path.name)
def test_explanations_agree_with_the_ledger(scenario: Path, tmp_path: Path) -> None:
    out = run_scenario(scenario, tmp_path / "out")
    check_explanations(out)


def test_worked_example_september(worked_run: Path) -> None:
    """SPEC 10, 2016-09: P1 10 days, P5 20 days as DPOR; P2, P3, P4 the whole month."""
    explanation = explain_line(worked_run, "L09")
    competency = next(p for p in explanation.programs if p.program == "competency")
    credits = {(row.partner_id, row.association_type): row for row in competency.partners}
    assert credits[("P1", "dpor")].days == 10
    assert credits[("P1", "dpor")].credit_usd == Decimal("333.33")
    assert credits[("P5", "dpor")].credit_usd == Decimal("666.67")
    assert {partner for partner, _ in credits} == {"P1", "P2", "P3", "P4", "P5"}
    incentives = next(p for p in explanation.programs if p.program == "incentives")
    transacting = next(link for link in incentives.links if link.type == "transacting")
    assert [span.status for span in transacting.spans] == ["not_counted"]


def test_cli_text_and_json(worked_run: Path, run_cli: CliRunner) -> None:
    result = run_cli("explain", worked_run, "--line", "L09", "--program", "competency")
    assert result.exit_code == 0, result.stderr
    assert "P5: 20 of 30 days as Digital partner of record: 666.67 USD" in result.stdout
    assert "incentives" not in result.stdout
    german = run_cli("explain", worked_run, "--line", "L09", "--lang", "de")
    assert "von 30 Tagen" in german.stdout
    as_json = run_cli("explain", worked_run, "--line", "L09", "--partner", "P5", "--json")
    document = json.loads(as_json.stdout)
    # The amount as the data has it (whole: no places), the USD amount in cents.
    assert (document["amount"], document["amount_usd"]) == ("1000", "1000.00")
    competency = document["programs"][0]
    assert [row["partner_id"] for row in competency["partners"]] == ["P5"]
    assert {link["partner_id"] for link in competency["links"]} == {"P5"}
    # UTC, said so: a browser would read a time without offset as its own local time.
    assert competency["links"][0]["recorded_at"] == "2016-09-11T00:00:00+00:00"


def test_long_amounts_are_shown_with_every_digit(tmp_path: Path, run_cli: CliRunner) -> None:
    out = run_scenario(TESTS / "scenarios" / "21_long_amounts", tmp_path / "out")
    largest = run_cli("explain", out, "--line", "MA")
    assert "999,999,999,999.999999999999999999999999 USD" in largest.stdout
    assert "1,000,000,000,000.00 USD" in largest.stdout
    tiny_refund = run_cli("explain", out, "--line", "MB", "--json")
    assert json.loads(tiny_refund.stdout)["amount_usd"] == "0.00"


def test_unknown_line_is_a_usage_error(worked_run: Path, run_cli: CliRunner) -> None:
    result = run_cli("explain", worked_run, "--line", "NOPE")
    assert result.exit_code == 2
    assert "line 'NOPE' is not in this run" in result.stderr


def test_rejected_line_says_why(tmp_path: Path, run_cli: CliRunner) -> None:
    data = TESTS / "fixtures" / "validation" / "cascade_customer" / "data"
    assert run_cli("run", data, "--out", tmp_path / "out").exit_code == 0
    result = run_cli("explain", tmp_path / "out", "--line", "L2")
    assert result.exit_code == 2
    assert result.stderr == (
        "partnercredit: line 'L2' was rejected (revenue row 2): subscription_id \"S2\" was itself "
        "rejected (see its own row), so this row cannot be used either.\n"
    )
    # rejected holds SPEC 9's columns only; the message codes are kept under inputs/.
    rejected = duckdb.sql(f"DESCRIBE SELECT * FROM '{tmp_path / 'out' / 'rejected.parquet'}'")
    spec_columns = ["table", "row_number", "key", "column", "value", "reason", "message"]
    assert [row[0] for row in rejected.fetchall()] == spec_columns
    german = run_cli("explain", tmp_path / "out", "--line", "L2", "--lang", "de")
    assert german.exit_code == 2
    assert german.stderr == (
        "partnercredit: Umsatzzeile 'L2' wurde abgelehnt (Datenzeile 2 der Umsätze): "
        'subscription_id "S2" wurde '
        "selbst abgelehnt (siehe dessen Zeile), daher kann auch diese Zeile nicht verwendet "
        "werden.\n"
    )


def test_a_rejected_partner_says_why(tmp_path: Path, run_cli: CliRunner) -> None:
    """P2 is its own parent: rejected, and --partner P2 says so (in the language asked for)."""
    data = TESTS / "fixtures" / "validation" / "cycle_self" / "data"
    assert run_cli("run", data, "--out", tmp_path / "out").exit_code == 0
    asked = ("explain", tmp_path / "out", "--line", "L1", "--partner", "P2")
    english, german = run_cli(*asked), run_cli(*asked, "--lang", "de")
    assert (english.exit_code, german.exit_code) == (2, 2)
    assert english.stderr.startswith(
        "partnercredit: --partner: partner 'P2' was rejected (partners row 2): This partner's "
    )
    assert german.stderr.startswith(
        "partnercredit: --partner: Partner 'P2' wurde abgelehnt (Datenzeile 2 der Partner): "
    )
    assert len(english.stderr.splitlines()) == len(german.stderr.splitlines()) == 1


def test_an_unknown_partner_is_a_usage_error(worked_run: Path, run_cli: CliRunner) -> None:
    """Not an explanation in which nobody is credited: that would read as no credit."""
    result = run_cli("explain", worked_run, "--line", "L09", "--partner", "P6")
    assert result.exit_code == 2
    assert result.stderr == "partnercredit: --partner: partner 'P6' is not in this run\n"


@pytest.mark.parametrize(
    ("asked", "english", "german"),
    [
        (
            ("--line", "NOPE"),
            "line 'NOPE' is not in this run",
            "Umsatzzeile 'NOPE' ist nicht in diesem Lauf",
        ),
        (
            ("--line", "L09", "--partner", "P6"),
            "--partner: partner 'P6' is not in this run",
            "--partner: Partner 'P6' ist nicht in diesem Lauf",
        ),
        (
            ("--line", "L09", "--program", "nope"),
            "--program: the run's rules have no program 'nope'",
            "--program: Die Regeln des Laufs kennen kein Programm 'nope'",
        ),
    ],
    ids=["line", "partner", "program"],
)
def test_refusals_speak_the_language_asked_for(
    worked_run: Path, run_cli: CliRunner, asked: tuple[str, ...], english: str, german: str
) -> None:
    for language, expected in (("en", english), ("de", german)):
        result = run_cli("explain", worked_run, *asked, "--lang", language)
        assert result.exit_code == 2
        assert result.stderr == f"partnercredit: {expected}\n"


def test_a_removal_says_whose_partner_it_removes(tmp_path: Path) -> None:
    """E2 removes the subscription's DPOR, W2 only workload EXCH's: on line L1 (workload EXCH)
    after W2, P1 (the subscription's DPOR) is credited again."""
    out = tiny_run(
        tmp_path,
        PRORATION_RULES.format(proration="daily"),
        revenue="line_id,subscription_id,period,product,workload,amount,currency,quantity,"
        "transacting_partner_id\nL1,S1,2016-07,X1,EXCH,100.00,USD,,\n",
        dpor_events="event_id,subscription_id,workload,partner_id,effective_date,recorded_at\n"
        "E1,S1,,P1,2016-01-01,\nW1,S1,EXCH,P2,2016-01-01,\nW2,S1,EXCH,,2016-07-11,\n"
        "E2,S1,,,2016-07-21,\n",
    )
    full = next(p for p in explain_line(out, "L1").programs if p.program == "full")
    spans = {link.source_id: link.spans for link in full.links}
    removal = {"type": "dpor", "workload": "EXCH"}
    assert [(span.status, span.params) for span in spans["W2"]][-1] == (
        "removal_of_workload",
        removal,
    )
    assert [(span.status, span.params) for span in spans["E2"]][-1] == ("removal", {"type": "dpor"})
    label = {"type": "Digital partner of record"}  # as the CLI words the default rules' dpor
    assert render("removal_of_workload", {**removal, **label}, "en") == (
        "ends the Digital partner of record for workload EXCH (not the subscription's)"
    )
    assert render("removal", label, "de") == (
        "beendet Digital partner of record für das Abonnement"
    )


def test_a_location_under_rollup_root_sees_its_organisations_credit(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    """Scenario 13: LOC2 (under LOC1, under ORG) is linked to L1; the program credits ORG, so
    --partner LOC2 shows ORG's credit, not nothing (P9's is not shown)."""
    out = run_scenario(TESTS / "scenarios" / "13_rollup_root", tmp_path / "out")
    (competency,) = explain_line(out, "L1", partner="LOC2").programs
    assert {link.credited_as for link in competency.links} == {"ORG"}
    assert [
        (row.partner_id, row.association_type, row.credit_usd) for row in competency.partners
    ] == [
        ("ORG", "dpor", Decimal("33.33")),
        ("ORG", "transacting", Decimal("33.33")),
    ]
    assert not competency.partner_not_linked
    assert competency.organisation == "ORG"
    shown = " ".join(run_cli("explain", out, "--line", "L1", "--partner", "LOC2").stdout.split())
    assert (
        "LOC2 is credited as part of ORG; the credit of ORG below comes from the links of all "
        "its locations" in shown
    )
    assert explain_line(out, "L1", partner="ORG").programs[0].organisation is None


def test_a_partner_without_links_to_the_line_is_said_so(
    prorated_run: ProratedRun, run_cli: CliRunner
) -> None:
    """P3 has no link to L2 (subscription S2 of customer C2): each program says so rather
    than showing nothing about the partner asked about."""
    out = prorated_run("daily")
    explanation = explain_line(out, "L2", partner="P3")
    assert explanation.partner == "P3"
    assert all(p.partner_not_linked for p in explanation.programs)
    result = run_cli("explain", out, "--line", "L2", "--partner", "P3")
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert lines.count("  P3 has no association with this line") == len(explanation.programs)
    german = run_cli("explain", out, "--line", "L2", "--partner", "P3", "--lang", "de")
    assert "  P3 hat keine Zuordnung zu dieser Zeile" in german.stdout.splitlines()
    assert not any(p.partner_not_linked for p in explain_line(out, "L2", partner="P1").programs)
    linked = run_cli("explain", out, "--line", "L2", "--partner", "P1")
    assert "has no association" not in linked.stdout
