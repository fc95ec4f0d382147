"""Periods as month numbers on the engine, so that windows are integer ranges everywhere."""

from __future__ import annotations

from collections.abc import Iterable

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.periods import FIRST_MONTH, period_text


def month_number(period: ir.StringValue) -> ir.IntegerValue:
    """YYYY-MM as year * 12 + month - 1."""
    return period.substr(0, 4).cast("int64") * 12 + period.substr(5, 2).cast("int64") - 1


def as_of_months(revenue_months: Iterable[int], window: int) -> list[int]:
    """The as-of months an attainment row can exist for (SPEC 8), ascending: those up to the
    last revenue month whose window of `window` months holds a revenue month. Months of the
    span far from any revenue are left out, so that nothing grows with the span."""
    months = set(revenue_months)
    last = max(months, default=0)
    return sorted(
        {month + offset for month in months for offset in range(window) if month + offset <= last}
    )


def as_of_table(months: list[int], window: int) -> ir.Table:
    """One row per as-of month: as_of, as_of_period and start_period, the first period of its
    window of `window` months (or 0001-01 for a window that would start before it: no
    revenue is earlier, and a year before 1 has no YYYY-MM)."""
    return ibis.memtable(
        pa.table(
            {
                "as_of": pa.array(months, pa.int64()),
                "as_of_period": pa.array([period_text(n) for n in months], pa.string()),
                "start_period": pa.array(
                    [period_text(max(n - window + 1, FIRST_MONTH)) for n in months],
                    pa.string(),
                ),
            }
        )
    )
