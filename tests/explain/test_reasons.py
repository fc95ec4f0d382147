"""Why a link did or did not credit its partner, day by day: the statuses `explain_line` gives
each association of a line, and the line's uncredited reasons, on hand-worked scenarios. The
expected spans are read from each scenario's README.md (tests/scenarios), not from a run."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest

from partnercredit.explain import LinkExplanation, ProgramExplanation, Span, explain_line
from tests.conftest import TESTS
from tests.scenario_helpers import run_scenario

Spans = list[tuple[int, int, str, dict[str, str]]]
"""A link's spans as (first day of the month, last day, status, parameters)."""


class _Runs(dict[str, Path]):
    """Each scenario is run once, on first use."""

    def __init__(self, factory: pytest.TempPathFactory) -> None:
        super().__init__()
        self.factory = factory

    def __missing__(self, name: str) -> Path:
        scenario = TESTS / "scenarios" / name
        out = run_scenario(scenario, self.factory.mktemp(name) / "out")
        self[name] = out
        return out


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> _Runs:
    return _Runs(tmp_path_factory)


def _competency(run: Path, line_id: str) -> ProgramExplanation:
    [program] = explain_line(run, line_id, program="competency").programs
    return program


def _spans(link: LinkExplanation) -> Spans:
    return [(span.first_day.day, span.last_day.day, *_reason(span)) for span in link.spans]


def _reason(span: Span) -> tuple[str, dict[str, str]]:
    """The span's status; a link shadowed by the winner of its exclusive type as `shadowed`
    by that winner, whichever tie-break of SPEC 7.6 decided (not what these tests are about)."""
    if span.status.startswith("shadowed"):
        return "shadowed", {"by": span.params["by"]}
    return span.status, span.params


def _links(program: ProgramExplanation) -> dict[str, Spans]:
    return {link.source_id: _spans(link) for link in program.links}


def _uncredited(program: ProgramExplanation) -> list[tuple[str, int, Decimal]]:
    return [(row.reason, row.days, row.uncredited_usd) for row in program.uncredited]


def _credited(program: ProgramExplanation) -> list[tuple[str, str, int, Decimal]]:
    return [
        (row.partner_id, row.association_type, row.days, row.credit_usd) for row in program.partners
    ]


def test_excluded_category(runs: _Runs) -> None:
    """03: L2 (trial) has P1 as partner of record, but trial is excluded: the link is
    excluded_category all 30 days and so is the line, 200.00. L5 (benefit) has no link at
    all: still excluded_category (first in the order of reasons), not no_association.
    L3's `Trial` is not `trial`: P1 is credited."""
    run = runs["03_excluded_category"]
    trial = _competency(run, "L2")
    assert trial.category_excluded
    assert _links(trial) == {"E2": [(1, 30, "excluded_category", {"category": "trial"})]}
    assert _credited(trial) == []
    assert _uncredited(trial) == [("excluded_category", 30, Decimal("200.00"))]

    benefit = _competency(run, "L5")
    assert benefit.category_excluded
    assert _links(benefit) == {}
    assert _uncredited(benefit) == [("excluded_category", 30, Decimal("500.00"))]

    capital = _competency(run, "L3")
    assert not capital.category_excluded
    assert _links(capital) == {"E3": [(1, 30, "credited", {})]}
    assert _credited(capital) == [("P1", "dpor", 30, Decimal("300.00"))]
    assert _uncredited(capital) == []


def test_no_policy_and_not_counted(runs: _Runs) -> None:
    """04: policies from 2016-06-11 [dpor] and from 2016-07-16 [dpor, transacting]."""
    run = runs["04_policy_boundaries"]
    may = _competency(run, "L1")
    assert [(p.first_day.day, p.last_day.day, p.types) for p in may.policies] == [(1, 31, None)]
    assert _links(may) == {"E1": [(1, 31, "no_policy", {})]}
    assert _uncredited(may) == [("no_policy", 31, Decimal("500.00"))]

    june = _competency(run, "L2")
    assert _links(june) == {"E1": [(1, 10, "no_policy", {}), (11, 30, "credited", {})]}
    assert _credited(june) == [("P1", "dpor", 20, Decimal("666.67"))]
    assert _uncredited(june) == [("no_policy", 10, Decimal("333.33"))]

    # L3: P2 transacts; no policy before 06-11, then dpor only: type_not_counted.
    transacted = _competency(run, "L3")
    assert _links(transacted) == {
        "L3": [(1, 10, "no_policy", {}), (11, 30, "not_counted", {"since": "2016-06-11"})]
    }
    assert _credited(transacted) == []
    assert _uncredited(transacted) == [
        ("no_policy", 10, Decimal("333.33")),
        ("type_not_counted", 20, Decimal("666.67")),
    ]

    july = _competency(run, "L4")
    assert [(p.first_day.day, p.last_day.day, p.types) for p in july.policies] == [
        (1, 15, ("dpor",)),
        (16, 31, ("dpor", "transacting")),
    ]
    assert _links(july) == {
        "L4": [(1, 15, "not_counted", {"since": "2016-06-11"}), (16, 31, "credited", {})]
    }
    assert _credited(july) == [("P2", "transacting", 16, Decimal("516.13"))]
    assert _uncredited(july) == [("type_not_counted", 15, Decimal("483.87"))]


