"""Monthly USD rates of every billing currency but USD, drifting slowly around 2016 levels."""

from __future__ import annotations

import numpy as np
import pyarrow as pa

from partnercredit.generate import text
from partnercredit.generate.draws import Draws, combine
from partnercredit.generate.parameters import Calendar
from partnercredit.generate.world import BASE_CURRENCY, CURRENCIES

_MONTHLY_VOLATILITY = 0.015
_PERSISTENCE = 0.97  # pulls the log deviation back towards the base rate


def fx_table(draws: Draws, calendar: Calendar) -> pa.Table:
    """One row per (period, non-USD currency), ordered by period then currency."""
    rated = [c for c in CURRENCIES if c.code != BASE_CURRENCY]
    month = np.arange(calendar.months, dtype=np.int64)
    parts = []
    for position, currency in enumerate(rated):
        shocks = _MONTHLY_VOLATILITY * draws("fx.shock").normal(combine(month, position))
        deviation = np.zeros(calendar.months)
        for m in range(calendar.months):
            deviation[m] = (deviation[m - 1] if m else 0.0) * _PERSISTENCE + shocks[m]
        scaled = np.round(currency.usd_per_unit * np.exp(deviation) * 10**currency.rate_decimals)
        parts.append(
            pa.table(
                {
                    "period": calendar.periods(month),
                    "currency": pa.array([currency.code] * calendar.months, pa.string()),
                    "usd_per_unit": text.fixed(scaled.astype(np.int64), currency.rate_decimals),
                }
            )
        )
    order = np.argsort(np.tile(month, len(rated)), kind="stable")
    return pa.concat_tables(parts).take(pa.array(order))
