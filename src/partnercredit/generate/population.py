"""Customers and their subscriptions, one chunk of customers at a time."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from functools import cached_property

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from partnercredit.generate import text
from partnercredit.generate.draws import Draws, Index, cdf
from partnercredit.generate.setting import Setting
from partnercredit.generate.world import (
    CATEGORIES,
    CATEGORY_WEIGHTS,
    COUNTRIES,
    CURRENCIES,
    CUSTOMER_TRADES,
    CUSTOMER_WORDS,
    DIRECT_OFFER,
    OFFER_WEIGHTS,
    OFFERS,
    PRODUCTS,
    TRIAL,
)

_SUBSCRIPTIONS_PER_CUSTOMER = (0.55, 0.30, 0.15)  # 1, 2 or 3
MEAN_SUBSCRIPTIONS = sum((n + 1) * share for n, share in enumerate(_SUBSCRIPTIONS_PER_CUSTOMER))
_EXISTING = 0.6  # subscriptions already running before the first period
_LOOKBACK_DAYS = 3 * 365
_MONTHLY_CHURN = 0.012
_TRIAL_MONTHS = (1, 4)  # a trial is billed (at zero) for 1 to 3 months, then ends
_SPLIT = 0.35  # O365 subscriptions billed per workload


@dataclass(frozen=True)
class Customers:
    index: Index  # global, 0-based
    country: Index
    partner: Index  # the partner the customer mostly works with (structure index)
    subscriptions: Index  # how many each owns
    first_subscription: int  # global index of the chunk's first subscription

    @cached_property
    def ids(self) -> pa.Array:
        return text.ids("C", self.index + 1, 8)

    @cached_property
    def currency(self) -> Index:
        codes = [currency.code for currency in CURRENCIES]
        return np.array([codes.index(country.currency) for country in COUNTRIES])[self.country]


def customer_chunks(draws: Draws, subscriptions: int, chunk_customers: int) -> Iterator[Index]:
    """Subscriptions per customer, chunk by chunk, adding up to `subscriptions` in all."""
    first = 0
    remaining = subscriptions
    while remaining > 0:
        index = np.arange(first, first + chunk_customers, dtype=np.int64)
        owned = 1 + draws("customer.subscriptions").choice(index, cdf(_SUBSCRIPTIONS_PER_CUSTOMER))
        total = np.cumsum(owned)
        if total[-1] >= remaining:
            owned = owned[: int(np.searchsorted(total, remaining)) + 1]
            owned[-1] -= int(owned.sum()) - remaining
        yield owned
        remaining -= int(owned.sum())
        first += len(owned)


def customers(setting: Setting, first: int, first_subscription: int, owned: Index) -> Customers:
    draws, partners = setting.draws, setting.partners
    index = np.arange(first, first + len(owned), dtype=np.int64)
    country = draws("customer.country").choice(index, cdf([c.weight for c in COUNTRIES]))
    partner = partners.pick(draws, "customer.partner", index, country)
    return Customers(index, country, partner, owned, first_subscription)


def customers_table(draws: Draws, chunk: Customers) -> pa.Table:
    legal_form = text.labels([country.legal_form for country in COUNTRIES])
    name = text.join(
        text.names(chunk.index, CUSTOMER_WORDS, CUSTOMER_TRADES),
        text.pick(legal_form, chunk.country),
    )
    country = text.null_where(
        text.pick(text.labels([country.code for country in COUNTRIES]), chunk.country),
        draws("customer.no_country").chance(chunk.index, 0.02),
    )
    return pa.table({"customer_id": chunk.ids, "name": name, "country": country})


@dataclass(frozen=True)
class Subscriptions:
    index: Index  # global, 0-based
    owner: Index  # position of the customer in its chunk
    product: Index
    category: Index
    offer: Index
    split: NDArray[np.bool_]  # billed per workload
    dpor_partner: Index  # -1: no partner of record at the start
    transacting_partner: Index  # -1: bought directly
    start_day: Index
    first_month: Index  # first billed month (>= 0)
    end_month: Index  # after the last billed month (<= months)

    @cached_property
    def ids(self) -> pa.Array:
        return text.ids("S", self.index + 1, 9)


def subscriptions(setting: Setting, owners: Customers) -> Subscriptions:
    draws, calendar, partners = setting.draws, setting.calendar, setting.partners
    owner = np.repeat(np.arange(len(owners.index), dtype=np.int64), owners.subscriptions)
    index = owners.first_subscription + np.arange(len(owner), dtype=np.int64)
    country = owners.country[owner]
    product = draws("subscription.product").choice(index, cdf([p.weight for p in PRODUCTS]))
    offer = draws("subscription.offer").choice(index, cdf(OFFER_WEIGHTS))
    splittable = np.array([p.split_by_workload for p in PRODUCTS])[product]
    own_partner = draws("subscription.own_partner").chance(index, 0.8)
    dpor = np.where(
        own_partner,
        owners.partner[owner],
        partners.pick(draws, "subscription.dpor", index, country),
    )
    dpor = np.where(draws("subscription.has_dpor").chance(index, 0.85), dpor, -1)
    reseller = partners.pick(draws, "subscription.reseller", index, country)
    transacting = np.where(
        (dpor >= 0) & draws("subscription.resells_own").chance(index, 0.5), dpor, reseller
    )
    category = draws("subscription.category").choice(index, cdf(CATEGORY_WEIGHTS))
    trial = category == TRIAL
    window = calendar.end_day - calendar.start_day
    start_day = np.where(
        draws("subscription.existing").chance(index, _EXISTING) & ~trial,
        calendar.start_day - 1 - draws("subscription.age").integers(index, 0, _LOOKBACK_DAYS),
        calendar.start_day + draws("subscription.start").integers(index, 0, window),
    )
    first_month = np.maximum(calendar.month_of(start_day), 0)
    lifetime = np.log(draws("subscription.churn").uniform(index)) / np.log1p(-_MONTHLY_CHURN)
    lifetime = np.where(
        trial, draws("subscription.trial_months").integers(index, *_TRIAL_MONTHS) - 1, lifetime
    )
    end_month = np.minimum(first_month + 1 + lifetime.astype(np.int64), calendar.months)
    return Subscriptions(
        index=index,
        owner=owner,
        product=product,
        category=category,
        offer=offer,
        split=splittable & draws("subscription.split").chance(index, _SPLIT),
        dpor_partner=dpor,
        transacting_partner=np.where(offer == DIRECT_OFFER, -1, transacting),
        start_day=start_day,
        first_month=first_month,
        end_month=end_month,
    )


def subscriptions_table(draws: Draws, chunk: Subscriptions, owners: Customers) -> pa.Table:
    offer = text.null_where(
        text.pick(text.labels(OFFERS), chunk.offer),
        draws("subscription.no_offer").chance(chunk.index, 0.02),
    )
    return pa.table(
        {
            "subscription_id": chunk.ids,
            "customer_id": text.pick(owners.ids, chunk.owner),
            "offer": offer,
            "category": text.pick(text.labels(CATEGORIES), chunk.category),
        }
    )
