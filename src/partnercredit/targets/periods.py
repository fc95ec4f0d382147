"""Periods as month numbers on the engine, so that windows are integer ranges everywhere."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.periods import period_text


@dataclass(frozen=True)
class PeriodRange:
    first: int
    last: int
    """Month numbers of the first and last accepted revenue period of the input."""


def month_number(period: ir.StringValue) -> ir.IntegerValue:
    """YYYY-MM as year * 12 + month - 1."""
    return period.substr(0, 4).cast("int64") * 12 + period.substr(5, 2).cast("int64") - 1


def months_table(first: int, last: int, name: str = "month") -> ir.Table:
    """One row per month number from first to last, with its period text."""
    numbers = list(range(first, last + 1))
    return ibis.memtable(
        pa.table(
            {
                name: pa.array(numbers, pa.int64()),
                f"{name}_period": pa.array([period_text(n) for n in numbers], pa.string()),
            }
        )
    )
