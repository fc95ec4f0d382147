"""Under month_end and any_day proration (SPEC 7.8) the explanation says how the month was
decided, and each link's status agrees with the ledger (data: tiny_runs.PRORATION_TABLES).
"""

from __future__ import annotations

from pathlib import Path

import pytest

from partnercredit.explain import LinkExplanation, ProgramExplanation, explain_line
from tests.explain.tiny_runs import ProratedRun
from tests.explain_checks import check_explanations


def _program(run: Path, line_id: str, name: str = "full") -> ProgramExplanation:
    [program] = explain_line(run, line_id, program=name).programs
    return program


def _spans(link: LinkExplanation) -> list[tuple[str, str, str, dict[str, str]]]:
    return [
        (span.first_day.isoformat(), span.last_day.isoformat(), span.status, span.params)
        for span in link.spans
    ]


def _link(program: ProgramExplanation, source_id: str) -> LinkExplanation:
    return next(link for link in program.links if link.source_id == source_id)


@pytest.mark.parametrize("proration", ["daily", "month_end", "any_day"])
def test_link_statuses_agree_with_the_ledger(prorated_run: ProratedRun, proration: str) -> None:
    assert check_explanations(prorated_run(proration)) == 4


def test_month_end_the_last_day_decides(prorated_run: ProratedRun) -> None:
    run = prorated_run("month_end")
    nobody = _program(run, "L2")
    assert (nobody.proration_decision.code, nobody.proration_decision.params) == (
        "proration_month_end",
        {"day": "2016-04-30"},
    )
    assert nobody.partners == ()
    assert [(row.reason, row.days) for row in nobody.uncredited] == [("no_association", 30)]
    assert _spans(_link(nobody, "G1")) == [
        ("2016-04-01", "2016-04-19", "not_deciding", {"day": "2016-04-30"}),
        ("2016-04-20", "2016-04-30", "outside_interval", {}),
    ]
    line = _program(run, "L1")
    assert [(row.partner_id, row.association_type, row.days) for row in line.partners] == [
        ("P2", "dpor", 30),
        ("P3", "transacting", 30),
    ]
    assert _spans(_link(line, "E1")) == [
        ("2016-04-01", "2016-04-10", "not_deciding", {"day": "2016-04-30"}),
        ("2016-04-11", "2016-04-30", "outside_interval", {}),
    ]
    assert _spans(_link(line, "E3")) == [
        ("2016-04-01", "2016-04-30", "credited_month_end", {"day": "2016-04-30"})
    ]
    assert _spans(_link(line, "R1")) == [
        (
            "2016-04-01",
            "2016-04-30",
            "credited_as_month_end",
            {"day": "2016-04-30", "type": "dpor"},
        )
    ]


def test_any_day_credits_the_whole_month_with_the_best_type(prorated_run: ProratedRun) -> None:
    run = prorated_run("any_day")
    line = _program(run, "L1")
    assert (line.proration_decision.code, line.proration_decision.params) == (
        "proration_any_day",
        {},
    )
    assert [(row.partner_id, row.association_type, row.days) for row in line.partners] == [
        ("P1", "dpor", 30),
        ("P2", "dpor", 30),
        ("P3", "transacting", 30),
    ]
    assert _spans(_link(line, "E1")) == [
        ("2016-04-01", "2016-04-30", "credited_any_day", {"days": "10"})
    ]
    assert _spans(_link(line, "R1")) == [
        ("2016-04-01", "2016-04-30", "credited_as_any_day", {"days": "10", "type": "dpor"})
    ]
    assert _spans(_link(line, "L1")) == [
        ("2016-04-01", "2016-04-30", "credited_any_day", {"days": "15"})
    ]


def test_daily_keeps_the_days_as_they_are(prorated_run: ProratedRun) -> None:
    run = prorated_run("daily")
    line = _program(run, "L1")
    assert line.proration_decision.code == "proration_daily"
    assert _spans(_link(line, "R1")) == [
        ("2016-04-01", "2016-04-20", "outside_interval", {}),
        ("2016-04-21", "2016-04-24", "credited", {}),
        ("2016-04-25", "2016-04-30", "credited_as", {"type": "dpor"}),
    ]
