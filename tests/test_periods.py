"""`periods.fiscal_year`: a fiscal year starts in `fiscal_year_start_month` and is named by the
calendar year in which it ends (SPEC 3: with the start month 7, FY2017 = 2016-07 .. 2017-06)."""

from __future__ import annotations

import pytest

from partnercredit.periods import fiscal_year

# The fiscal year of each month 2016-01 .. 2016-12, by start month, written out by hand: the
# months before the start month end their fiscal year in 2016, the start month and those after
# it begin the fiscal year that ends in 2017. A year starting in January is the calendar year.
FISCAL_YEARS_OF_2016 = {
    1: [2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016],
    7: [2016, 2016, 2016, 2016, 2016, 2016, 2017, 2017, 2017, 2017, 2017, 2017],
    10: [2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2017, 2017, 2017],
    12: [2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2016, 2017],
}
EVERY_MONTH = [
    (f"2016-{month:02d}", start, years[month - 1])
    for start, years in FISCAL_YEARS_OF_2016.items()
    for month in range(1, 13)
]

# Each start month's fiscal year from its first to its last month, and the months either side.
BOUNDARIES = [
    # start 1: FY2017 = 2017-01 .. 2017-12
    ("2016-12", 1, 2016),
    ("2017-01", 1, 2017),
    ("2017-12", 1, 2017),
    ("2018-01", 1, 2018),
    # start 7 (the default): FY2017 = 2016-07 .. 2017-06
    ("2016-06", 7, 2016),
    ("2016-07", 7, 2017),
    ("2017-06", 7, 2017),
    ("2017-07", 7, 2018),
    # start 10: FY2017 = 2016-10 .. 2017-09
    ("2016-09", 10, 2016),
    ("2016-10", 10, 2017),
    ("2017-09", 10, 2017),
    ("2017-10", 10, 2018),
    # start 12: FY2017 = 2016-12 .. 2017-11
    ("2016-11", 12, 2016),
    ("2016-12", 12, 2017),
    ("2017-11", 12, 2017),
    ("2017-12", 12, 2018),
    # the ends of the calendar: a fiscal year may be named after the year 9999
    ("0001-01", 7, 1),
    ("0001-07", 7, 2),
    ("9999-06", 7, 9999),
    ("9999-07", 7, 10000),
]


@pytest.mark.parametrize(("period", "start_month", "year"), EVERY_MONTH + BOUNDARIES)
def test_fiscal_year(period: str, start_month: int, year: int) -> None:
    assert fiscal_year(period, start_month) == year


@pytest.mark.parametrize("start_month", [1, 7, 10, 12])
def test_a_fiscal_year_is_twelve_consecutive_months(start_month: int) -> None:
    """Walking month by month through 2015-01 .. 2018-12, the fiscal year goes up by one
    exactly when the walk reaches the start month, and never otherwise."""
    periods = [f"{year}-{month:02d}" for year in range(2015, 2019) for month in range(1, 13)]
    years = [fiscal_year(period, start_month) for period in periods]
    for before, after, period in zip(years, years[1:], periods[1:], strict=False):
        assert after - before == (1 if int(period[5:]) == start_month else 0), period
