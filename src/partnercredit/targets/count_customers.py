"""customers and new_customers of attainment (SPEC 8), per partner, area and as-of month."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from partnercredit.targets.periods import months_table


@dataclass(frozen=True)
class PeriodRange:
    first: int
    last: int
    """Month numbers of the first and last accepted revenue period of the input."""


def count_customers(ledger: ir.Table, periods: PeriodRange, window: int) -> ir.Table:
    """(partner_no, area, as_of, customers, new_customers) from the ledger's (partner_no,
    area, customer_no, month, credit_cents).

    Each (partner, area, customer) gets one row per month from its first credited month to
    the last month its credit can still be in a window; over those dense rows one framed sum is
    the credit in W, another the credit in the `window` rows before W.
    """
    key = ["partner_no", "area", "customer_no"]
    monthly = ledger.group_by([*key, "month"]).aggregate(credit=ledger.credit_cents.sum())
    spans = monthly.group_by(key).aggregate(_first=monthly.month.min(), _last=monthly.month.max())
    months = months_table(periods.first, periods.last, "as_of").select("as_of")
    dense = spans.join(
        months,
        [months.as_of >= spans._first, months.as_of <= spans._last + (window - 1)],
    ).select(*key, "as_of")
    filled = dense.left_join(
        monthly.select(*key, as_of=monthly.month, credit=monthly.credit), [*key, "as_of"]
    ).select(*key, "as_of", credit=ibis._.credit.fill_null(0))
    # Both frames over the same order: the engine sorts the rows once for both sums.
    in_window = ibis.window(group_by=key, order_by="as_of", rows=(-(window - 1), 0))
    before = ibis.window(group_by=key, order_by="as_of", rows=(-(2 * window - 1), -window))
    both = filled.mutate(
        in_window=filled.credit.sum().over(in_window),
        before=filled.credit.sum().over(before).fill_null(0),
    )
    counted = both.in_window > 0
    return both.group_by(["partner_no", "area", "as_of"]).aggregate(
        customers=counted.cast("int64").sum(),
        new_customers=(counted & (both.before <= 0)).cast("int64").sum(),
    )
