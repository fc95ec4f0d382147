"""What valid text looks like for each column kind, and its typed value.

Checks and conversions live side by side so that a value accepted by the check is exactly a
value the conversion turns into its type. Limits on digits keep all money arithmetic exact in
64-bit integers and 38-digit decimals (see partnercredit.engine.money).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from partnercredit.contract import Kind
from partnercredit.engine.money import AMOUNT_PLACES, RATE_PLACES
from partnercredit.iso import country_codes, currency_codes

# Every pattern ends with \z (the end of the text), never $: in Java's patterns (Spark) $ also
# matches before a final line break, so "EUR\n" would pass there and fail on DuckDB.
NUMBER = r"^[+-]?[0-9]+(\.[0-9]+)?\z"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}\z"
PERIOD = r"^[0-9]{4}-(0[1-9]|1[0-2])\z"
TIMESTAMP = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ]([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:\.([0-9]{1,9}))?)?"
    r"(Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?\z"
)


def _strict_number(integer: int, fraction: int) -> str:
    """A SPEC number with at most `integer` digits before the point and `fraction` after it,
    not counting leading and trailing zeros."""
    return rf"^[+-]?0*[0-9]{{1,{integer}}}(\.[0-9]{{1,{fraction}}}0*)?\z"


AMOUNT = _strict_number(12, AMOUNT_PLACES)
RATE = _strict_number(4, RATE_PLACES)
QUANTITY_STRICT = r"^0*[0-9]{1,13}\z"

AMOUNT_TYPE = "decimal(18, 6)"
"""The type of amounts when none has more than 6 places after its point (the usual input):
the engine computes with it in 64 bits."""
WIDE_AMOUNT_TYPE = f"decimal({12 + AMOUNT_PLACES}, {AMOUNT_PLACES})"
LONG_AMOUNT = "%._______%"
"""A LIKE pattern of amounts that may need WIDE_AMOUNT_TYPE: 7 or more places after the point."""
RATE_TYPE = f"decimal({4 + RATE_PLACES}, {RATE_PLACES})"

Test = Callable[[ir.StringValue], ir.BooleanValue]


@dataclass(frozen=True)
class ValueRule:
    """What valid text of a kind looks like, and how to name what is wrong with invalid text.

    `valid` is the one test every value goes through. Only values that fail it are examined
    further: `reasons` holds (test, message code) pairs tried in order; the last one has no
    test and names whatever is left.
    """

    valid: Test
    reasons: tuple[tuple[Test | None, str], ...]


def _matches(pattern: str) -> Test:
    return lambda value: value.re_search(pattern)


def _fails(pattern: str) -> Test:
    return lambda value: ~value.re_search(pattern)


# Every day a run works with lies in the years 1 to 9999, which both engines and Python's
# dates hold: year 0000 is no year of the calendar, a month's end (the first day after it) must
# exist, and so must a timestamp's day in UTC.
_YEAR_ZERO = "0000"
_LAST_PERIOD = "9999-11"
_OUT_OF_YEARS_IN_UTC = r"^(9999-12-31.*-[0-9]{2}:?[0-9]{2}|0001-01-01.*\+[0-9]{2}:?[0-9]{2})\z"


def _from_year_one(value: ir.StringValue, pattern: str) -> ir.BooleanValue:
    """`value` matches `pattern` (one that starts with a four-digit year) in a year from 1 on."""
    return value.re_search(pattern) & ~value.startswith(_YEAR_ZERO)


def _is_date(value: ir.StringValue) -> ir.BooleanValue:
    return _from_year_one(value, DATE) & value.try_cast("date").notnull()


def _is_period(value: ir.StringValue) -> ir.BooleanValue:
    return _from_year_one(value, PERIOD) & (value <= _LAST_PERIOD)


def _is_timestamp(value: ir.StringValue) -> ir.BooleanValue:
    return (
        _from_year_one(value, TIMESTAMP)
        & ~value.re_search(_OUT_OF_YEARS_IN_UTC)
        & value.re_extract(TIMESTAMP, 1).try_cast("date").notnull()
    )


def _is_rate(value: ir.StringValue) -> ir.BooleanValue:
    return value.re_search(RATE) & (value.try_cast(RATE_TYPE) > 0)


def _member_of(codes: frozenset[str]) -> Test:
    # One pattern of alternatives: engines run it as an automaton, several times faster than
    # looking the value up in a list of a few hundred literals (which also compiles slowly).
    return _matches("^(" + "|".join(re.escape(code) for code in sorted(codes)) + r")\z")


def _single(valid: Test, code: str) -> ValueRule:
    return ValueRule(valid, ((None, code),))


def value_rule(kind: Kind) -> ValueRule | None:
    """The check of a kind; None for free text."""
    rules: dict[Kind, ValueRule] = {
        Kind.DATE: _single(_is_date, "bad_value.date"),
        Kind.PERIOD: _single(_is_period, "bad_value.period"),
        Kind.TIMESTAMP: _single(_is_timestamp, "bad_value.timestamp"),
        Kind.AMOUNT: ValueRule(
            _matches(AMOUNT),
            ((_fails(NUMBER), "bad_value.number"), (None, "bad_value.amount_digits")),
        ),
        Kind.RATE: ValueRule(
            _is_rate,
            (
                (_fails(NUMBER), "bad_value.number"),
                (_fails(RATE), "bad_value.rate_digits"),
                (None, "bad_value.rate"),
            ),
        ),
        Kind.QUANTITY: _single(_matches(QUANTITY_STRICT), "bad_value.quantity"),
        Kind.COUNTRY: _single(_member_of(country_codes()), "bad_value.country"),
        Kind.CURRENCY: _single(_member_of(currency_codes()), "bad_value.currency"),
    }
    return rules.get(kind)


def typed_value(kind: Kind, value: ir.StringValue, amount_type: str = AMOUNT_TYPE) -> ir.Value:
    """The typed value of text that passed the kind's checks; amounts in `amount_type`."""
    if kind is Kind.DATE:
        return value.try_cast("date")
    if kind is Kind.TIMESTAMP:
        return parse_timestamp(value)
    if kind is Kind.AMOUNT:
        return value.try_cast(amount_type)
    if kind is Kind.RATE:
        return value.try_cast(RATE_TYPE)
    if kind is Kind.QUANTITY:
        return value.try_cast("int64")
    return value


def parse_timestamp(value: ir.StringValue) -> ir.TimestampValue:
    """An ISO 8601 timestamp as a UTC timestamp without zone (no offset means UTC)."""

    def group(index: int) -> ir.StringValue:
        return value.re_extract(TIMESTAMP, index)

    def number(index: int) -> ir.IntegerValue:
        text = group(index)
        return ibis.ifelse(text == "", 0, text.try_cast("int64"))

    fraction = group(5)
    microseconds = ibis.ifelse(fraction == "", 0, fraction.rpad(6, "0").substr(0, 6).cast("int64"))
    offset = group(6)
    offset_minutes = ibis.ifelse(
        (offset == "") | (offset == "Z"),
        0,
        (offset.substr(1, 2).cast("int64") * 60 + offset.right(2).cast("int64"))
        * ibis.ifelse(offset.startswith("-"), -1, 1),
    )
    seconds = number(2) * 3600 + number(3) * 60 + number(4) - offset_minutes * 60
    midnight = group(1).try_cast("date").cast("timestamp")
    return midnight + (seconds * 1_000_000 + microseconds).as_interval("us")
