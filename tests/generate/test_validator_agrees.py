"""End to end: the project's own validator rejects and collapses exactly what generate.json says."""

from __future__ import annotations

import json

import pytest

from partnercredit import core
from partnercredit.contract import REJECTION_REASONS, TABLES
from tests.generate.conftest import Generate


@pytest.mark.slow
def test_validation_counts_match_generate_json(generate: Generate) -> None:
    data_dir = generate(subscriptions=600, messy=0.2, seed=21)
    expected = json.loads((data_dir / "generate.json").read_text())["tables"]
    report = core.validate(data_dir, examples_per_reason=1)
    for name, table in expected.items():
        counts = report.counts[name]
        assert (counts.read, counts.accepted, counts.rejected, counts.collapsed) == (
            table["rows"],
            table["accepted"],
            table["rejected"],
            table["collapsed"],
        ), name
    by_reason: dict[str, int] = {}
    for table in expected.values():
        for reason, count in table["rejected_by_reason"].items():
            by_reason[reason] = by_reason.get(reason, 0) + count
    assert report.rejected_by_reason == by_reason


@pytest.mark.slow
def test_rejections_are_reported_in_the_order_of_the_checks(generate: Generate) -> None:
    """Reasons in SPEC 5's order; each reason's examples from the first table (SPEC 4's order)
    and row that has one."""
    data_dir = generate(subscriptions=300, messy=0.2, seed=7)
    report = core.validate(data_dir, examples_per_reason=2)
    reasons = list(report.rejected_by_reason)
    assert reasons == sorted(reasons, key=REJECTION_REASONS.index)
    assert len(reasons) >= 6
    tables = list(TABLES)
    places = [
        (REJECTION_REASONS.index(example.reason), tables.index(example.table), example.row_number)
        for example in report.examples
    ]
    assert places == sorted(places)
    assert [example.reason for example in report.examples][::2] == reasons
