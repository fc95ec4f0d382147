"""Periods as month numbers, so that windows are integer ranges on every engine."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa


def month_number(period: ir.StringValue) -> ir.IntegerValue:
    """YYYY-MM as year * 12 + month - 1."""
    return period.substr(0, 4).cast("int64") * 12 + period.substr(5, 2).cast("int64") - 1


def period_text(number: int) -> str:
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def fiscal_year(period: str, start_month: int) -> int:
    """The fiscal year a period falls in, named by the calendar year in which it ends (SPEC 3):
    with a July start, 2016-07 .. 2017-06 is FY2017."""
    year, month = int(period[:4]), int(period[5:7])
    return year + 1 if start_month > 1 and month >= start_month else year


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
