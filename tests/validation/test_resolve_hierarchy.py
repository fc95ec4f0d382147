"""Parent chains: cycles, broken chains and roots, in memory and through the validator."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnercredit import core
from partnercredit.validation.resolve_hierarchy import resolve_hierarchy

CASES = [
    # parents, roots, cyclic, broken
    ({"A": None, "B": "A", "C": "B"}, {"A": "A", "B": "A", "C": "A"}, set(), set()),
    ({"A": "A"}, {}, {"A"}, set()),
    ({"A": "B", "B": "A", "C": "A", "D": "C"}, {}, {"A", "B"}, {"C", "D"}),
    ({"B": "X", "C": "B"}, {}, set(), {"B", "C"}),
    (
        {"C": "B", "B": "A", "A": None, "Z": None},
        {"A": "A", "B": "A", "C": "A", "Z": "Z"},
        set(),
        set(),
    ),
    ({"A": "B", "B": "C", "C": "B"}, {}, {"B", "C"}, {"A"}),
]


@pytest.mark.parametrize(("parents", "roots", "cyclic", "broken"), CASES)
def test_resolve_hierarchy(
    parents: dict[str, str | None], roots: dict[str, str], cyclic: set[str], broken: set[str]
) -> None:
    result = resolve_hierarchy(parents)
    assert result.roots == roots
    assert result.cyclic == cyclic
    assert result.broken == broken


def test_partner_below_a_conflicting_duplicate_is_rejected(tmp_path: Path) -> None:
    """Found by the row-order property: collapsed copies of a rejected parent must not make
    the parent look valid to its children."""
    data = tmp_path / "data"
    data.mkdir()
    (data / "partners.csv").write_text(
        "partner_id,name,country,parent_partner_id\n"
        "P4,Old name,DE,\nP4,Old name,DE,\nP4,New name,DE,\nP2,Child,US,P4\n"
    )
    (data / "customers.csv").write_text("customer_id,name\n")
    (data / "subscriptions.csv").write_text("subscription_id,customer_id\n")
    (data / "revenue.csv").write_text("line_id,subscription_id,period,product,amount,currency\n")
    report = core.validate(data)
    assert report.counts["partners"].accepted == 0
    assert report.counts["partners"].collapsed == 1
    assert report.rejected_by_reason == {"bad_reference": 1, "duplicate_key": 2}
