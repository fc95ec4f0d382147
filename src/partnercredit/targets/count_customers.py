"""customers and new_customers of attainment (SPEC 8), per partner, area and as-of month."""

from __future__ import annotations

from bisect import bisect_left, bisect_right

import ibis
import ibis.expr.types as ir


def count_customers(
    ledger: ir.Table, revenue_months: list[int], as_of_months: list[int], window: int
) -> ir.Table:
    """(partner_no, area, as_of, customers, new_customers) from the ledger's (partner_no,
    area, customer_id, month, credit_cents), for every month of `as_of_months` (zero counts
    included). `revenue_months` (ascending) holds every month the ledger has rows in.

    One aggregation turns each (partner, area, customer) into one row with a column of credit
    per revenue month; the credit of any window is then a sum of columns, so no rows are
    sorted or spread over months. The expressions grow with the revenue months times the
    window (12 x 12 sums of columns for a year of data and a 12-month window), not with the
    months between them.
    """
    credit = {
        _credit(month): ledger.credit_cents.sum(where=ledger.month == month).fill_null(0)
        for month in revenue_months
    }
    per_customer = ledger.group_by(["partner_no", "area", "customer_id"]).aggregate(**credit)

    def credit_in(first: int, last: int) -> ir.IntegerValue:
        held = revenue_months[
            bisect_left(revenue_months, first) : bisect_right(revenue_months, last)
        ]
        columns = [per_customer[_credit(month)] for month in held]
        return sum(columns[1:], columns[0]) if columns else ibis.literal(0, "int64")

    counts = {}
    for as_of in as_of_months:
        counted = credit_in(as_of - window + 1, as_of) > 0
        new = counted & (credit_in(as_of - 2 * window + 1, as_of - window) <= 0)
        counts[_customers(as_of)] = counted.cast("int64").sum()
        counts[_new_customers(as_of)] = new.cast("int64").sum()
    per_partner = per_customer.group_by(["partner_no", "area"]).aggregate(**counts)
    by_month = ibis.array(
        [
            ibis.struct(
                {
                    "as_of": ibis.literal(as_of, "int64"),
                    "customers": per_partner[_customers(as_of)],
                    "new_customers": per_partner[_new_customers(as_of)],
                }
            )
            for as_of in as_of_months
        ]
    )
    rows = per_partner.select("partner_no", "area", _month=by_month.unnest())
    return rows.select(
        "partner_no",
        "area",
        as_of=rows._month["as_of"],
        customers=rows._month["customers"],
        new_customers=rows._month["new_customers"],
    )


def _credit(month: int) -> str:
    return f"_credit_{month}"


def _customers(month: int) -> str:
    return f"_customers_{month}"


def _new_customers(month: int) -> str:
    return f"_new_customers_{month}"
