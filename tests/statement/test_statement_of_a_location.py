"""The statement of a location (a partner with a parent) when a program credits organisations
(`rollup = "root"`, SPEC 7.4 and 8).

Partners ORG (root) and LOC (parent ORG); LOC is partner of record of S1. competency credits
roots and needs revenue_usd >= 1000 in a one-month window; incentives credits LOC itself and
requires competency.cloud_platform_silver. L1: S1 2016-04 AZURE-VM 1500.00 USD.

competency: ORG 1500.00 in 2016-04 -> ORG attains. incentives: LOC eligible 1500.00, judged by
the partner it rolls up to in competency (ORG): earned 75.00, not blocked.
"""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from partnercredit import core
from partnercredit.statement import partner_statement
from tests.conftest import CliRunner

RULES = """
[association_types.dpor]
precedence = 1
exclusive = true

[areas]
cloud_platform = ["AZURE*"]

[programs.competency]
kind = "attainment"
window_months = 1
rollup = "root"
policies = [ { from = 2000-01-01, types = ["dpor"] } ]
[[programs.competency.targets]]
name = "cloud_platform_silver"
area = "cloud_platform"
revenue_usd = 1000

[programs.incentives]
kind = "payout"
policies = [ { from = 2000-01-01, types = ["dpor"] } ]
rates = [ { area = "cloud_platform", rate = 0.05 } ]
requires_any = ["competency.cloud_platform_silver"]
"""

DATA = {
    "partners": "partner_id,name,country,parent_partner_id\nORG,Org,US,\nLOC,Org Seattle,US,ORG\n",
    "customers": "customer_id,name,country\nC1,Customer One,US\n",
    "subscriptions": "subscription_id,customer_id,offer,category\nS1,C1,Azure plan,paid\n",
    "revenue": "line_id,subscription_id,period,product,workload,amount,currency,quantity\n"
    "L1,S1,2016-04,AZURE-VM,,1500.00,USD,0\n",
    "dpor_events": "event_id,subscription_id,workload,partner_id,effective_date\n"
    "E1,S1,,LOC,2015-01-01\n",
}


@pytest.fixture(scope="module")
def location_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("location")
    data = folder / "data"
    data.mkdir()
    for table, text in DATA.items():
        (data / f"{table}.csv").write_text(text, encoding="utf-8")
    (folder / "rules.toml").write_text(RULES, encoding="utf-8")
    core.run(data, folder / "out", rules=folder / "rules.toml")
    return folder / "out"


def test_a_root_program_target_shows_the_organisation_standing(location_run: Path) -> None:
    statement = partner_statement(location_run, "LOC")
    [standing] = statement.targets
    assert standing.attained
    assert [(r.value, r.gap) for r in standing.requirements] == [
        (Decimal("1500.00"), Decimal("0.00"))
    ]
    assert standing.measured_partner_id == "ORG"
    # The payout the standing explains: LOC unblocked by its organisation's competency.
    assert [(line.earned_usd, line.blocked_reason) for line in statement.payouts] == [
        (Decimal("75.00"), "")
    ]


def test_root_program_credit_is_pointed_to_not_shown_as_nothing(location_run: Path) -> None:
    statement = partner_statement(location_run, "LOC")
    assert statement.programs_credited_to_root == ("competency",)
    assert {row.program for row in statement.credit} == {"incentives"}
    organisation = partner_statement(location_run, "ORG")
    assert organisation.programs_credited_to_root == ()
    assert [(row.program, row.credit_usd) for row in organisation.credit] == [
        ("competency", Decimal("1500.00"))
    ]
    assert organisation.targets[0].measured_partner_id == "ORG"


def test_cli_names_the_organisation(location_run: Path, run_cli: CliRunner) -> None:
    result = run_cli("partner", location_run, "LOC")
    assert result.exit_code == 0, result.stderr
    assert "judged on its organisation ORG" in result.stdout
    assert "competency: the credit goes to the organisation ORG and is on" in result.stdout


ENGLISH_WORDS = (
    "As of",
    "credit",
    "Credit",
    "Targets",
    "Payouts",
    "area",
    "type",
    "value",
    "minimum",
    "gap",
    "attained",
    "yes",
    "period",
    "eligible",
    "earned",
    "blocked",
    "lines",
    "judged",
    "organisation",
    "location",
    "statement",
    "FY",
)


def test_german_statements_have_no_english_left(
    location_run: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A location whose program credits its organisation, judged on the organisation's
    standing; the organisation, which has no payouts. Ids, areas, programs, targets and
    requirement keys are the rules' and the data's own."""
    monkeypatch.setenv("COLUMNS", "250")
    location = run_cli("partner", location_run, "LOC", "--lang", "de")
    organisation = run_cli("partner", location_run, "ORG", "--lang", "de")
    assert location.exit_code == organisation.exit_code == 0
    lines = location.stdout.splitlines()
    assert lines[:2] == [
        "Partner LOC (Org Seattle), ein Standort von ORG",
        "Stand 2016-04 (GJ 2016); Anrechnung und Auszahlungen von 2015-05 (GJ 2015) bis "
        "2016-04 (GJ 2016)",
    ]
    assert (
        "competency: Die Anrechnung erhält die Organisation ORG; sie steht in der Aufstellung "
        "von ORG." in lines
    )
    assert (
        "competency.cloud_platform_silver: bewertet nach dem Stand der Organisation ORG." in lines
    )
    # The payout: 1.500,00 at a rate of 0,05 earns 75,00.
    assert any("1.500,00" in line and "0,05" in line and "75,00" in line for line in lines), (
        location.stdout
    )
    assert organisation.stdout.splitlines()[-1] == "Keine Auszahlungen in diesen Monaten."
    for english in ENGLISH_WORDS:
        assert english not in location.stdout + organisation.stdout, english
