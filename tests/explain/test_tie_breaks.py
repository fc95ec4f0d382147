"""A link shadowed by the winner of its exclusive type says which tie-break decided (SPEC 7.6),
and a partner asked about that is linked but earns nothing is told so."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from partnercredit.explain import explain_line
from tests.conftest import CliRunner
from tests.explain.tiny_runs import BASE_TABLES, tiny_run
from tests.explain_checks import check_explanations

pytestmark = pytest.mark.usefixtures("wide_terminal")

TIE_RULES = """
[association_types.advisor]
precedence = 1
exclusive = true
retroactive = false
[association_types.delegated_admin]
precedence = 2
exclusive = true
[areas]
all = ["*"]
[programs.full]
kind = "attainment"
policies = [ { from = 2000-01-01, types = ["advisor", "delegated_admin"] } ]
"""

TIE_TABLES = {
    "customers": BASE_TABLES["customers"] + "".join(f"C{n},Customer {n},US\n" for n in range(2, 7)),
    "subscriptions": BASE_TABLES["subscriptions"]
    + "".join(f"S{n},C{n},Offer,paid\n" for n in range(2, 7)),
    "revenue": "line_id,subscription_id,period,product,workload,amount,currency\n"
    "L1,S1,2016-04,X1,W1,300.00,USD\nL2,S2,2016-04,X1,,300.00,USD\n"
    "L3,S3,2016-04,X1,,300.00,USD\nL4,S4,2016-04,X1,,300.00,USD\n"
    "L5,S5,2016-04,X1,,300.00,USD\nL6,S6,2016-04,X1,,300.00,USD\n",
    "associations": "association_id,type,partner_id,customer_id,subscription_id,workload,"
    "valid_from,valid_to,recorded_at\n"
    "A1,advisor,P1,C1,,,2016-04-01,,\nA2,advisor,P2,C1,,W1,2016-03-01,,\n"
    "B1,advisor,P1,,S2,,2016-04-01,,2016-04-21T00:00:00Z\nB2,advisor,P2,,S2,,2016-04-11,,\n"
    "D1,advisor,P1,,S3,,2016-03-01,,2016-03-01T08:00:00Z\n"
    "D2,advisor,P2,,S3,,2016-03-01,,2016-03-01T09:30:00Z\n"
    "G10,advisor,P1,,S4,,2016-01-01,,\nG9,advisor,P2,,S4,,2016-01-01,,\n"
    "H1,advisor,P1,,S6,,2016-01-01,,\nH10,advisor,P2,,S6,,2016-01-01,,\n"
    "R1,delegated_admin,P1,C5,,,2016-01-01,,\n",
    "delegated_admin": "relationship_id,partner_id,customer_id,granted_on,revoked_on,recorded_at\n"
    "R1,P2,C5,2016-01-01,,\n",
}
"""One contest per line, each decided by a later tie-break than the one before:
L1 (workload W1): A2 (customer C1, workload W1) wins over A1 (customer C1), although A1
starts later: it is more specific.
L2: B1 starts on 2016-04-01 but, not retroactive and recorded on the 21st, counts from
2016-04-21; from then on it wins over B2 (from 2016-04-11) by its later start.
L3: D1 and D2 start on the same day; D2 was recorded later that day.
L4: G9 wins over G10: the greater id compared as text; L6: H10 over H1, its prefix.
L5: R1 of delegated_admin and R1 of associations are alike but for their table; the later
table name (delegated_admin) wins.
"""


@pytest.fixture(scope="module")
def tie_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return tiny_run(tmp_path_factory.mktemp("ties"), TIE_RULES, **TIE_TABLES)


def _spans(
    run: Path, line_id: str
) -> dict[tuple[str, str], list[tuple[int, int, str, dict[str, str]]]]:
    [program] = explain_line(run, line_id).programs
    return {
        (link.source_table, link.source_id): [
            (span.first_day.day, span.last_day.day, span.status, span.params) for span in link.spans
        ]
        for link in program.links
    }


def test_each_shadowed_link_names_the_deciding_tie_break(tie_run: Path) -> None:
    assert _spans(tie_run, "L1")[("associations", "A1")] == [
        (1, 30, "shadowed_more_specific", {"by": "A2"})
    ]
    assert _spans(tie_run, "L2") == {
        ("associations", "B1"): [
            (1, 20, "recorded_late", {"recorded": "2016-04-21"}),
            (21, 30, "credited", {}),
        ],
        ("associations", "B2"): [
            (1, 10, "outside_interval", {}),
            (11, 20, "credited", {}),
            (21, 30, "shadowed_later_start", {"by": "B1", "start": "2016-04-21"}),
        ],
    }
    assert _spans(tie_run, "L3")[("associations", "D1")] == [
        (1, 30, "shadowed_later_recorded", {"by": "D2", "recorded": "2016-03-01 09:30:00 UTC"})
    ]
    assert _spans(tie_run, "L4")[("associations", "G10")] == [
        (1, 30, "shadowed_greater_id", {"by": "G9"})
    ]
    assert _spans(tie_run, "L6")[("associations", "H1")] == [
        (1, 30, "shadowed_greater_id", {"by": "H10"})
    ]
    assert _spans(tie_run, "L5")[("associations", "R1")] == [
        (1, 30, "shadowed_later_table", {"by": "R1", "table": "delegated_admin"})
    ]
    assert check_explanations(tie_run) == 6


@pytest.mark.parametrize(
    ("line_id", "english", "german"),
    [
        (
            "L1",
            "shadowed by A2, which wins for this exclusive type: it is more specific",
            "verdrängt durch A2, das bei diesem exklusiven Typ Vorrang hat, weil es "
            "spezifischer ist",
        ),
        (
            "L2",
            "shadowed by B1, which wins for this exclusive type: it counts from a later day, "
            "2016-04-21",
            "verdrängt durch B1, das bei diesem exklusiven Typ Vorrang hat, weil es ab einem "
            "späteren Tag gezählt wird: ab 2016-04-21",
        ),
        (
            "L3",
            "shadowed by D2, which wins for this exclusive type: it was recorded later "
            "(2016-03-01 09:30:00 UTC)",
            "verdrängt durch D2, das bei diesem exklusiven Typ Vorrang hat, weil es später "
            "erfasst wurde (2016-03-01 09:30:00 UTC)",
        ),
        (
            "L4",
            "shadowed by G9, which wins for this exclusive type: its id is greater (compared "
            "as text)",
            "verdrängt durch G9, das bei diesem exklusiven Typ Vorrang hat, weil seine Kennung "
            "größer ist (als Text verglichen)",
        ),
        (
            "L5",
            "shadowed by R1 of delegated_admin, which wins for this exclusive type: the ids "
            "are the same and its table's name sorts later",
            "verdrängt durch R1 aus delegated_admin, das bei diesem exklusiven Typ Vorrang hat, "
            "weil die Kennungen gleich sind und der Name seiner Tabelle später einsortiert wird",
        ),
    ],
    ids=["more_specific", "later_start", "later_recorded", "greater_id", "later_table"],
)
def test_the_cli_says_only_the_deciding_tie_break(
    tie_run: Path, run_cli: CliRunner, line_id: str, english: str, german: str
) -> None:
    for language, expected in (("en", english), ("de", german)):
        result = run_cli("explain", tie_run, "--line", line_id, "--lang", language)
        assert result.exit_code == 0, result.stderr
        assert expected in result.stdout, result.stdout


def test_a_linked_partner_without_credit_is_said_so(tie_run: Path, run_cli: CliRunner) -> None:
    """P1's G10 is shadowed on L4 every day: P1 is linked but earns nothing, and P2's credit
    is not shown when P1 alone is asked about."""
    [program] = explain_line(tie_run, "L4", partner="P1").programs
    assert (program.partner_not_credited, program.partner_not_linked) == (True, False)
    assert program.partners == ()
    [everyone] = explain_line(tie_run, "L4").programs
    assert not everyone.partner_not_credited
    [credited] = explain_line(tie_run, "L4", partner="P2").programs
    assert not credited.partner_not_credited
    [unlinked] = explain_line(tie_run, "L3", partner="P3").programs
    assert (unlinked.partner_not_credited, unlinked.partner_not_linked) == (False, True)
    asked = ("explain", tie_run, "--line", "L4", "--partner", "P1")
    english = run_cli(*asked).stdout.splitlines()
    assert english[-1] == (
        "  = P1 has no credit on this line in this program (only P1 was asked about: the "
        "credit of other partners is not shown)"
    )
    german = run_cli(*asked, "--lang", "de").stdout.splitlines()
    assert german[-1] == (
        "  = P1 erhält in diesem Programm keine Anrechnung für diese Zeile (gefragt wurde nur "
        "nach P1: die Anrechnung anderer Partner wird nicht gezeigt)"
    )
    document = json.loads(run_cli(*asked, "--json").stdout)
    assert document["programs"][0]["partner_not_credited"] is True
    assert "has no credit" not in run_cli("explain", tie_run, "--line", "L4").stdout
