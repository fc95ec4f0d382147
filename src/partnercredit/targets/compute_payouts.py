"""Payout rows of one payout program (SPEC 8).

Each line counts toward the first rate whose area holds its product; per partner, period and
rate area the eligible credit is summed and paid at the rate, unless `requires_any` names
targets none of which the partner (as its target program sees it) attained that period.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.engine.money import add_rounded_ratio
from partnercredit.rules import Program, Rules

PAYOUT_COLUMNS = (
    "program",
    "partner_id",
    "period",
    "area",
    "eligible_usd",
    "rate",
    "earned_usd",
    "blocked_reason",
)


def compute_payouts(
    program: Program,
    rules: Rules,
    ledger: ir.Table,
    products: list[str],
    attainment: ir.Table,
    partner_roots: ir.Table,
) -> ir.Table:
    """`ledger`: the program's credit rows (partner_id, product, period, credit_cents);
    `attainment`: every attainment program's rows. Money in the result is in cents."""
    rated = ledger.join(_rate_areas(program, rules, products), "product")
    sums = rated.group_by(
        ["partner_id", "period", "area", "rate", "_units", "_numerator", "_denominator"]
    ).aggregate(eligible_cents=rated.credit_cents.sum())
    sums = _judge_requirements(program, rules, sums, attainment, partner_roots).view()
    paid = add_rounded_ratio(
        sums, "_earned", "eligible_cents", "_numerator", "_denominator", units="_units"
    )
    blocked = paid.blocked_reason != ""
    return paid.select(
        program=ibis.literal(program.name),
        partner_id=paid.partner_id,
        period=paid.period,
        area=paid.area,
        eligible_usd=paid.eligible_cents,
        rate=paid.rate,
        earned_usd=ibis.ifelse(blocked, 0, paid._earned),
        blocked_reason=paid.blocked_reason,
    )


def _rate_areas(program: Program, rules: Rules, products: list[str]) -> ir.Table:
    """Each product's first rate area: (product, area, rate text, rate as whole units and a
    fraction below one, whose products with a sum's remainder stay within 64 bits)."""
    rows = [(product, rules.rate_for(program, product)) for product in products]
    rated = [(product, rate) for product, rate in rows if rate is not None]
    fractions = [_as_fraction(rate.rate) for _, rate in rated]
    return ibis.memtable(
        pa.table(
            {
                "product": pa.array([product for product, _ in rated], pa.string()),
                "area": pa.array([rate.area for _, rate in rated], pa.string()),
                "rate": pa.array([rate.rate_text for _, rate in rated], pa.string()),
                "_units": pa.array([n // d for n, d in fractions], pa.int64()),
                "_numerator": pa.array([n % d for n, d in fractions], pa.int64()),
                "_denominator": pa.array([d for _, d in fractions], pa.int64()),
            }
        )
    )


def _as_fraction(rate: Decimal) -> tuple[int, int]:
    exponent = rate.as_tuple().exponent
    places = -exponent if isinstance(exponent, int) and exponent < 0 else 0
    denominator = 10**places
    return int(rate * denominator), denominator


def _judge_requirements(
    program: Program,
    rules: Rules,
    sums: ir.Table,
    attainment: ir.Table,
    partner_roots: ir.Table,
) -> ir.Table:
    """Add blocked_reason: the requires_any entries, joined, when none of them is attained."""
    if not program.requires_any:
        return sums.mutate(blocked_reason=ibis.literal(""))
    roots = partner_roots.select(_partner="partner_id", _root="root_partner_id")
    judged = sums.left_join(roots, sums.partner_id == roots._partner).drop("_partner")
    for index, entry in enumerate(program.requires_any):
        holder = (
            judged._root if rules.programs[entry.program].rollup == "root" else judged.partner_id
        )
        judged = judged.mutate(**{f"_judged_{index}": holder})
        attained = attainment.filter(
            (attainment.program == entry.program)
            & (attainment.target == entry.target)
            & attainment.attained
        ).select(**{f"_holder_{index}": "partner_id", f"_as_of_{index}": "as_of_period"})
        judged = judged.left_join(
            attained,
            [
                judged[f"_judged_{index}"] == attained[f"_holder_{index}"],
                judged.period == attained[f"_as_of_{index}"],
            ],
        )
    flags = [judged[f"_holder_{index}"].notnull() for index in range(len(program.requires_any))]
    reason = ", ".join(str(entry) for entry in program.requires_any)
    return judged.select(*sums.columns, blocked_reason=ibis.ifelse(ibis.or_(*flags), "", reason))
