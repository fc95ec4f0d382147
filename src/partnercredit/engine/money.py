"""Exact money arithmetic on the engine, with half-even rounding to cents (SPEC 7.1).

Money is held as integer cents (int64). Every rounding is applied once to an exact value: a
product of 64-bit integer limbs (or, for the rare rate with more than 12 decimals or amount
with more than 6, of 38-digit decimals), or a ratio of integers. Ibis compiles integer
division to a floating-point division on every backend, so floating point is used in two
ways only: for divisions that are exact by construction (an integer divisible by its
divisor, with a quotient the float holds exactly), and, for the rare divisor beyond
MAX_EXACT_DIVISOR, for an estimate that exact decimal arithmetic then corrects.

The functions work on a table and add one column. The conversion computes each step in a
projection of its own (`view()` stops Ibis from inlining it), because it refers to the same
intermediate value several times and an engine would otherwise compute it again each time;
the ratio's steps are cheap enough to repeat (the wide ones are rare), and one expression
lets the engine skip them for whole shares and for the branch a row does not take.
"""

from __future__ import annotations

from decimal import Decimal

import ibis
import ibis.expr.types as ir

EXACT_CENTS = 2**53
"""Amounts (in cents) below this keep every division below exact."""
MAX_EXACT_DIVISOR = 94_906_265
"""The largest divisor for which remainder * numerator stays below 2**53: larger ones take a
slower path."""
MAX_DIVISOR = 2**53 - 1
"""The largest divisor `add_rounded_ratio` divides by exactly."""
_HALF = Decimal("0.5")


def _step(table: ir.Table, **columns: ir.Value) -> ir.Table:
    return table.mutate(**columns).view()


RATE_PLACES = 24
"""Decimals of a rate that conversion computes exactly."""
_PICO_PLACES = 12
_LIMB = 10**8
"""Conversion multiplies in 64-bit limbs of eight digits: a product of two stays below 2**63."""
_LIMB_SQUARED = _LIMB * _LIMB
_HALF_LIMB_SQUARED = _LIMB_SQUARED // 2
_MICRO_PLACES = 6
_MICROS_PER_UNIT = 10**_MICRO_PLACES
AMOUNT_PLACES = 24
"""Decimals of an amount that conversion computes exactly."""


def rate_parts(rate: ir.DecimalValue) -> tuple[ir.IntegerValue, ir.IntegerValue, ir.IntegerValue]:
    """`rate` (at most RATE_PLACES decimals) as (high, low, rest): its first 12 decimals in
    whole picos (millionths of a millionth) are high * 10**8 + low, and rest (below 10**12) is
    what follows them, in units of 10**-24. Computed on the rates table, which is small, not
    on every line."""
    exact_type = f"decimal(38, {RATE_PLACES})"
    exact = rate.cast(exact_type)
    units = exact.floor().cast("int64")
    # Shifting the whole rate by 12 places would overflow 38 digits; its fraction's does not.
    fraction = exact - units.cast(exact_type)
    picos = units * 10**_PICO_PLACES + (fraction * 10**_PICO_PLACES).floor().cast("int64")
    low = picos % _LIMB
    whole = picos.cast(f"decimal(38, {_PICO_PLACES})") * _power_of_ten(-_PICO_PLACES)
    rest = (exact - whole.cast(exact_type)) * _power_of_ten(RATE_PLACES)
    return _exact_quotient(picos - low, _LIMB), low, rest.cast("int64")


