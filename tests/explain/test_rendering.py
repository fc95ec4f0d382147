"""`partnercredit explain` as text in English and German, and as JSON."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import CliRunner
from tests.explain.tiny_runs import ProratedRun, tiny_run

pytestmark = pytest.mark.usefixtures("wide_terminal")

ENGLISH_WORDS = (
    "Line ",
    "Program ",
    "subscription ",
    "customer ",
    "category ",
    "line ",
    " to ",
    " until ",
    "open end",
    "nobody",
    "credited to",
    "proration",
    "days",
)


def test_german_text_has_no_english_left(
    worked_run: Path, prorated_run: ProratedRun, run_cli: CliRunner
) -> None:
    worked = run_cli("explain", worked_run, "--line", "L09", "--lang", "de")
    assert worked.exit_code == 0, worked.stderr
    assert (
        "Umsatzzeile L09: O365-E3, 2016-09 (30 Tage), Abonnement S1 von Kunde C1" in worked.stdout
    )
    assert "Programm competency: Zielerreichung, volle Anrechnung" in worked.stdout
    assert "P5: 20 von 30 Tagen als Digital Partner of Record: 666,67 USD" in worked.stdout
    assert "Abonnement S1, ab 2016-09-11, unbefristet" in worked.stdout
    # E1 ends where E2 starts: its last day is the 10th, which "bis 2016-09-11" would hide.
    assert "Abonnement S1, 2016-01-01 bis ausschließlich 2016-09-11" in worked.stdout
    assert "2016-09-01 bis 2016-09-10: gilt und wird angerechnet" in worked.stdout
    nobody = run_cli("explain", prorated_run("month_end"), "--line", "L2", "--lang", "de")
    assert nobody.exit_code == 0, nobody.stderr
    assert "der letzte Tag des Monats, 2016-04-30, entscheidet" in nobody.stdout
    assert "G2: dpor, niemand, Abonnement S2, ab 2016-04-20, unbefristet" in nobody.stdout
    assert "2016-04-01 bis 2016-04-19: gilt, aber nur der letzte Tag" in nobody.stdout
    assert "30 Tage niemandem angerechnet (keine Zuordnung gilt): 100,00 USD" in nobody.stdout
    for english in ENGLISH_WORDS:
        assert english not in worked.stdout + nobody.stdout, english


def test_types_show_by_their_label(worked_run: Path, run_cli: CliRunner) -> None:
    result = run_cli("explain", worked_run, "--line", "L09", "--program", "competency")
    assert "P5: 20 of 30 days as Digital partner of record: 666.67 USD" in result.stdout
    assert "dpor_events E2: Digital partner of record, P5, subscription S1" in result.stdout
    assert (
        "dpor_events E1: Digital partner of record, P1, subscription S1, 2016-01-01 until "
        "2016-09-11 (exclusive)" in result.stdout
    )
    document = json.loads(run_cli("explain", worked_run, "--line", "L09", "--json").stdout)
    assert document["type_labels"]["dpor"] == {
        "en": "Digital partner of record",
        "de": "Digital Partner of Record",
    }
    assert {link["type"] for link in document["programs"][0]["links"]} >= {"dpor"}


def test_unknown_language_is_a_usage_error(worked_run: Path, run_cli: CliRunner) -> None:
    result = run_cli("explain", worked_run, "--line", "L09", "--lang", "fr")
    assert result.exit_code == 2
    assert result.stdout == ""
    assert result.stderr.count("\n") == 1
    assert "--lang" in result.stderr and "'fr'" in result.stderr


RATE_RULES = """
[association_types.dpor]
precedence = 1
[areas]
all = ["*"]
[programs.full]
kind = "attainment"
policies = [ { from = 2000-01-01, types = ["dpor"] } ]
"""


def test_rates_are_plain_decimals(tmp_path: Path, run_cli: CliRunner) -> None:
    out = tiny_run(
        tmp_path,
        RATE_RULES,
        revenue="line_id,subscription_id,period,product,workload,amount,currency\n"
        "L1,S1,2016-04,X1,,0.000003,JPY\nL2,S1,2016-04,X1,,2.00,CHF\nL3,S1,2016-04,X1,,2,GBP\n",
        fx_rates="period,currency,usd_per_unit\n"
        "2016-04,JPY,5000\n2016-04,CHF,5000.000000000000\n2016-04,GBP,0.100000000001\n",
    )
    shown = {
        "L1": "0.000003 JPY at 5,000 USD per JPY = 0.02 USD",
        "L2": "2 CHF at 5,000 USD per CHF = 10,000.00 USD",
        "L3": "2 GBP at 0.100000000001 USD per GBP = 0.20 USD",
    }
    for line_id, conversion in shown.items():
        text = run_cli("explain", out, "--line", line_id).stdout
        assert conversion in text, text
        document = json.loads(run_cli("explain", out, "--line", line_id, "--json").stdout)
        # The document holds the plain decimal; only the text groups the thousands.
        amount, rate = conversion.split(" ")[0], conversion.split(" at ")[1].split(" ")[0]
        assert (document["amount"], document["usd_per_unit"]) == (amount, rate.replace(",", ""))
    german = run_cli("explain", out, "--line", "L2", "--lang", "de").stdout
    assert "2 CHF zu 5.000 USD je CHF = 10.000,00 USD" in german, german


def test_a_late_recorded_link_shows_where_it_counts_from(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    rules = RATE_RULES.replace("precedence = 1", "precedence = 1\nretroactive = false")
    out = tiny_run(
        tmp_path,
        rules,
        revenue="line_id,subscription_id,period,product,workload,amount,currency\n"
        "L1,S1,2016-04,X1,,30.00,USD\n",
        dpor_events="event_id,subscription_id,workload,partner_id,effective_date,recorded_at\n"
        "E1,S1,,P1,2016-04-01,2016-04-10T08:00:00Z\n",
    )
    text = run_cli("explain", out, "--line", "L1").stdout
    assert "dpor_events E1: dpor, P1, subscription S1, 2016-04-01 until open end, counted " in text
    assert "from 2016-04-10" in text
