"""Attainment rows of one attainment program (SPEC 8).

For a partner, an area and an as-of month E with window W = the `window_months` months ending
at E: revenue is the credit in W, seats the seat credit of E alone, customers those whose
credit in W sums above zero, new customers those of them whose credit in the `window_months`
months before W does not. A row exists for every E between the input's first and last revenue
period whose window holds a ledger row of the partner and area.
"""

from __future__ import annotations

import math
from decimal import Decimal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.rules import Program, Target
from partnercredit.targets.periods import as_of_table

ATTAINMENT_COLUMNS = (
    "program",
    "partner_id",
    "target",
    "area",
    "level",
    "as_of_period",
    "window_start",
    "window_end",
    "revenue_usd",
    "seats",
    "customers",
    "new_customers",
    "attained",
)


def measure_attainment(
    program: Program,
    ledger: ir.Table,
    customers: ir.Table,
    as_of_months: list[int],
    partner_numbers: ir.Table,
) -> ir.Table:
    """`ledger`: the program's credit rows with (partner_no, customer_id, area, month,
    credit_cents, seat_cents); `customers`: their `count_customers`; `as_of_months`: every
    as-of month a row can exist for (`as_of_months` of targets.periods); `partner_numbers`:
    (partner_id, partner_no). Money in the result is in cents."""
    labels = as_of_table(as_of_months, program.window_months)
    totals = _window_totals(ledger, labels, program.window_months)
    measured = totals.left_join(customers, ["partner_no", "area", "as_of"]).select(
        "partner_no",
        "area",
        "as_of",
        "revenue_cents",
        "seat_cents",
        customers=ibis._.customers.fill_null(0),
        new_customers=ibis._.new_customers.fill_null(0),
    )
    rows = (
        measured.join(_targets(program), "area")
        .join(labels, "as_of")
        .join(partner_numbers, "partner_no")
    )
    return rows.select(
        program=ibis.literal(program.name),
        partner_id=rows.partner_id,
        target=rows.target,
        area=rows.area,
        level=rows.level,
        as_of_period=rows.as_of_period,
        window_start=rows.start_period,
        window_end=rows.as_of_period,
        revenue_usd=rows.revenue_cents,
        seats=rows.seat_cents,
        customers=rows.customers,
        new_customers=rows.new_customers,
        attained=_attained(program, rows),
    )


def _window_totals(ledger: ir.Table, as_of_labels: ir.Table, window: int) -> ir.Table:
    """Revenue, seats and the existence of rows per (partner, area, as-of month)."""
    monthly = ledger.group_by(["partner_no", "area", "month"]).aggregate(
        credit=ledger.credit_cents.sum(), seats=ledger.seat_cents.sum()
    )
    as_of = as_of_labels.select("as_of")
    spread = monthly.join(
        as_of, [as_of.as_of >= monthly.month, as_of.as_of <= monthly.month + (window - 1)]
    )
    return spread.group_by(["partner_no", "area", "as_of"]).aggregate(
        revenue_cents=spread.credit.sum(),
        seat_cents=ibis.ifelse(spread.month == spread.as_of, spread.seats, 0).sum(),
    )


def _targets(program: Program) -> ir.Table:
    targets = program.targets
    return ibis.memtable(
        pa.table(
            {
                "target": pa.array([target.name for target in targets], pa.string()),
                "area": pa.array([target.area for target in targets], pa.string()),
                "level": pa.array([target.level for target in targets], pa.string()),
            }
        )
    )


def _attained(program: Program, rows: ir.Table) -> ir.BooleanValue:
    """Every requirement of the row's target holds (money compared in whole cents)."""
    branches = [(rows.target == target.name, _holds(target, rows)) for target in program.targets]
    return ibis.cases(*branches, else_=False)


def _holds(target: Target, rows: ir.Table) -> ir.BooleanValue:
    checks = []
    if target.revenue_usd is not None:
        checks.append(rows.revenue_cents >= cents_at_least(target.revenue_usd))
    if target.seats is not None:
        checks.append(rows.seat_cents >= cents_at_least(target.seats))
    if target.customers is not None:
        checks.append(rows.customers >= target.customers)
    if target.new_customers is not None:
        checks.append(rows.new_customers >= target.new_customers)
    return ibis.and_(*checks)


def cents_at_least(minimum: Decimal) -> int:
    """The fewest whole cents that are >= minimum."""
    return math.ceil(minimum * 100)
