"""Exact money arithmetic on the engine, with half-even rounding to cents (SPEC 7.1).

Money is held as integer cents (int64). Every rounding is applied once to an exact value:
either a 38-digit integer product whose last digits are cut off as text, or a ratio of 64-bit
integers. Nothing passes through floating point except divisions that are exact by
construction (an integer divisible by its divisor, both below 2**53), because Ibis compiles
integer division to a floating-point division on every backend.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.types as ir

AMOUNT_SCALE = 6
"""Decimal places of revenue amounts (validation rejects more significant places)."""
RATE_SCALE = 12
"""Decimal places of fx rates."""
MAX_EXACT_DIVISOR = 94_906_265
"""The largest divisor for which remainder * numerator stays below 2**53."""


def scaled_integer(value: ir.DecimalValue, scale: int) -> ir.IntegerValue:
    """A decimal with at most `scale` places as the integer value * 10**scale."""
    return (value.cast(f"decimal(38, {scale})") * 10**scale).cast("int64")


def round_shifted(product: ir.DecimalValue, digits: int) -> ir.IntegerValue:
    """round_half_even(product / 10**digits) for an integer-valued decimal(38, 0)."""
    text = product.abs().cast("string").lpad(digits + 1, "0")
    length = text.length()
    quotient = text.substr(0, length - digits).cast("int64")
    remainder = text.substr(length - digits)
    half = "5" + "0" * (digits - 1)
    rounded = quotient + ibis.cases(
        (remainder > half, 1),
        (remainder == half, quotient % 2),
        else_=0,
    )
    return ibis.ifelse(product < 0, -rounded, rounded)


def convert_to_cents(amount: ir.DecimalValue, usd_per_unit: ir.DecimalValue) -> ir.IntegerValue:
    """amount_usd in cents: round_half_even(amount * usd_per_unit, 2) (SPEC 7.1)."""
    product = scaled_integer(amount, AMOUNT_SCALE).cast("decimal(38, 0)") * scaled_integer(
        usd_per_unit, RATE_SCALE
    ).cast("decimal(38, 0)")
    return round_shifted(product, AMOUNT_SCALE + RATE_SCALE - 2)


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
    return (cents.cast("decimal(38, 0)") * ibis.literal(Decimal("0.01"))).cast("decimal(18, 2)")
