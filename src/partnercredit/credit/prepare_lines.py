"""Revenue lines ready for crediting: USD cents, their month as dates, their customer."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.contract import BASE_CURRENCY
from partnercredit.engine.money import add_converted_cents, rate_parts
from partnercredit.validation import SOURCE_ROW

LINE_COLUMNS = (
    "line_no",
    "line_id",
    "subscription_id",
    "customer_id",
    "customer_no",
    "category",
    "period",
    "product_code",
    "workload",
    "workload_code",
    "transacting_partner_id",
    "month_start",
    "month_end",
    "days_in_period",
    "amount_cents",
    "seat_cents",
)


def month_start(period: ir.StringValue) -> ir.DateValue:
    return period.concat("-01").cast("date")


CODED = ("product", "workload")
"""Texts of a line with few distinct values, which the ledger carries as codes (`product_code`:
the product's index in its vocabulary) so that the credits sort integers rather than texts."""


def _vocabulary(values: list[str]) -> ir.Table:
    """(value, code): each value's index in `values`."""
    return ibis.memtable(
        pa.table(
            {
                "value": pa.array(values, pa.string()),
                "code": pa.array(range(len(values)), pa.int64()),
            }
        )
    )


def prepare_lines(
    revenue: ir.Table,
    subscriptions: ir.Table,
    customers: ir.Table,
    fx_rates: ir.Table,
    vocabularies: dict[str, list[str]],
) -> ir.Table:
    """One row per accepted revenue line (month_end is the first day after the month);
    `vocabularies`: every value of each CODED column.

    `line_no`, the line's row in its file, is the key every later stage joins on: integers
    join and sort far faster than text ids."""
    foreign = fx_rates.filter(fx_rates.currency != BASE_CURRENCY)
    high, low, rest = rate_parts(foreign.usd_per_unit)
    rates = foreign.select(
        _fx_period="period",
        _fx_currency="currency",
        _rate_high=high,
        _rate_low=low,
        _rate_rest=rest,
    )
    owners = subscriptions.select(
        _subscription="subscription_id", customer_id="customer_id", category="category"
    )
    numbers = customers.select(_customer="customer_id", customer_no=customers[SOURCE_ROW])
    joined = (
        revenue.left_join(
            rates, [revenue.period == rates._fx_period, revenue.currency == rates._fx_currency]
        )
        .join(owners, revenue.subscription_id == owners._subscription)
        .join(numbers, owners.customer_id == numbers._customer)
    )
    for column in CODED:
        codes = _vocabulary(vocabularies[column]).rename(
            **{f"_{column}": "value", f"{column}_code": "code"}
        )
        joined = joined.left_join(codes, revenue[column] == codes[f"_{column}"])
    start = month_start(joined.period)
    end = start + ibis.interval(months=1)
    lines = joined.select(
        "line_id",
        "subscription_id",
        "customer_id",
        "category",
        "period",
        "product_code",
        "workload",
        "workload_code",
        "transacting_partner_id",
        "customer_no",
        line_no=joined[SOURCE_ROW],
        month_start=start,
        month_end=end,
        days_in_period=end.delta(start, unit="day").cast("int64"),
        seat_cents=joined.quantity * 100,
        _amount=joined.amount,
        # USD: a rate of 1 is 10**12 picos.
        _rate_high=joined._rate_high.fill_null(10**4),
        _rate_low=joined._rate_low.fill_null(0),
        _rate_rest=joined._rate_rest.fill_null(0),
    ).view()
    converted = add_converted_cents(
        lines, "amount_cents", "_amount", "_rate_high", "_rate_low", "_rate_rest"
    )
    return converted.select(*LINE_COLUMNS)
