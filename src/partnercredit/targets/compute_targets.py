"""The targets stage as a whole: attainment of every attainment program, then payouts."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.engine import Backend
from partnercredit.engine.money import money_to_cents
from partnercredit.rules import Rules
from partnercredit.targets.compute_payouts import PAYOUT_COLUMNS, compute_payouts
from partnercredit.targets.count_customers import count_customers
from partnercredit.targets.measure_attainment import ATTAINMENT_COLUMNS, measure_attainment
from partnercredit.targets.periods import as_of_months, month_number


@dataclass(frozen=True)
class TargetResult:
    attainment: ir.Table
    payouts: ir.Table
    """Both with money in integer cents."""


def compute_targets(
    backend: Backend,
    rules: Rules,
    credits: ir.Table,
    lines: ir.Table,
    products: list[str],
    partner_numbers: ir.Table,
    partner_roots: ir.Table,
    batches: int,
) -> TargetResult:
    """`credits`: the `credits` output as written (money as decimals); `lines` the revenue
    lines (period); `products` every product of the lines. Customers are counted in `batches`
    batches of partners, one after the other."""
    periods = lines.select("period").distinct()
    revenue_months = sorted(
        backend.to_arrow(periods.select(month=month_number(periods.period))).column(0).to_pylist()
    )
    ledger = _ledger(credits, partner_numbers)
    described = ledger.mutate(month=month_number(ledger.period))
    attainments = []
    for name, program in rules.programs.items():
        # A program without targets has nothing to measure (its credit still counts).
        if program.kind != "attainment" or not program.targets or not revenue_months:
            continue
        in_areas = _in_areas(described.filter(described.program == name), rules, products)
        as_of = as_of_months(revenue_months, program.window_months)
        customers = _count_customers_in_batches(
            backend, in_areas, revenue_months, as_of, program.window_months, batches
        )
        attainments.append(measure_attainment(program, in_areas, customers, as_of, partner_numbers))
    attainment = backend.materialize(
        "attainment", ibis.union(*attainments) if attainments else _empty(ATTAINMENT_COLUMNS)
    )
    payouts = [
        compute_payouts(
            program,
            rules,
            ledger.filter(ledger.program == name).select(
                "partner_id", "product", "period", "credit_cents"
            ),
            products,
            attainment,
            partner_roots,
        )
        for name, program in rules.programs.items()
        if program.kind == "payout"
    ]
    return TargetResult(attainment, ibis.union(*payouts) if payouts else _empty(PAYOUT_COLUMNS))


def _count_customers_in_batches(
    backend: Backend,
    ledger: ir.Table,
    revenue_months: list[int],
    as_of: list[int],
    window: int,
    batches: int,
) -> ir.Table:
    """count_customers over every `batches`-th partner at a time (each partner's customers
    are counted in one batch)."""
    if batches == 1:
        return count_customers(ledger, revenue_months, as_of, window)
    parts = [
        backend.materialize(
            "customer_counts",
            count_customers(
                ledger.filter(ledger.partner_no % batches == batch), revenue_months, as_of, window
            ),
        )
        for batch in range(batches)
    ]
    return ibis.union(*parts)


def _ledger(credits: ir.Table, partner_numbers: ir.Table) -> ir.Table:
    """The credits as this stage counts them: partners by number, money in cents."""
    numbered = credits.join(partner_numbers, "partner_id")
    return numbered.select(
        "program",
        "partner_no",
        "partner_id",
        "customer_id",
        "product",
        "period",
        credit_cents=money_to_cents(numbered.credit_usd),
        seat_credit_cents=money_to_cents(numbered.seat_credit),
    )


def _in_areas(ledger: ir.Table, rules: Rules, products: list[str]) -> ir.Table:
    """The ledger once per area its product is in."""
    pairs = [(product, area) for product in products for area in rules.areas_of(product)]
    areas = ibis.memtable(
        pa.table(
            {
                "product": pa.array([product for product, _ in pairs], pa.string()),
                "area": pa.array([area for _, area in pairs], pa.string()),
            }
        )
    )
    joined = ledger.join(areas, "product")
    return joined.select(
        "partner_no",
        "customer_id",
        "area",
        "month",
        credit_cents=joined.credit_cents,
        seat_cents=joined.seat_credit_cents,
    )


_TYPES = {
    "revenue_usd": "int64",
    "seats": "int64",
    "customers": "int64",
    "new_customers": "int64",
    "attained": "boolean",
    "eligible_usd": "int64",
    "earned_usd": "int64",
}


def _empty(columns: tuple[str, ...]) -> ir.Table:
    schema = ibis.schema({name: _TYPES.get(name, "string") for name in columns})
    return ibis.memtable(schema.to_pyarrow().empty_table())
