"""End to end: the project's own validator rejects and collapses exactly what generate.json says."""

from __future__ import annotations

import json

import pytest

from partnercredit import core
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