def test_dpor_events_overtaken_removed_shadowed(runs: _Runs) -> None:
    """06: on 2016-04-11 E5 (08:00) and E2 (09:00, id E2 < E4) are overtaken by E4 the same
    day; E6 removes the partner of record from 04-21; W1 is for workload EXCHANGE only, and on
    L2 (EXCHANGE) it shadows the subscription-wide partners from 04-06."""
    run = runs["06_dpor_events"]
    plain = _competency(run, "L1")
    assert _links(plain) == {
        "E1": [(1, 10, "credited", {}), (11, 30, "outside_interval", {})],
        "E5": [(1, 30, "overtaken", {})],
        "E2": [(1, 30, "overtaken", {})],
        "E4": [
            (1, 10, "outside_interval", {}),
            (11, 20, "credited", {}),
            (21, 30, "outside_interval", {}),
        ],
        "E6": [(1, 20, "outside_interval", {}), (21, 30, "removal", {"type": "dpor"})],
        "W1": [(1, 30, "other_workload", {"workload": "EXCHANGE"})],
    }
    assert _credited(plain) == [
        ("P1", "dpor", 10, Decimal("100.00")),
        ("P4", "dpor", 10, Decimal("100.00")),
    ]
    assert _uncredited(plain) == [("no_association", 10, Decimal("100.00"))]

    exchange = _competency(run, "L2")
    assert _links(exchange) == {
        "W1": [(1, 5, "outside_interval", {}), (6, 30, "credited", {})],
        "E1": [
            (1, 5, "credited", {}),
            (6, 10, "shadowed", {"by": "W1"}),
            (11, 30, "outside_interval", {}),
        ],
        "E5": [(1, 30, "overtaken", {})],
        "E2": [(1, 30, "overtaken", {})],
        "E4": [
            (1, 10, "outside_interval", {}),
            (11, 20, "shadowed", {"by": "W1"}),
            (21, 30, "outside_interval", {}),
        ],
        "E6": [(1, 20, "outside_interval", {}), (21, 30, "removal", {"type": "dpor"})],
    }
    assert _credited(exchange) == [
        ("P1", "dpor", 5, Decimal("50.00")),
        ("P5", "dpor", 25, Decimal("250.00")),
    ]
    assert _uncredited(exchange) == []


def test_dpor_recorded_late(runs: _Runs) -> None:
    """07 (dpor not retroactive): E2 (P2, effective 04-11) was recorded on 04-21 and E4 (P3,
    effective 04-11) at 2016-04-21T01:30+02:00, on its UTC date 04-20: recorded_late until
    then. The previous partner's interval still ends on 04-11: a gap."""
    run = runs["07_dpor_not_retroactive"]
    first = _competency(run, "L1")
    assert _links(first) == {
        "E1": [(1, 10, "credited", {}), (11, 30, "outside_interval", {})],
        "E2": [
            (1, 10, "outside_interval", {}),
            (11, 20, "recorded_late", {"recorded": "2016-04-21"}),
            (21, 30, "credited", {}),
        ],
    }
    assert _uncredited(first) == [("no_association", 10, Decimal("100.00"))]

    offset = _competency(run, "L2")
    assert _links(offset) == {
        "E3": [(1, 10, "credited", {}), (11, 30, "outside_interval", {})],
        "E4": [
            (1, 10, "outside_interval", {}),
            (11, 19, "recorded_late", {"recorded": "2016-04-20"}),
            (20, 30, "credited", {}),
        ],
    }
    assert _credited(offset) == [
        ("P1", "dpor", 10, Decimal("100.00")),
        ("P3", "dpor", 11, Decimal("110.00")),
    ]
    assert _uncredited(offset) == [("no_association", 9, Decimal("90.00"))]


