"""Exact money arithmetic on the engine against Python's Decimal and Fraction."""

from __future__ import annotations

from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from fractions import Fraction

import ibis
import pyarrow as pa
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from partnercredit.engine.money import (
    AMOUNT_PLACES,
    EXACT_CENTS,
    MAX_EXACT_DIVISOR,
    RATE_PLACES,
    add_converted_cents,
    add_rounded_ratio,
    cents_to_money,
    money_to_cents,
    rate_parts,
)
from partnercredit.validation.parse_values import AMOUNT_TYPE, WIDE_AMOUNT_TYPE


def _amounts(places: int) -> st.SearchStrategy[Decimal]:
    """Amounts of up to 12 digits before the point and `places` after it, built from their
    digits (a Decimal computed in the default context keeps only 28 of them)."""
    largest = 10 ** (12 + places) - 1
    return st.integers(-largest, largest).map(lambda digits: Decimal(f"{digits}E-{places}"))


AMOUNTS = _amounts(6)
LONG_AMOUNTS = st.one_of(_amounts(6), _amounts(14), _amounts(17), _amounts(AMOUNT_PLACES))
RATES = st.one_of(
    *(
        st.decimals(
            min_value=Decimal(1).scaleb(-places),
            max_value=Decimal(10_000) - Decimal(1).scaleb(-places),
            places=places,
            allow_nan=False,
            allow_infinity=False,
        )
        for places in (2, 12, RATE_PLACES)
    )
)
HALVES = [
    ("10.005", "1"),
    ("10.015", "1"),
    ("-10.015", "1"),
    ("-10.005", "1"),
    ("0.005", "1"),
    ("-0.005", "1"),
    ("1000.00", "1.087512345678"),
    ("999999999999.999999", "9999.999999999999"),
    ("-999999999999.999999", "9999.999999999999"),
    ("999999999999.999999", "9999.999999999999999999999999"),
    ("-999999999999.999999", "9999.999999999999999999999999"),
    # The decimals after the 12th decide or carry: 0.5 cents plus a little, half a cent from the
    # rest alone (to even: 0 and 2), 0.99999999 cents carried to a whole cent by the rest.
    ("0.01", "0.500000000000000000000001"),
    ("500000000000", "0.00000000000001"),
    ("500000000000", "0.00000000000003"),
    ("110", "0.009090909090909090909091"),
    ("-110", "0.009090909090909090909091"),
]
LONG_HALVES = [
    # Amounts written from floating-point numbers, in USD: the tail decides or carries.
    ("59.97000000000001", "1"),
    ("0.30000000000000004", "1"),
    ("0.005000000000000000000001", "1"),
    ("-0.005000000000000000000001", "1"),
    ("0.015000000000000000000000", "1"),
    ("999999999999.999999999999999999999999", "9999.999999999999999999999999"),
    ("-999999999999.999999999999999999999999", "9999.999999999999999999999999"),
    # The amount's tail times the rate's rest (about 4e-32 USD) alone lifts a product that is
    # otherwise exactly half a cent (0.004999999999 + 2e-22 + 9.999999998e-13 = 0.005) above
    # the half: 1 cent, where the tie would give 0. Then a product 1.5e-46 USD below 1.5 cents
    # (1.5 * 0.01 - 1.5e-22 * 1e-24): 1 cent, where the tie would give 2.
    ("1.0000000002", "0.004999999999000000000200"),
    ("-1.0000000002", "0.004999999999000000000200"),
    ("1.50000000000000000000015", "0.009999999999999999999999"),
    # Exactly half a cent up to 10**-34 cents, plus 5e-45 USD from the tail times the rest,
    # which only the sticky digit carries: 1 cent, where the tie would give 0.
    ("0.000000500000000000005000", "9999.999999999900000000000001"),
    ("-0.000000500000000000005000", "9999.999999999900000000000001"),
    # Short amounts in the wide type take the same path as in the narrow one.
    *HALVES,
]


@pytest.fixture(scope="module")
def con() -> ibis.BaseBackend:
    return ibis.duckdb.connect()