def add_converted_cents(
    table: ir.Table, name: str, amount: str, rate_high: str, rate_low: str, rate_rest: str
) -> ir.Table:
    """Add `name` = round_half_even(amount * rate, 2) in cents (SPEC 7.1), where the rate is
    given in the parts `rate_parts` makes and the amount has at most AMOUNT_PLACES decimals.

    In 64-bit integers: |amount| in whole micros A = a1 * 10**8 + a0 (below 10**18, as
    validation accepts at most 12 digits before the point) times the rate's picos
    W = w1 * 10**8 + w0 (below 10**16) is (a1*w1 + m1) * 10**16 + m0 * 10**8 + a0*w0, where
    a1*w0 + a0*w1 = m1 * 10**8 + m0; every product and sum stays below 2**63, and A * W / 10**16
    is the amount in cents. Only a line whose rate has more than 12 decimals, or whose amount
    has more than 6, takes `_with_rest`, in 38-digit decimals (which DuckDB rescales slowly).
    An amount column of at most 6 decimals (the usual input) skips every step about the
    amount's tail. Spark multiplies decimals exactly too when
    spark.sql.decimalOperations.allowPrecisionLoss is false, as partnercredit sets it.
    """
    table = _with_micros_and_tail(table, amount)
    table = _step(table, _m_a0=table._m_micros % _LIMB)
    table = _step(table, _m_a1=_exact_quotient(table._m_micros - table._m_a0, _LIMB))
    a0, a1, w0, w1 = table._m_a0, table._m_a1, table[rate_low], table[rate_high]
    table = _step(table, _m_middle=a1 * w0 + a0 * w1)
    table = _step(table, _m_m0=table._m_middle % _LIMB)
    middle_high = _exact_quotient(table._m_middle - table._m_m0, _LIMB)
    below = table._m_m0 * _LIMB + table._m_a0 * table[rate_low]
    carry = ibis.ifelse(below >= _LIMB_SQUARED, 1, 0)
    exact = table[rate_rest] == 0
    if _has_tail(table[amount]):
        exact = exact & (table._m_tail == 0)
    table = _step(
        table,
        _m_floor=table._m_a1 * table[rate_high] + middle_high + carry,
        _m_below=below - carry * _LIMB_SQUARED,
        _m_exact=exact,
    )
    table = _with_rest(table, rate_high, rate_low, rate_rest)
    # Half as decimal(1, 1): Spark compares two decimals in a type wide enough for both, and
    # against Ibis's default decimal(18, 3) that type would have lost the fraction's last places.
    half = ibis.literal(_HALF, "decimal(1, 1)")
    cents = ibis.ifelse(
        table._m_exact,
        _rounded(table._m_floor, table._m_below, _HALF_LIMB_SQUARED),
        _rounded(table._m_floor + table._m_carried, table._m_total - table._m_carried, half),
    )
    signed = ibis.ifelse(table[amount] < 0, -cents, cents)
    return table.mutate(**{name: signed}).drop(*(c for c in table.columns if c.startswith("_m_")))


def _has_tail(amount: ir.DecimalValue) -> bool:
    scale = amount.type().scale
    return scale is None or scale > _MICRO_PLACES


def _unless(condition: ir.BooleanValue, value: ir.Value) -> ir.Value:
    """`value` where `condition` is false, else null: an engine computes it only there."""
    return ibis.ifelse(condition, ibis.null(value.type()), value)


def _with_micros_and_tail(table: ir.Table, amount: str) -> ir.Table:
    """Add `_m_micros`, |amount| in whole millionths, and `_m_tail`, its decimals 7 to 24 in
    units of 10**-24. The whole units are taken apart from the fraction: DuckDB keeps both in
    64 bits for an amount of 6 decimals, while |amount| * 10**6 would need 128. An amount of
    a wider type takes the steps in 128 bits only where it has a tail."""
    magnitude = table[amount].abs()
    if not _has_tail(table[amount]):
        return _step(table, _m_micros=_short_micros(magnitude), _m_tail=ibis.literal(0, "int64"))
    # Rounded to 6 places (a cast, several times faster than a try_cast), it is the same
    # amount unless there is a tail; only then can it reach 10**12, beyond decimal(18, 6).
    table = _step(table, _m_rounded=magnitude.cast(f"decimal(38, {_MICRO_PLACES})"))
    exact_type = f"decimal(38, {AMOUNT_PLACES})"
    rounded = table._m_rounded.cast(exact_type)
    table = _step(table, _m_has_tail=rounded != table[amount].abs().cast(exact_type))
    short_type = f"decimal(18, {_MICRO_PLACES})"
    table = _step(table, _m_short=_unless(table._m_has_tail, table._m_rounded.cast(short_type)))
    long = ~table._m_has_tail
    table = _step(table, _m_units=_unless(long, table[amount].abs().floor().cast(exact_type)))
    in_micros = (table[amount].abs() - table._m_units) * _power_of_ten(_MICRO_PLACES)
    table = _step(table, _m_in_micros=in_micros)
    table = _step(table, _m_micro_part=table._m_in_micros.floor())
    # What is left has 18 decimals at most: cut to those, it is shifted to an integer in 38.
    tail_places = AMOUNT_PLACES - _MICRO_PLACES
    left = (table._m_in_micros - table._m_micro_part).cast(f"decimal(38, {tail_places})")
    return _step(
        table,
        _m_micros=ibis.ifelse(
            table._m_has_tail,
            table._m_units.cast("int64") * _MICROS_PER_UNIT + table._m_micro_part.cast("int64"),
            _short_micros(table._m_short),
        ),
        _m_tail=ibis.ifelse(
            table._m_has_tail, (left * _power_of_ten(tail_places)).cast("int64"), 0
        ),
    )


