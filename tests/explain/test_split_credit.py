"""Under split credit the explanation says how many partners shared each day and each row's
exact share of the line (SPEC 7.8-7.9); every program says from when its policies hold."""

from __future__ import annotations

import json
from datetime import date
from decimal import ROUND_HALF_EVEN, Decimal
from fractions import Fraction
from pathlib import Path

import pytest

from partnercredit.explain import ProgramExplanation, explain_line
from tests.conftest import CliRunner
from tests.explain.tiny_runs import TYPES_RULES, ProratedRun, tiny_run

pytestmark = pytest.mark.usefixtures("wide_terminal")

SPLIT_RULES = (
    TYPES_RULES
    + """[programs.split]
kind = "attainment"
credit = "split"
policies = [
  { from = 2016-03-10, types = ["dpor", "transacting", "delegated_admin"] },
  { from = 2016-05-20, types = ["dpor", "transacting", "delegated_admin"] },
]
[programs.full]
kind = "attainment"
policies = [ { from = 2016-03-10, types = ["dpor", "transacting", "delegated_admin"] } ]
"""
)
"""Two policies of `split` count the same types: the second starts within the month."""

SPLIT_TABLES = {
    "revenue": "line_id,subscription_id,period,product,workload,amount,currency,quantity,"
    "transacting_partner_id\nL1,S1,2016-05,X1,,979.28,USD,12,P3\n",
    "dpor_events": "event_id,subscription_id,workload,partner_id,effective_date,recorded_at\n"
    "E1,S1,,P1,2016-01-01,\n",
    "delegated_admin": "relationship_id,partner_id,customer_id,granted_on,revoked_on,recorded_at\n"
    "R1,P2,C1,2016-05-25,,\n",
}
"""L1 (2016-05, D = 31): 979.28 USD, 12 seats. P1 (partner of record) and P3 (transacting) on
every day, P2 (delegated admin) from the 25th: 2 partners on 24 days, 3 on 7. P1 and P3 each
get 24/62 + 7/93 = 86/186 = 43/93 of the line: 979.28 * 43 / 93 = 452.785... -> 452.79 USD,
12 * 43 / 93 = 5.548... -> 5.55 seats; P2 gets 7/93: 73.709... -> 73.71 USD, 0.903... -> 0.90.
"""


@pytest.fixture(scope="module")
def split_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_run(tmp_path_factory.mktemp("split"), SPLIT_RULES, **SPLIT_TABLES)


def _program(run: Path, name: str, **asked: str) -> ProgramExplanation:
    [program] = explain_line(run, "L1", program=name, **asked).programs
    return program


def test_split_says_how_many_partners_shared_each_day(split_run: Path) -> None:
    split = _program(split_run, "split")
    assert [
        (span.first_day.day, span.last_day.day, span.partners) for span in split.partners_on_days
    ] == [(1, 24, 2), (25, 31, 3)]
    shares = {
        row.partner_id: (
            row.credit_usd,
            row.seat_credit,
            [(part.days, part.partners) for part in row.share.parts],
            row.share.fraction,
        )
        for row in split.partners
        if row.share is not None
    }
    assert shares == {
        "P1": (Decimal("452.79"), Decimal("5.55"), [(24, 2), (7, 3)], Fraction(43, 93)),
        "P2": (Decimal("73.71"), Decimal("0.90"), [(7, 3)], Fraction(7, 93)),
        "P3": (Decimal("452.79"), Decimal("5.55"), [(24, 2), (7, 3)], Fraction(43, 93)),
    }


def test_full_credit_stays_compact(split_run: Path) -> None:
    full = _program(split_run, "full")
    assert full.partners_on_days == ()
    assert [row.share for row in full.partners] == [None, None, None]


def test_the_days_shared_are_the_same_whichever_partner_is_asked_about(split_run: Path) -> None:
    asked = _program(split_run, "split", partner="P2")
    assert [row.partner_id for row in asked.partners] == ["P2"]
    assert asked.partners_on_days == _program(split_run, "split").partners_on_days


def _cents(value: Fraction) -> Decimal:
    exact = Decimal(value.numerator) / Decimal(value.denominator)
    return exact.quantize(Decimal("0.01"), rounding=ROUND_HALF_EVEN)


@pytest.mark.parametrize("proration", ["daily", "month_end", "any_day"])
def test_every_split_row_follows_from_its_share(prorated_run: ProratedRun, proration: str) -> None:
    """credit_usd = amount_usd * share, seat_credit = quantity * share, rounded half to
    even; the share's days are the row's."""
    run = prorated_run(proration)
    rows = 0
    for line_id in ("L1", "L2"):
        explanation = explain_line(run, line_id, program="split")
        for row in explanation.programs[0].partners:
            assert row.share is not None
            amount = Fraction(explanation.amount_usd)
            assert _cents(amount * row.share.fraction) == row.credit_usd, (line_id, row)
            assert _cents(explanation.quantity * row.share.fraction) == row.seat_credit
            assert sum(part.days for part in row.share.parts) == row.days
            rows += 1
    assert rows > 0


