"""Ranges of an output's sort order, so that a batched run sorts its large outputs one range
at a time (see `Backend.write_parquet`)."""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import ibis
import ibis.expr.types as ir

from partnercredit.engine import Backend

RANGE_COLUMN = "_order_range"
_POSITION = "_position"


def range_bounds(
    backend: Backend, sample: ir.Table, keys: Sequence[str], ranges: int
) -> list[tuple[Any, ...]]:
    """Where `ranges` ranges of about equal rows begin in the order of `keys` (every range but
    the first), judged by `sample`, rows spread over the order as the output's are: the keys
    of its rows at each `ranges`-th part of it. Rows of equal keys are never cut apart: where
    one key holds more rows than a range would, there are fewer ranges."""
    total = backend.count(sample)
    if ranges < 2 or total == 0:
        return []
    ordered = sample.select(*keys).mutate(
        **{
            _POSITION: ibis.row_number().over(
                order_by=[ibis.asc(sample[key], nulls_first=True) for key in keys]
            )
        }
    )
    positions = sorted({0, *(total * part // ranges for part in range(1, ranges))})
    found = backend.to_arrow(
        ordered.filter(ordered[_POSITION].isin(positions)).order_by(_POSITION)
    ).to_pylist()
    first, *starts = (tuple(row[key] for key in keys) for row in found)
    bounds: list[tuple[Any, ...]] = []
    for start in starts:
        if start != first and start not in bounds:
            bounds.append(start)
    return bounds


def in_ranges(table: ir.Table, keys: Sequence[str], bounds: list[tuple[Any, ...]]) -> ir.Table:
    """`table` with the number of its row's range (see `range_bounds`) as RANGE_COLUMN."""
    if not bounds:
        return table.mutate(**{RANGE_COLUMN: ibis.literal(0, "int16")})
    number = ibis.cases(
        *(
            (_at_or_after([table[key] for key in keys], bound), index + 1)
            for index, bound in reversed(list(enumerate(bounds)))
        ),
        else_=0,
    )
    return table.mutate(**{RANGE_COLUMN: number.cast("int16")})


def _at_or_after(values: list[ir.Value], bound: tuple[Any, ...]) -> ir.BooleanValue:
    """Whether the tuple of `values` sorts at or after `bound` (neither holds a null)."""
    result: ir.BooleanValue = values[-1] >= bound[-1]
    for value, limit in reversed(list(zip(values[:-1], bound[:-1], strict=True))):
        result = (value > limit) | ((value == limit) & result)
    return result