def _converted(
    con: ibis.BaseBackend, pairs: list[tuple[str, str]], amount_type: str = AMOUNT_TYPE
) -> list[int]:
    table = ibis.memtable(
        pa.table({"amount": [a for a, _ in pairs], "rate": [r for _, r in pairs]})
    )
    rate = table.rate.cast(f"decimal({4 + RATE_PLACES}, {RATE_PLACES})")
    high, low, rest = rate_parts(rate)
    typed = table.select(amount=table.amount.cast(amount_type), high=high, low=low, rest=rest)
    expr = add_converted_cents(typed, "cents", "amount", "high", "low", "rest")
    return con.to_pyarrow(expr).column("cents").to_pylist()


def _expected(amount: str, rate: str) -> int:
    with localcontext(prec=60):
        exact = Decimal(amount) * Decimal(rate) * 100
        return int(exact.quantize(Decimal(1), rounding=ROUND_HALF_EVEN))


def test_conversion_rounds_half_to_even(con: ibis.BaseBackend) -> None:
    assert _converted(con, HALVES) == [_expected(a, r) for a, r in HALVES]


def test_conversion_of_long_amounts_rounds_half_to_even(con: ibis.BaseBackend) -> None:
    converted = _converted(con, LONG_HALVES, WIDE_AMOUNT_TYPE)
    assert converted == [_expected(a, r) for a, r in LONG_HALVES]
    assert converted[7:13] == [1, -1, 1, 1, -1, _expected(*HALVES[0])]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(AMOUNTS, RATES), min_size=1, max_size=50))
def test_conversion_is_exact(con: ibis.BaseBackend, pairs: list[tuple[Decimal, Decimal]]) -> None:
    text = [(str(amount), str(rate)) for amount, rate in pairs]
    assert _converted(con, text) == [_expected(a, r) for a, r in text]


@settings(max_examples=30, deadline=None)
@given(st.lists(st.tuples(LONG_AMOUNTS, RATES), min_size=1, max_size=50))
def test_conversion_of_long_amounts_is_exact(
    con: ibis.BaseBackend, pairs: list[tuple[Decimal, Decimal]]
) -> None:
    text = [(f"{amount:f}", str(rate)) for amount, rate in pairs]
    assert _converted(con, text, WIDE_AMOUNT_TYPE) == [_expected(a, r) for a, r in text]


CENTS = st.integers(-(2**53) + 1, 2**53 - 1)
DIVISORS = st.one_of(
    st.integers(1, MAX_EXACT_DIVISOR),
    # Split credit whose numbers of partners change often within a month.
    st.integers(MAX_EXACT_DIVISOR + 1, 2**53 - 1),
    st.sampled_from([MAX_EXACT_DIVISOR + 1, 2**53 - 1, 31 * 12_252_240]),
)
WIDE_HALVES = [
    # cents, numerator, denominator: exactly half way, to even (0.5 to 0, 2.5 to 2, -2.5 to
    # -2); then a whole and a nearly whole product of the largest values.
    (1, 2**51, 2**52),
    (5, 2**51, 2**52),
    (-5, 2**51, 2**52),
    (2**53 - 1, 2**53 - 2, 2**53 - 1),
    (100_00, 31 * 12_252_240 - 1, 31 * 12_252_240),
]


def _rounded_ratios(con: ibis.BaseBackend, triples: list[tuple[int, int, int]]) -> list[int]:
    table = ibis.memtable(
        pa.table(
            {
                "cents": pa.array([t[0] for t in triples], pa.int64()),
                "numerator": pa.array([t[1] for t in triples], pa.int64()),
                "denominator": pa.array([t[2] for t in triples], pa.int64()),
            }
        )
    )
    expr = add_rounded_ratio(table, "value", "cents", "numerator", "denominator")
    return con.to_pyarrow(expr).column("value").to_pylist()


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(CENTS, DIVISORS).flatmap(
            lambda pair: st.tuples(st.just(pair[0]), st.integers(0, pair[1]), st.just(pair[1]))
        ),
        min_size=1,
        max_size=50,
    )
)
def test_ratio_rounds_half_to_even_exactly(
    con: ibis.BaseBackend, triples: list[tuple[int, int, int]]
) -> None:
    expected = [round(Fraction(c * n, d)) for c, n, d in triples]  # round() is half-even
    assert _rounded_ratios(con, triples) == expected


