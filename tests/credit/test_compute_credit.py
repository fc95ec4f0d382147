"""Where the credits of a batched run are cut into ranges that are sorted one at a time."""

from __future__ import annotations

from pathlib import Path

import ibis
import pytest

from partnercredit.credit.compute_credit import _range_bounds
from partnercredit.engine import EngineOptions, open_backend

PROGRAM = 1 << 32
"""The key of (program 1, partner 0): the key is program * 2**32 + partner."""


@pytest.mark.parametrize(
    ("rows_per_key", "ranges", "bounds"),
    [
        # ten partners of ten rows: five ranges of twenty rows
        ({partner: 10 for partner in range(1, 11)}, 5, [3, 5, 7, 9]),
        # a partner's rows are never cut apart: one holding most rows makes its range long
        # (92 rows) and leaves the ranges after it short, and fewer of them (1 and 7 rows)
        ({1: 1, 2: 1, 3: 90, 4: 1, 5: 7}, 4, [4, 5]),
        # the same partner in two programs is two keys
        ({1: 5, PROGRAM + 1: 5}, 2, [PROGRAM + 1]),
        ({1: 5, 2: 5}, 1, []),
        ({}, 3, []),
    ],
)
def test_ranges_hold_about_equal_rows(
    tmp_path: Path, rows_per_key: dict[int, int], ranges: int, bounds: list[int]
) -> None:
    keys = [key for key, rows in rows_per_key.items() for _ in range(rows)]
    ledger = ibis.memtable(
        {
            "_order_program": [key >> 32 for key in keys],
            "partner_no": [key % PROGRAM for key in keys],
        },
        schema={"_order_program": "int8", "partner_no": "int64"},
    )
    with open_backend(EngineOptions(spill_dir=tmp_path)) as backend:
        assert _range_bounds(backend, ledger, ranges) == bounds
