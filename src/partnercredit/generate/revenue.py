"""Monthly revenue lines: seats or usage that grow, follow the seasons, end, and are refunded."""

from __future__ import annotations

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from partnercredit.generate import text
from partnercredit.generate.draws import Draws, Index, combine
from partnercredit.generate.parameters import Calendar
from partnercredit.generate.population import Customers, Subscriptions
from partnercredit.generate.setting import Setting
from partnercredit.generate.world import CURRENCIES, PRODUCTS, TRIAL, WORKLOAD_SHARES, WORKLOADS

_REFUNDS = 0.004
_MAX_SEATS = 50_000


def _expand(counts: Index) -> tuple[Index, Index]:
    """For items with the given counts: the item of each expanded row and its rank within."""
    item = np.repeat(np.arange(len(counts), dtype=np.int64), counts)
    first = np.cumsum(counts) - counts
    return item, np.arange(len(item), dtype=np.int64) - first[item]


def _cent_unit(currency: Index) -> Index:
    """Amounts are whole cents, or whole units in currencies without minor units (JPY)."""
    return np.array([10 ** (2 - c.minor_units) for c in CURRENCIES], np.int64)[currency]


def _usd_per_unit(currency: Index) -> NDArray[np.float64]:
    return np.array([c.usd_per_unit for c in CURRENCIES])[currency]


def _to_units(amount: NDArray[np.float64], unit: Index) -> Index:
    return np.round(amount / unit).astype(np.int64) * unit


def _monthly_cents(
    draws: Draws, calendar: Calendar, subs: Subscriptions, sub: Index, month: Index
) -> tuple[NDArray[np.float64], Index, NDArray[np.bool_]]:
    """USD cents billed per (subscription, month), the seats, and whether billed per seat."""
    index = subs.index[sub]
    age = month - subs.first_month[sub]
    product = subs.product[sub]
    per_seat = np.array([p.per_seat for p in PRODUCTS])[product]
    list_usd = np.array([p.usd for p in PRODUCTS])[product]
    seats = np.exp(2.3 + 1.3 * draws("revenue.seats").normal(index))
    seats = seats * np.exp((0.01 + 0.02 * draws("revenue.seat_growth").normal(index)) * age)
    seats = np.clip(np.round(seats), 1, _MAX_SEATS).astype(np.int64)
    discount = 0.2 * draws("revenue.discount").uniform(index)
    usage = np.exp(draws("revenue.usage").normal(index))
    usage *= np.exp((0.02 + 0.03 * draws("revenue.usage_growth").normal(index)) * age)
    calendar_month = (calendar.first_month.astype(int) + month) % 12
    usage *= 1.0 + 0.12 * np.sin(2.0 * np.pi * (calendar_month - 2) / 12.0)
    usage *= np.exp(0.15 * draws("revenue.usage_noise").normal(combine(index, month)))
    usd = list_usd * np.where(per_seat, seats * (1.0 - discount), usage)
    # A subscription that starts within a month pays for the days it had.
    days = calendar.days_in(month)
    used = calendar.month_start(month) + days - subs.start_day[sub]
    usd *= np.where(used < days, used / days, 1.0)
    usd *= subs.category[sub] != TRIAL
    return usd * 100.0, seats, per_seat


def revenue_table(
    setting: Setting, subs: Subscriptions, owners: Customers, first_line: int
) -> pa.Table:
    draws, calendar = setting.draws, setting.calendar
    sub, rank = _expand(subs.end_month - subs.first_month)
    month = subs.first_month[sub] + rank
    usd_cents, seats, per_seat = _monthly_cents(draws, calendar, subs, sub, month)
    split = subs.split[sub]
    row, workload = _expand(np.where(split, len(WORKLOADS), 1))
    sub, workload = sub[row], np.where(split[row], workload, -1)
    # One draw index per charge, whatever the chunks: (subscription, month and workload).
    charge = combine(subs.index[sub], month[row] * (len(WORKLOADS) + 1) + workload + 1)
    currency = owners.currency[subs.owner[sub]]
    unit = _cent_unit(currency)
    share = np.append(np.array(WORKLOAD_SHARES), 1.0)[workload]
    cents = _to_units(usd_cents[row] * share / _usd_per_unit(currency), unit)
    # Some charges are partly or wholly refunded in the same month: a negative line of its own
    # right after the charge.
    refunded = draws("revenue.refund").chance(charge, _REFUNDS) & (cents > 0)
    refund_cents = _to_units(cents * draws("revenue.refund_share").uniform(charge), unit)
    item, rank = _expand(1 + refunded.astype(np.int64))
    refund = rank == 1
    row, sub, workload, currency = row[item], sub[item], workload[item], currency[item]
    cents = np.where(refund, -np.maximum(refund_cents[item], unit[item]), cents[item])
    quantity = np.where(refund, 0, seats[row])
    line = first_line + np.arange(len(item), dtype=np.int64)
    return pa.table(
        {
            "line_id": text.ids("L", line + 1, 10),
            "subscription_id": text.pick(subs.ids, sub),
            "period": text.pick(calendar.periods(np.arange(calendar.months)), month[row]),
            "product": text.pick(text.labels([p.code for p in PRODUCTS]), subs.product[sub]),
            "workload": text.pick(text.labels(WORKLOADS), workload),
            "amount": text.fixed(cents, 2),
            "currency": text.pick(text.labels([c.code for c in CURRENCIES]), currency),
            "quantity": text.null_where(text.integers(quantity), ~per_seat[row] & ~refund),
            "transacting_partner_id": text.pick(
                setting.partners.ids, subs.transacting_partner[sub]
            ),
        }
    )