def test_ratio_of_a_wide_divisor_rounds_halves_to_even(con: ibis.BaseBackend) -> None:
    expected = [round(Fraction(c * n, d)) for c, n, d in WIDE_HALVES]
    assert expected[:3] == [0, 2, -2]
    assert _rounded_ratios(con, WIDE_HALVES) == expected


def _rate_products(con: ibis.BaseBackend, pairs: list[tuple[int, Decimal]]) -> list[int]:
    """cents * rate, rounded half to even, as payouts compute it: a rate of up to 8 places as
    whole units and a fraction below one."""
    fractions = [Fraction(rate) for _, rate in pairs]
    denominators = [10 ** -int(rate.as_tuple().exponent) for _, rate in pairs]
    table = ibis.memtable(
        pa.table(
            {
                "cents": pa.array([cents for cents, _ in pairs], pa.int64()),
                "units": pa.array([int(f) for f in fractions], pa.int64()),
                "numerator": pa.array(
                    [int((f - int(f)) * d) for f, d in zip(fractions, denominators, strict=True)],
                    pa.int64(),
                ),
                "denominator": pa.array(denominators, pa.int64()),
            }
        )
    )
    expr = add_rounded_ratio(table, "value", "cents", "numerator", "denominator", units="units")
    return con.to_pyarrow(expr).column("value").to_pylist()


PAYOUT_RATES = st.decimals(
    min_value=0, max_value=Decimal("9999.99999999"), places=8, allow_nan=False
)


@pytest.mark.parametrize(
    ("cents", "rate", "expected"),
    [
        (1, "1.5", 2),  # 1.5 cents, to even
        (3, "1.5", 4),  # 4.5 cents, to even
        (-3, "1.5", -4),
        (5, "2", 10),
        (10_000_000, "9999.99999999", 100_000_000_000),  # 99,999,999,999.9 cents
        # 497,639,360,000 - 0.49763936 cents; its remainder times 999999999999 is beyond 64 bits
        (49_763_936, "9999.99999999", 497_639_360_000),
        (7, "0.50000000", 4),  # 3.5 cents
    ],
)
def test_payout_rates_above_one_round_half_to_even(
    con: ibis.BaseBackend, cents: int, rate: str, expected: int
) -> None:
    assert _rate_products(con, [(cents, Decimal(rate))]) == [expected]


@settings(max_examples=40, deadline=None)
@given(
    st.lists(
        st.tuples(st.integers(-(10**16) + 1, 10**16 - 1), PAYOUT_RATES), min_size=1, max_size=40
    ).filter(lambda pairs: all(abs(cents * rate) < 2**62 for cents, rate in pairs))
)
def test_payout_rates_round_half_to_even_exactly(
    con: ibis.BaseBackend, pairs: list[tuple[int, Decimal]]
) -> None:
    expected = [round(cents * Fraction(rate)) for cents, rate in pairs]
    assert _rate_products(con, pairs) == expected


@settings(max_examples=30, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.integers(-EXACT_CENTS + 1, EXACT_CENTS - 1),
            st.sampled_from([0, 1, -1, 99, -99, 100, -100, 101, -101]),
        ),
        min_size=1,
        max_size=50,
    )
)
def test_money_turns_back_into_the_same_cents(con: ibis.BaseBackend, cents: list[int]) -> None:
    table = ibis.memtable(pa.table({"cents": pa.array(cents, pa.int64())}))
    money = table.select(money=cents_to_money(table.cents))
    expr = money.select(cents=money_to_cents(money.money))
    assert con.to_pyarrow(money).column("money").to_pylist() == [
        Decimal(value).scaleb(-2) for value in cents
    ]
    assert con.to_pyarrow(expr).column("cents").to_pylist() == cents
