"""What valid text looks like for each column kind, and its typed value.

Checks and conversions live side by side so that a value accepted by the check is exactly a
value the conversion turns into its type. Limits on digits keep all money arithmetic exact in
64-bit integers and 38-digit decimals (see partnercredit.engine.money).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from partnercredit.contract import Kind
from partnercredit.iso import country_codes, currency_codes

NUMBER = r"^[+-]?[0-9]+(\.[0-9]+)?$"
DATE = r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"
PERIOD = r"^[0-9]{4}-(0[1-9]|1[0-2])$"
QUANTITY = r"^[0-9]+$"
TIMESTAMP = (
    r"^([0-9]{4}-[0-9]{2}-[0-9]{2})"
    r"(?:[T ]([01][0-9]|2[0-3]):([0-5][0-9])(?::([0-5][0-9])(?:\.([0-9]{1,9}))?)?"
    r"(Z|[+-](?:[01][0-9]|2[0-3]):?[0-5][0-9])?)?$"
)


def _digits_within(integer: int, fraction: int) -> str:
    """A number with at most `integer` digits before the point and `fraction` after it,
    ignoring leading and trailing zeros."""
    return rf"^[+-]?0*[0-9]{{1,{integer}}}(\.[0-9]{{0,{fraction}}}0*)?$"


AMOUNT_DIGITS = _digits_within(12, 6)
RATE_DIGITS = _digits_within(5, 12)
QUANTITY_DIGITS = r"^0*[0-9]{1,15}$"

AMOUNT_TYPE = "decimal(18, 6)"
RATE_TYPE = "decimal(17, 12)"


@dataclass(frozen=True)
class ValueRule:
    """One way a non-empty value can be bad: the condition and its message code."""

    is_bad: Callable[[ir.StringValue], ir.BooleanValue]
    code: str


def _not(pattern: str) -> Callable[[ir.StringValue], ir.BooleanValue]:
    return lambda value: ~value.re_search(pattern)


def _not_date(value: ir.StringValue) -> ir.BooleanValue:
    return ~value.re_search(DATE) | value.try_cast("date").isnull()


def _not_timestamp(value: ir.StringValue) -> ir.BooleanValue:
    return ~value.re_search(TIMESTAMP) | value.re_extract(TIMESTAMP, 1).try_cast("date").isnull()


def _not_positive(value: ir.StringValue) -> ir.BooleanValue:
    return value.try_cast(RATE_TYPE) <= 0


def _not_in(codes: frozenset[str]) -> Callable[[ir.StringValue], ir.BooleanValue]:
    # One array literal compiles far faster than an IN list of a few hundred literals.
    known = ibis.literal(sorted(codes), type="array<string>")
    return lambda value: ~known.contains(value)


def value_rules(kind: Kind) -> tuple[ValueRule, ...]:
    """The checks of a kind, in the order they apply (the first failing one is reported)."""
    rules: dict[Kind, tuple[ValueRule, ...]] = {
        Kind.TEXT: (),
        Kind.DATE: (ValueRule(_not_date, "bad_value.date"),),
        Kind.PERIOD: (ValueRule(_not(PERIOD), "bad_value.period"),),
        Kind.TIMESTAMP: (ValueRule(_not_timestamp, "bad_value.timestamp"),),
        Kind.AMOUNT: (
            ValueRule(_not(NUMBER), "bad_value.number"),
            ValueRule(_not(AMOUNT_DIGITS), "bad_value.amount_digits"),
        ),
        Kind.RATE: (
            ValueRule(_not(NUMBER), "bad_value.number"),
            ValueRule(_not(RATE_DIGITS), "bad_value.rate_digits"),
            ValueRule(_not_positive, "bad_value.rate"),
        ),
        Kind.QUANTITY: (
            ValueRule(_not(QUANTITY), "bad_value.quantity"),
            ValueRule(_not(QUANTITY_DIGITS), "bad_value.quantity"),
        ),
        Kind.COUNTRY: (ValueRule(_not_in(country_codes()), "bad_value.country"),),
        Kind.CURRENCY: (ValueRule(_not_in(currency_codes()), "bad_value.currency"),),
    }
    return rules[kind]


def typed_value(kind: Kind, value: ir.StringValue) -> ir.Value:
    """The typed value of text that passed the kind's checks."""
    if kind is Kind.DATE:
        return value.try_cast("date")
    if kind is Kind.TIMESTAMP:
        return parse_timestamp(value)
    if kind is Kind.AMOUNT:
        return value.try_cast(AMOUNT_TYPE)
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
