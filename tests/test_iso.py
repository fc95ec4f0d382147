"""The ISO codes that validation accepts (SPEC 4)."""

from __future__ import annotations

import pytest

from partnercredit.iso import country_codes, currency_codes

IN_USE = ["EUR", "USD", "CHF", "VES", "SLE"]
WITHDRAWN_SINCE_2000 = ["HRK", "DEM", "VEF", "SLL", "ANG", "CUC", "MRO", "LTL"]


@pytest.mark.parametrize("code", [*IN_USE, *WITHDRAWN_SINCE_2000])
def test_currencies_in_use_since_2000_are_accepted(code: str) -> None:
    assert code in currency_codes()


@pytest.mark.parametrize("code", ["eur", "EURO", "XYZ", "DDM", "FRR"])
def test_other_texts_are_not_currencies(code: str) -> None:
    assert code not in currency_codes()


def test_countries_are_upper_case_alpha_2() -> None:
    assert {"DE", "AT", "CH", "US", "GB"} <= country_codes()
    assert all(len(code) == 2 and code.isupper() for code in country_codes())
