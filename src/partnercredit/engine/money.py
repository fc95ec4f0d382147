"""Exact money arithmetic on the engine, with half-even rounding to cents (SPEC 7.1).

Money is held as integer cents (int64). Every rounding is applied once to an exact value:
either an exact decimal product, or a ratio of 64-bit integers. Nothing passes through
floating point except divisions that are exact by construction (an integer divisible by its
divisor, both below 2**53), because Ibis compiles integer division to a floating-point
division on every backend.

The functions work on a table and add one column. The conversion computes each step of its
128-bit arithmetic in a projection of its own (`view()` stops Ibis from inlining it), because
it refers to the same intermediate value several times and an engine would otherwise compute
it again each time; the ratio's 64-bit steps are cheap enough to repeat, and one expression
lets the engine skip them for whole shares.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.types as ir

EXACT_CENTS = 2**53
"""Amounts (in cents) from here on make every division below exact."""
MAX_EXACT_DIVISOR = 94_906_265
"""The largest divisor for which remainder * numerator stays below 2**53."""
_HALF = Decimal("0.5")


def _step(table: ir.Table, **columns: ir.Value) -> ir.Table:
    return table.mutate(**columns).view()


RATE_PLACES = 24
"""Decimals of a rate that conversion computes exactly."""
_WHOLE_PLACES = 12
_PICO = Decimal(1).scaleb(-_WHOLE_PLACES)


def rate_parts(rate: ir.DecimalValue) -> tuple[ir.DecimalValue, ir.DecimalValue]:
    """`rate` (at most RATE_PLACES decimals) as (its first 12 decimals, the rest below 1e-12).

    Conversion multiplies the amount by each part separately: the product of an amount with
    all 24 decimals of a rate has 30 decimals and 16 digits before the point, more than a
    38-digit decimal holds. Used on the rates table, which is small, not on every line."""
    exact_type, whole_type = f"decimal(38, {RATE_PLACES})", f"decimal(38, {_WHOLE_PLACES})"
    exact = rate.cast(exact_type)
    units = exact.floor().cast("int64")
    # Shifting the whole rate by 12 places would overflow 38 digits; its fraction's does not.
    picos = ((exact - units.cast(exact_type)) * 10**_WHOLE_PLACES).floor().cast("int64")
    whole = units.cast(whole_type) + picos.cast("decimal(38, 0)") * ibis.literal(_PICO, whole_type)
    whole = whole.cast(whole_type)
    return whole, exact - whole.cast(exact_type)


def add_converted_cents(
    table: ir.Table, name: str, amount: str, rate_whole: str, rate_rest: str
) -> ir.Table:
    """Add `name` = round_half_even(amount * rate, 2) in cents (SPEC 7.1), where the rate is
    given as `rate_parts` makes it.

    |amount| (6 places) times the whole part (12 places), times 100, is exact in
    decimal(38, 18) for any amount and rate that validation accepts (below 10**12 and 10**4);
    its whole cents are below 2**63. |amount| times the rest (below 1e-12, 24 places), times
    100, is below 100 and exact in decimal(38, 30), and so is the first product's fraction
    plus it. The cents are the first product's floor plus that sum's floor, rounded by the
    sum's fraction. Spark multiplies decimals exactly too when
    spark.sql.decimalOperations.allowPrecisionLoss is false, as partnercredit sets it. Only
    widening casts and floors: rescaling a 128-bit decimal divides, which is slow. Ibis
    believes a product has the places of its wider factor; the casts tell it the truth, so
    that it never casts an exact value down.
    """
    magnitude = table[amount].abs().cast("decimal(38, 6)")
    whole = (magnitude * table[rate_whole].cast("decimal(38, 12)") * 100).cast("decimal(38, 18)")
    rest = (magnitude * table[rate_rest].cast(f"decimal(38, {RATE_PLACES})") * 100).cast(
        "decimal(38, 30)"
    )
    table = _step(table, _m_whole=whole, _m_rest=rest)
    table = _step(table, _m_floor=table._m_whole.floor().cast("int64"))
    table = _step(
        table,
        _m_sum=(table._m_whole - table._m_floor).cast("decimal(38, 30)") + table._m_rest,
    )
    table = _step(table, _m_carry=table._m_sum.floor().cast("int64"))
    table = _step(
        table,
        _m_cents=table._m_floor + table._m_carry,
        _m_fraction=table._m_sum - table._m_carry,
    )
    cents = table._m_cents + ibis.cases(
        (table._m_fraction > _HALF, 1),
        (table._m_fraction == _HALF, table._m_cents % 2),
        else_=0,
    )
    signed = ibis.ifelse(table[amount] < 0, -cents, cents)
    return table.mutate(**{name: signed}).drop(
        "_m_whole", "_m_rest", "_m_floor", "_m_sum", "_m_carry", "_m_cents", "_m_fraction"
    )


def exact_usd(amount: ir.DecimalValue, rate_whole: ir.DecimalValue) -> ir.DecimalValue:
    """|amount| times the whole part of its rate (see `rate_parts`), exactly: less than the
    amount in USD by less than 1e-12 of the amount."""
    return amount.abs().cast("decimal(38, 6)") * rate_whole.cast("decimal(38, 12)")


def add_rounded_ratio(
    table: ir.Table, name: str, cents: str, numerator: str, denominator: str
) -> ir.Table:
    """Add `name` = round_half_even(cents * numerator / denominator), exactly.

    Requires numerator >= 0, 0 < denominator <= MAX_EXACT_DIVISOR, numerator <= denominator
    or small, and |cents| < 2**53. With cents = q * d + r, cents * n / d = q * n + r * n / d,
    so no product exceeds 2**53 and every division below is exact. Most shares are whole
    (n = d: a partner credited on every day of the line); they take the cents as they are,
    and the engine computes the rounding only for the others.
    """
    value, n, d = table[cents], table[numerator], table[denominator]
    magnitude = value.abs()
    remainder = magnitude % d
    part = remainder * n
    part_remainder = part % d
    floor = _exact_quotient(magnitude - remainder, d) * n + _exact_quotient(
        part - part_remainder, d
    )
    rounded = floor + ibis.cases(
        (part_remainder * 2 > d, 1),
        (part_remainder * 2 == d, floor % 2),
        else_=0,
    )
    signed = ibis.ifelse(value < 0, -rounded, rounded)
    return table.mutate(**{name: ibis.ifelse(n == d, value, signed)})


def _exact_quotient(dividend: ir.IntegerValue, divisor: ir.IntegerValue) -> ir.IntegerValue:
    """dividend / divisor for non-negative integers below 2**53 when divisible."""
    return (dividend / divisor).round().cast("int64")


def cents_to_money(cents: ir.IntegerValue) -> ir.DecimalValue:
    """Integer cents as DECIMAL(18, 2)."""
    hundredth = ibis.literal(Decimal("0.01"), type="decimal(20, 2)")
    return (cents.cast("decimal(18, 0)") * hundredth).cast("decimal(18, 2)")


def money_to_cents(money: ir.DecimalValue) -> ir.IntegerValue:
    """DECIMAL(18, 2) back to integer cents, exactly: whole units times 100 plus the
    hundredths. Every step stays within 64 bits; multiplying the decimal by 100 would widen it
    to 128 bits, which is several times slower."""
    whole = money.floor()
    hundredths = (money - whole).cast("decimal(3, 2)") * ibis.literal(100, "decimal(3, 0)")
    return whole.cast("int64") * 100 + hundredths.cast("int64")