def test_each_policy_says_from_when_it_holds(split_run: Path) -> None:
    """The two policies of `split` count the same types; each keeps its own days."""
    split = _program(split_run, "split")
    assert [
        (policy.first_day.day, policy.last_day.day, policy.policy_from) for policy in split.policies
    ] == [(1, 19, date(2016, 3, 10)), (20, 31, date(2016, 5, 20))]


def test_cli_shows_the_shares_in_english_and_german(split_run: Path, run_cli: CliRunner) -> None:
    english = run_cli("explain", split_run, "--line", "L1", "--program", "split")
    assert english.exit_code == 0, english.stderr
    assert english.stdout.splitlines()[5:10] == [
        "  2016-05-01 to 2016-05-19: the policy from 2016-03-10 counts dpor, transacting, "
        "delegated_admin",
        "  2016-05-20 to 2016-05-31: the policy from 2016-05-20 counts dpor, transacting, "
        "delegated_admin",
        "  Split credit: each day is shared equally by the partners credited on it.",
        "    2016-05-01 to 2016-05-24: 2 partners credited, each 1/62 of the amount a day",
        "    2016-05-25 to 2016-05-31: 3 partners credited, each 1/93 of the amount a day",
    ]
    assert (
        "  = P1: 31 of 31 days as dpor: 452.79 USD, 5.55 seats\n"
        "      share of the amount: 24/62 + 7/93 = 43/93; 979.28 USD × 43/93 = 452.79 USD "
        "(rounded half to even); 12 seats × 43/93 = 5.55 seats\n"
        "  = P2: 7 of 31 days as delegated_admin: 73.71 USD, 0.90 seats\n"
        "      share of the amount: 7/93; 979.28 USD × 7/93 = 73.71 USD (rounded half to even); "
        "12 seats × 7/93 = 0.90 seats\n"
    ) in english.stdout
    german = run_cli("explain", split_run, "--line", "L1", "--program", "split", "--lang", "de")
    assert german.stdout.splitlines()[5:10] == [
        "  2016-05-01 bis 2016-05-19: die Richtlinie ab 2016-03-10 berücksichtigt dpor, "
        "transacting, delegated_admin",
        "  2016-05-20 bis 2016-05-31: die Richtlinie ab 2016-05-20 berücksichtigt dpor, "
        "transacting, delegated_admin",
        "  Geteilte Anrechnung: jeder Tag wird zu gleichen Teilen unter den an diesem Tag "
        "angerechneten Partnern aufgeteilt.",
        "    2016-05-01 bis 2016-05-24: 2 Partner angerechnet, je Partner und Tag 1/62 des Betrags",
        "    2016-05-25 bis 2016-05-31: 3 Partner angerechnet, je Partner und Tag 1/93 des Betrags",
    ]
    assert (
        "      Anteil am Betrag: 24/62 + 7/93 = 43/93; 979,28 USD × 43/93 = 452,79 USD "
        "(gerundet, ein halber Cent zur geraden Ziffer); 12 Lizenzen × 43/93 = 5,55 Lizenzen"
    ) in german.stdout.splitlines()
    full = run_cli("explain", split_run, "--line", "L1", "--program", "full").stdout
    assert "Split credit" not in full and "share of the amount" not in full
    assert "  2016-05-01 to 2016-05-31: the policy from 2016-03-10 counts dpor" in full


def test_one_partner_alone_gets_the_whole_day(
    prorated_run: ProratedRun, run_cli: CliRunner
) -> None:
    """L2 of PRORATION_TABLES: P1 alone, on 19 of 30 days."""
    run = prorated_run("daily")
    english = run_cli("explain", run, "--line", "L2", "--program", "split").stdout
    assert "    2016-04-01 to 2016-04-19: 1 partner credited, 1/30 of the amount a day" in english
    assert (
        "      share of the amount: 19/30; 100.00 USD × 19/30 = 63.33 USD (rounded half to even)\n"
        in english
    )
    german = run_cli("explain", run, "--line", "L2", "--program", "split", "--lang", "de").stdout
    assert "    2016-04-01 bis 2016-04-19: 1 Partner angerechnet, je Tag 1/30 des Betrags" in german


def test_json_holds_the_shares_and_the_policies_start(split_run: Path, run_cli: CliRunner) -> None:
    result = run_cli("explain", split_run, "--line", "L1", "--partner", "P1", "--json")
    programs = {program["program"]: program for program in json.loads(result.stdout)["programs"]}
    split = programs["split"]
    assert split["partners_on_days"] == [
        {"first_day": "2016-05-01", "last_day": "2016-05-24", "partners": 2},
        {"first_day": "2016-05-25", "last_day": "2016-05-31", "partners": 3},
    ]
    assert split["partners"][0]["share"] == {
        "parts": [{"days": 24, "partners": 2}, {"days": 7, "partners": 3}],
        "fraction": "43/93",
    }
    assert [policy["policy_from"] for policy in split["policies"]] == ["2016-03-10", "2016-05-20"]
    assert programs["full"]["partners_on_days"] == []
    assert programs["full"]["partners"][0]["share"] is None
