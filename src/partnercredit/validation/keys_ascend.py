"""Whether a table's keys strictly ascend with its row numbers, as in a file sorted by key."""

from __future__ import annotations

from itertools import pairwise

import ibis
import ibis.expr.types as ir

from partnercredit.engine import Backend

BLOCK_ROWS = 2**20


def keys_ascend(
    backend: Backend, table: ir.Table, key: str, number: str, block_rows: int = BLOCK_ROWS
) -> bool:
    """True when each non-null `key` is above the one of the row numbered before it.

    Such keys never repeat, and the numbers sort the rows as the keys do. Checked in blocks of
    `block_rows` consecutive numbers, each by itself and then against its neighbours: one
    window over every row would run in a single partition on Spark."""
    keyed = table.filter(table[key].notnull())
    rows = keyed.select(_number=keyed[number], _key=keyed[key], _block=keyed[number] // block_rows)
    previous = rows._key.lag().over(ibis.window(group_by="_block", order_by="_number"))
    rows = rows.mutate(_descends=rows._key <= previous)
    blocks = rows.group_by("_block").aggregate(
        descends=rows._descends.any(), first=rows._key.min(), last=rows._key.max()
    )
    ordered = backend.to_arrow(blocks.order_by("_block")).to_pylist()
    return not any(block["descends"] for block in ordered) and all(
        before["last"] < after["first"] for before, after in pairwise(ordered)
    )