def _short_micros(magnitude: ir.DecimalValue) -> ir.IntegerValue:
    """A non-negative amount of at most 6 decimals in whole millionths, in 64 bits."""
    units = magnitude.floor()
    fraction = (magnitude - units).cast(f"decimal({_MICRO_PLACES + 1}, {_MICRO_PLACES})")
    return units.cast("int64") * _MICROS_PER_UNIT + (fraction * _MICROS_PER_UNIT).cast("int64")


def _rounded(
    floor: ir.IntegerValue, fraction: ir.NumericValue, half: ir.NumericValue | int | Decimal
) -> ir.IntegerValue:
    """floor + fraction rounded half to even, where `half` is what half a unit is (for
    0 <= fraction < 2 * half)."""
    return floor + ibis.cases(
        (fraction > half, 1),
        (fraction == half, floor % 2),
        else_=0,
    )


def _with_rest(table: ir.Table, rate_high: str, rate_low: str, rate_rest: str) -> ir.Table:
    """Add `_m_carried` and `_m_total` for a line whose rate or amount has more decimals than
    the limbs hold (null for the others, which skip every step): the cents to add to
    `_m_floor` and the fraction of a cent left (`_m_total` - `_m_carried`).

    With the amount's tail T and the rate's rest R (both in units of 10**-24), the fraction of
    the cents beyond the limbs' floor is, in units of 10**-34 cents:
    `_m_below` * 10**18 + A * R * 10**6 + T * W + T * R / 10**12. The last term alone is not
    whole: its floor is added, and one more unit of 10**-35 stands for any remainder, which
    decides a tie but can never make one (a sticky digit). At most about 1.02 * 10**37 units
    of 10**-35, in decimal(38, 0). Each value is a step of its own, as it is used twice."""
    wide = "decimal(38, 0)"

    def tail_and_rest(table: ir.Table) -> tuple[ir.DecimalValue, ir.DecimalValue]:
        return table._m_tail.cast(wide), table[rate_rest].cast(wide)

    tail, rest = tail_and_rest(table)
    table = _step(table, _m_beyond=_unless(table._m_exact, tail * rest * _power_of_ten(-12)))
    table = _step(table, _m_beyond_floor=table._m_beyond.floor().cast(wide))
    beyond, beyond_floor = table._m_beyond, table._m_beyond_floor
    sticky = ibis.ifelse(beyond > beyond_floor.cast(beyond.type()), 1, 0)
    picos = table[rate_high].cast(wide) * _LIMB + table[rate_low].cast(wide)
    tail, rest = tail_and_rest(table)
    units = (
        table._m_below.cast(wide) * _power_of_ten(18)
        + table._m_micros.cast(wide) * rest * _power_of_ten(6)
        + tail * picos
        + beyond_floor
    ) * _power_of_ten(1) + sticky
    table = _step(table, _m_total=_unless(table._m_exact, units * _power_of_ten(-35)))
    return _step(table, _m_carried=table._m_total.floor().cast("int64"))


def _power_of_ten(exponent: int) -> ir.DecimalValue:
    """10**exponent as an exact decimal literal of 38 digits (Ibis multiplies two decimals
    only when one type holds the other)."""
    return ibis.literal(Decimal(1).scaleb(exponent), f"decimal(38, {max(-exponent, 0)})")


