"""Which column sorts the revenue lines by id: their numbers when the ids ascend with them."""

from __future__ import annotations

from itertools import pairwise

import ibis
import ibis.expr.types as ir

from partnercredit.engine import Backend

BLOCK_LINES = 2**20


def line_sort_key(backend: Backend, lines: ir.Table, block_lines: int = BLOCK_LINES) -> str:
    """`line_no` when the line ids ascend with the line numbers (as in a revenue file sorted
    by id): integers sort far faster than texts, in the same order. Otherwise `line_id`.

    Checked in blocks of `block_lines` consecutive numbers, each by itself and then against
    its neighbours: one window over every line would run in a single partition on Spark."""
    rows = lines.select("line_no", "line_id", _block=lines.line_no // block_lines)
    previous = rows.line_id.lag().over(ibis.window(group_by="_block", order_by="line_no"))
    rows = rows.mutate(_descends=rows.line_id <= previous)
    blocks = rows.group_by("_block").aggregate(
        descends=rows._descends.any(), first=rows.line_id.min(), last=rows.line_id.max()
    )
    ordered = backend.to_arrow(blocks.order_by("_block")).to_pylist()
    ascending = not any(block["descends"] for block in ordered) and all(
        before["last"] < after["first"] for before, after in pairwise(ordered)
    )
    return "line_no" if ascending else "line_id"