def test_other_workload(runs: _Runs) -> None:
    """14: pal links of C1 and S1 with and without workloads; a line matches those without a
    workload and those of its own workload."""
    run = runs["14_workload_scoping"]
    whole = [(1, 30, "credited", {})]
    exchange = [(1, 30, "other_workload", {"workload": "EXCHANGE"})]
    sharepoint = [(1, 30, "other_workload", {"workload": "SHAREPOINT"})]
    assert _links(_competency(run, "L1")) == {
        "A1": whole,
        "A2": exchange,
        "A3": whole,
        "A4": sharepoint,
        "A6": exchange,
        "A7": sharepoint,
    }
    assert _links(_competency(run, "L2")) == {
        "A1": whole,
        "A2": whole,
        "A3": whole,
        "A4": sharepoint,
        "A6": [(1, 15, "outside_interval", {}), (16, 30, "credited", {})],
        "A7": sharepoint,
    }
    # L3 is on S2: A3, A4 and A6 (scoped to S1) are not its links at all.
    assert _links(_competency(run, "L3")) == {
        "A1": whole,
        "A2": exchange,
        "A5": whole,
        "A7": whole,
    }


def test_recorded_late_other_types(runs: _Runs) -> None:
    """23: delegated_admin R1 (granted 03-01, recorded 04-11, revoked 04-26) and pal A1
    (from 04-01, recorded 2016-04-21T23:30-02:00, UTC 04-22) are not retroactive; A2 was
    recorded before its start 04-16, which stands."""
    run = runs["23_not_retroactive_other_types"]
    march = _competency(run, "L1")
    assert _links(march) == {
        "R1": [(1, 31, "recorded_late", {"recorded": "2016-04-11"})],
        "R2": [(1, 31, "outside_interval", {})],
        "A1": [(1, 31, "outside_interval", {})],
        "A2": [(1, 31, "outside_interval", {})],
    }
    assert _uncredited(march) == [("no_association", 31, Decimal("310.00"))]

    april = _competency(run, "L2")
    assert _links(april) == {
        "R1": [
            (1, 10, "recorded_late", {"recorded": "2016-04-11"}),
            (11, 25, "credited", {}),
            (26, 30, "outside_interval", {}),
        ],
        "R2": [(1, 5, "outside_interval", {}), (6, 30, "credited", {})],
        "A1": [(1, 21, "recorded_late", {"recorded": "2016-04-22"}), (22, 30, "credited", {})],
        "A2": [(1, 15, "outside_interval", {}), (16, 30, "credited", {})],
    }
    assert _uncredited(april) == [("no_association", 5, Decimal("50.00"))]


def test_type_not_declared(runs: _Runs) -> None:
    """26: transacting and fasttrack are not declared: P2's transacting (of the line) and P3's
    FastTrack link nobody, so L1's first ten days are no_association; L2's pal (declared,
    counted by no policy) is not_counted: type_not_counted."""
    run = runs["26_undeclared_builtin_types"]
    first = _competency(run, "L1")
    assert _links(first) == {
        "L1": [(1, 30, "type_not_declared", {})],
        "F1": [(1, 30, "type_not_declared", {})],
        "E1": [(1, 10, "outside_interval", {}), (11, 30, "credited", {})],
        "R1": [(1, 20, "outside_interval", {}), (21, 30, "credited", {})],
    }
    assert _credited(first) == [
        ("P1", "dpor", 20, Decimal("200.00")),
        ("P4", "delegated_admin", 10, Decimal("100.00")),
    ]
    assert _uncredited(first) == [("no_association", 10, Decimal("100.00"))]

    second = _competency(run, "L2")
    assert _links(second) == {
        "L2": [(1, 30, "type_not_declared", {})],
        "A1": [(1, 30, "not_counted", {"since": "2000-01-01"})],
    }
    assert _uncredited(second) == [("type_not_counted", 30, Decimal("300.00"))]


def test_removal_of_a_workload_key(runs: _Runs) -> None:
    """27: the workload key (S1, EXCHANGE) loses its partner on 04-11 (W2) and names P3 on
    04-21 (W3); meanwhile the subscription-wide partner of record P1 (E1) applies."""
    run = runs["27_workload_dpor_removal"]
    line = _competency(run, "L1")
    assert _links(line) == {
        "W1": [(1, 10, "credited", {}), (11, 30, "outside_interval", {})],
        "W2": [
            (1, 10, "outside_interval", {}),
            (11, 20, "removal_of_workload", {"type": "dpor", "workload": "EXCHANGE"}),
            (21, 30, "outside_interval", {}),
        ],
        "W3": [(1, 20, "outside_interval", {}), (21, 30, "credited", {})],
        "E1": [
            (1, 10, "shadowed", {"by": "W1"}),
            (11, 20, "credited", {}),
            (21, 30, "shadowed", {"by": "W3"}),
        ],
    }
    assert _credited(line) == [
        ("P1", "dpor", 10, Decimal("100.00")),
        ("P2", "dpor", 10, Decimal("100.00")),
        ("P3", "dpor", 10, Decimal("100.00")),
    ]
    assert _uncredited(line) == []
