"""Where a batched run cuts its outputs' order into ranges that are sorted one at a time."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterator
from typing import Any

import ibis
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnercredit.credit.order_ranges import RANGE_COLUMN, in_ranges, range_bounds
from partnercredit.engine import Backend, EngineOptions, open_backend

KEYS = ("program", "partner")


@pytest.fixture(scope="module")
def backend(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Backend]:
    with open_backend(EngineOptions(spill_dir=tmp_path_factory.mktemp("spill"))) as opened:
        yield opened


def _table(rows: list[tuple[Any, ...]], key_types: tuple[str, str]) -> ibis.Table:
    return ibis.memtable(
        {key: [row[index] for row in rows] for index, key in enumerate(KEYS)},
        schema=dict(zip(KEYS, key_types, strict=True)),
    )


def _rows(rows_per_key: dict[tuple[Any, ...], int]) -> list[tuple[Any, ...]]:
    return [key for key, rows in rows_per_key.items() for _ in range(rows)]


# Range k (1 to ranges - 1) starts at the key of the row at position total * k // ranges,
# counted from 0 in the keys' order.
@pytest.mark.parametrize(
    ("rows_per_key", "ranges", "bounds"),
    [
        # ten partners of ten rows, 5 ranges: positions 20, 40, 60, 80
        ({(0, partner): 10 for partner in range(1, 11)}, 5, [(0, 3), (0, 5), (0, 7), (0, 9)]),
        # a key's rows are never cut apart: positions 25, 50 and 75 all fall on partner 3,
        # which holds 90 of the 100 rows, so there are two ranges (2 and 98 rows)
        ({(0, 1): 1, (0, 2): 1, (0, 3): 90, (0, 4): 1, (0, 5): 7}, 4, [(0, 3)]),
        # positions 2, 5 and 7 fall on the first key: it starts no range, there is one
        ({(0, 1): 8, (0, 2): 2}, 4, []),
        # the same partner in two programs is two keys (position 5)
        ({(0, 1): 5, (1, 1): 5}, 2, [(1, 1)]),
        ({(0, 1): 5, (0, 2): 5}, 1, []),
        ({}, 3, []),
    ],
)
def test_ranges_hold_about_equal_rows(
    backend: Backend,
    rows_per_key: dict[tuple[int, int], int],
    ranges: int,
    bounds: list[tuple[int, int]],
) -> None:
    table = _table(_rows(rows_per_key), ("int8", "int64"))
    assert range_bounds(backend, table, KEYS, ranges) == bounds


def test_text_keys_are_cut_in_code_point_order(backend: Backend) -> None:
    # (0,L1) (0,L10) (0,L2) (0,l1) (1,L1) (1,L10) (1,L2) (1,l1): positions 2, 4, 6
    rows = [(program, line) for program in (1, 0) for line in ("l1", "L2", "L10", "L1")]
    table = _table(rows, ("int8", "string"))
    assert range_bounds(backend, table, KEYS, 4) == [(0, "L2"), (1, "L1"), (1, "L2")]


def test_rows_are_numbered_by_the_last_bound_they_reach(backend: Backend) -> None:
    rows = [(0, "L1"), (0, "L2"), (0, "L3"), (1, "L0"), (1, "L2"), (2, "L0")]
    table = _table(rows, ("int8", "string"))
    numbered = in_ranges(table, KEYS, [(0, "L2"), (1, "L1"), (1, "L2")])
    found = backend.to_arrow(numbered.order_by(KEYS)).column(RANGE_COLUMN).to_pylist()
    assert found == [0, 1, 1, 1, 3, 3]
    assert backend.to_arrow(in_ranges(table, KEYS, []).select(RANGE_COLUMN)).column(
        0
    ).to_pylist() == [0] * len(rows)


_KEY = st.tuples(st.integers(0, 3), st.integers(-5, 5))


@settings(max_examples=40, deadline=None)
@given(rows=st.lists(_KEY, max_size=30), bounds=st.lists(_KEY, max_size=5, unique=True))
def test_numbering_agrees_with_tuple_order(
    backend: Backend, rows: list[tuple[int, int]], bounds: list[tuple[int, int]]
) -> None:
    """A row's range is how many bounds sort at or before its keys, as Python compares
    tuples; so sorting by range, then keys, is sorting by keys."""
    bounds = sorted(bounds)
    numbered = in_ranges(_table(rows, ("int8", "int64")), KEYS, bounds)
    found = backend.to_arrow(numbered).to_pylist()
    assert sorted((row[RANGE_COLUMN], row["program"], row["partner"]) for row in found) == sorted(
        (bisect_right(bounds, row), *row) for row in rows
    )
