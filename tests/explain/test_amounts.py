"""An explanation shows a line's amount with the decimals it has, whatever places the run
kept it with."""

from __future__ import annotations

from decimal import Decimal

import pytest

from partnercredit.explain.explain_line import _significant


@pytest.mark.parametrize(
    ("kept", "shown"),
    [
        ("1000.000000", "1000"),  # whole, as a yen amount is written
        ("12.500000", "12.50"),  # money has two places
        ("403.630000", "403.63"),
        ("0.123456", "0.123456"),
        ("-5.500000", "-5.50"),
        ("-0.000000", "0"),
        ("0.500000000000000000000001", "0.500000000000000000000001"),
        ("123456789012.000000000000000000000000", "123456789012"),
    ],
)
def test_amounts_keep_their_own_decimals(kept: str, shown: str) -> None:
    assert format(_significant(Decimal(kept)), "f") == shown