def exact_usd(amount: ir.DecimalValue, usd_per_unit: ir.DecimalValue) -> ir.DecimalValue:
    """|amount| (rounded to 6 decimals, if it has more) times `usd_per_unit` (at most 12
    decimals), exactly."""
    return amount.abs().cast("decimal(38, 6)") * usd_per_unit.cast("decimal(38, 12)")


def add_rounded_ratio(
    table: ir.Table,
    name: str,
    cents: str,
    numerator: str,
    denominator: str,
    units: str | None = None,
) -> ir.Table:
    """Add `name` = round_half_even(cents * (units + numerator / denominator)), exactly;
    without `units`, of cents * numerator / denominator.

    Requires numerator >= 0, 0 < denominator < 2**53, numerator <= denominator or small, and
    |cents| < 2**53. With cents = q * d + r, cents * n / d = q * n + r * n / d; while
    d <= MAX_EXACT_DIVISOR and n <= d, no product exceeds 2**53 and every division is exact;
    a larger divisor (split credit among numbers of partners that change often within a
    month) takes `_wide_floor`. Most shares are whole (n = d: a partner credited on every day
    of the line); they take the cents as they are, and the engine computes the rounding only
    for the others. A ratio above one (a payout rate of 1.5) is `units` (a non-negative whole
    number, 1) and a fraction below one (1/2): cents * units is added to the whole part,
    before the rounding, which looks at the parity of the whole result.
    """
    value, n, d = table[cents], table[numerator], table[denominator]
    magnitude = value.abs()
    remainder = magnitude % d
    whole = _exact_quotient(magnitude - remainder, d) * n
    if units is not None:
        whole = whole + magnitude * table[units]
    fits = d <= MAX_EXACT_DIVISOR
    # Zero for a wide divisor, so that no engine overflows on a product it does not need.
    part = remainder * ibis.ifelse(fits, n, 0)
    part_remainder = part % d
    # r / d against a half is 2 * r against d.
    narrow = _rounded(whole + _exact_quotient(part - part_remainder, d), part_remainder * 2, d)
    wide_floor, wide_remainder, wide_divisor = _wide_floor(whole, remainder, n, d)
    wide = _rounded(wide_floor, wide_remainder * 2, wide_divisor)
    rounded = ibis.ifelse(fits, narrow, wide)
    signed = ibis.ifelse(value < 0, -rounded, rounded)
    if units is not None:
        return table.mutate(**{name: signed})
    return table.mutate(**{name: ibis.ifelse(n == d, value, signed)})


def _wide_floor(
    whole: ir.IntegerValue,
    remainder: ir.IntegerValue,
    numerator: ir.IntegerValue,
    divisor: ir.IntegerValue,
) -> tuple[ir.IntegerValue, ir.DecimalValue, ir.DecimalValue]:
    """(whole + floor(remainder * numerator / divisor), the division's remainder, divisor)
    for remainder, numerator <= divisor < 2**53: the product, up to 2**106, is exact in
    decimal(38, 0). A floating-point quotient is within 3 of the true one (2 seen at most);
    the remainder it leaves, computed exactly, says by how much (a second floating-point
    quotient, off by at most one near a multiple of the divisor), and one comparison settles
    that last one."""
    wide = "decimal(38, 0)"
    d = divisor.cast(wide)
    product = remainder.cast(wide) * numerator.cast(wide)
    estimate = (
        remainder.cast("float64") * numerator.cast("float64") / divisor.cast("float64")
    ).floor()
    off = product - estimate.cast(wide) * d
    correction = (off.cast("float64") / divisor.cast("float64")).floor()
    left = off - correction.cast(wide) * d
    last = ibis.cases((left < 0, -1), (left >= d, 1), else_=0)
    floor = whole + estimate.cast("int64") + correction.cast("int64") + last
    return floor, left - last.cast(wide) * d, d


def _exact_quotient(dividend: ir.IntegerValue, divisor: ir.IntegerValue | int) -> ir.IntegerValue:
    """dividend / divisor for non-negative integers when divisible, and either the dividend is
    below 2**53 (held exactly, so the division is exact) or the quotient is below 2**50 (the
    floating-point quotient is then within a quarter of it although the dividend is not held
    exactly)."""
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
