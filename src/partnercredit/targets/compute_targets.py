"""The targets stage as a whole: attainment of every attainment program, then payouts."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.engine import Backend
from partnercredit.rules import Rules
from partnercredit.targets.compute_payouts import PAYOUT_COLUMNS, compute_payouts
from partnercredit.targets.measure_attainment import (
    ATTAINMENT_COLUMNS,
    PeriodRange,
    measure_attainment,
)
from partnercredit.targets.periods import month_number


@dataclass(frozen=True)
class TargetResult:
    attainment: ir.Table
    payouts: ir.Table
    """Both with money in integer cents."""


def compute_targets(
    backend: Backend,
    rules: Rules,
    ledger: ir.Table,
    lines: ir.Table,
    partner_numbers: ir.Table,
    partner_roots: ir.Table,
) -> TargetResult:
    """`ledger`: the credits (program, partner_no, partner_id, customer_no, product, period,
    credit_cents, seat_credit_cents); `lines` the revenue lines (period, product)."""
    facts = backend.to_arrow(
        lines.aggregate(
            first=month_number(lines.period).min(), last=month_number(lines.period).max()
        )
    ).to_pylist()[0]
    products = backend.to_arrow(lines.select("product").distinct()).column(0).to_pylist()
    described = ledger.mutate(month=month_number(ledger.period))
    attainments = [
        measure_attainment(
            program,
            _in_areas(described.filter(described.program == name), rules, products),
            PeriodRange(facts["first"], facts["last"]),
            partner_numbers,
        )
        for name, program in rules.programs.items()
        if program.kind == "attainment" and facts["first"] is not None
    ]
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
        "customer_no",
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
