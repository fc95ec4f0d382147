"""Exact money arithmetic on the engine, with half-even rounding to cents (SPEC 7.1).

Money is held as integer cents (int64). Every rounding is applied once to an exact value:
either an exact decimal product, or a ratio of 64-bit integers. Nothing passes through
floating point except divisions that are exact by construction (an integer divisible by its
divisor, both below 2**53), because Ibis compiles integer division to a floating-point
division on every backend.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.types as ir

EXACT_CENTS = 2**53
"""Amounts (in cents) from here on make every division below exact."""
MAX_EXACT_DIVISOR = 94_906_265
"""The largest divisor for which remainder * numerator stays below 2**53."""


def convert_to_cents(
    amount: ir.DecimalValue, usd_per_unit: ir.DecimalValue
) -> ir.IntegerValue:
    """amount_usd in cents: round_half_even(amount * usd_per_unit, 2) (SPEC 7.1).

    amount * rate * 100 = (amount * 10**6) * (rate / 10**4): an integer below 10**18 times a
    rate with 16 places, exact in decimal(38, 16) (below 10**22) for any amount and rate that
    validation accepts (at most 12 + 6 and 4 + 12 digits), and below 2**63 cents. Spark
    multiplies decimals exactly too when spark.sql.decimalOperations.allowPrecisionLoss is
    false, as partnercredit sets it.
    """
    # Ibis drops a cast to the type it believes an expression has; the declared types below
    # differ from Ibis's belief on purpose, so that every cast reaches the engine.
    micro_units = (amount.abs().cast("decimal(38, 6)") * 1_000_000).cast("decimal(21, 0)")
    ten_thousandth = ibis.literal(Decimal("0.0001"), type="decimal(5, 4)")
    per_cent = (usd_per_unit.cast("decimal(38, 16)") * ten_thousandth).cast("decimal(37, 16)")
    hundredths = micro_units * per_cent
    whole = hundredths.floor()
    fraction = hundredths - whole
    cents = whole.cast("int64") + ibis.cases(
        (fraction > Decimal("0.5"), 1),
        (fraction == Decimal("0.5"), whole.cast("int64") % 2),
        else_=0,
    )
    return ibis.ifelse(amount < 0, -cents, cents)


def _exact_quotient(dividend: ir.IntegerValue, divisor: ir.IntegerValue) -> ir.IntegerValue:
    """dividend // divisor for non-negative integers below 2**53 when divisible."""
    return (dividend / divisor).round().cast("int64")


def round_ratio(
    cents: ir.IntegerValue, numerator: ir.IntegerValue, denominator: ir.IntegerValue
) -> ir.IntegerValue:
    """round_half_even(cents * numerator / denominator) exactly.

    Requires numerator >= 0, 0 < denominator <= MAX_EXACT_DIVISOR and |cents| < 2**53.
    cents * n / d = q * n + r * n / d with cents = q * d + r, so no product exceeds 2**53.
    """
    magnitude = cents.abs()
    remainder = magnitude % denominator
    whole = _exact_quotient(magnitude - remainder, denominator) * numerator
    part = remainder * numerator
    part_remainder = part % denominator
    floor = whole + _exact_quotient(part - part_remainder, denominator)
    twice = part_remainder * 2
    rounded = floor + ibis.cases(
        (twice > denominator, 1),
        (twice == denominator, floor % 2),
        else_=0,
    )
    return ibis.ifelse(cents < 0, -rounded, rounded)


def cents_to_money(cents: ir.IntegerValue) -> ir.DecimalValue:
    """Integer cents as DECIMAL(18, 2)."""
    hundredth = ibis.literal(Decimal("0.01"), type="decimal(3, 2)")
    return (cents.cast("decimal(38, 0)") * hundredth).cast("decimal(18, 2)")
