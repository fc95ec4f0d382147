"""Periods (YYYY-MM) as month numbers and fiscal years, in plain Python (SPEC 3)."""

from __future__ import annotations

FIRST_MONTH = 12
"""0001-01, the first period there is, as a month number."""


def period_text(number: int) -> str:
    """A month number (year * 12 + month - 1) as YYYY-MM."""
    return f"{number // 12:04d}-{number % 12 + 1:02d}"


def fiscal_year(period: str, start_month: int) -> int:
    """The fiscal year a period falls in, named by the calendar year in which it ends (SPEC 3):
    with a July start, 2016-07 .. 2017-06 is FY2017."""
    year, month = int(period[:4]), int(period[5:7])
    return year + 1 if start_month > 1 and month >= start_month else year
