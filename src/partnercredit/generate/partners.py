"""Partner organisations: headquarters with locations, Zipf-sized, and how customers pick them."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

from partnercredit.generate import text
from partnercredit.generate.draws import Draws, Index, categorical, cdf, zipf_weights
from partnercredit.generate.world import COUNTRIES, PARTNER_TRADES, PARTNER_WORDS

_HEADQUARTERS_SHARE = 0.6  # of all partners; the rest are locations
_LOCAL_CHOICE = 0.85  # a customer mostly works with a partner from its own country...
_LOCAL_MARKET = 5  # ...if it has a market of at least this many partners


def partner_count(subscriptions: int) -> int:
    return max(20, subscriptions // 40)


@dataclass(frozen=True)
class Structure:
    """Partners by structure index: headquarters 0..H-1 (0 the biggest), then locations."""

    organisation: Index
    parent: Index  # -1 for headquarters; always a lower index, so there is no cycle
    country: Index
    headquarters: NDArray[np.bool_]

    @property
    def weight(self) -> NDArray[np.float64]:
        """How likely customers pick each partner: Zipf by organisation, split over locations."""
        sizes = np.bincount(self.organisation)
        share = np.where(self.headquarters, 0.4, 0.6 / np.maximum(sizes - 1, 1)[self.organisation])
        share = np.where(sizes[self.organisation] == 1, 1.0, share)
        result: NDArray[np.float64] = zipf_weights(len(sizes), 1.4)[self.organisation] * share
        return result


def structure(draws: Draws, count: int) -> Structure:
    heads = max(1, round(count * _HEADQUARTERS_SHARE))
    locations = np.arange(count - heads, dtype=np.int64)
    owner = np.sort(draws("partner.organisation").choice(locations, cdf(zipf_weights(heads, 1.2))))
    # A location sometimes reports to the previous location of its organisation (a region).
    regional = draws("partner.regional").chance(locations, 0.15)
    regional[1:] &= owner[1:] == owner[:-1]
    regional[:1] = False
    location_parent = np.where(regional, heads + locations - 1, owner)
    country_cdf = cdf([country.weight for country in COUNTRIES])
    head_country = draws("partner.country").choice(np.arange(heads, dtype=np.int64), country_cdf)
    abroad = draws("partner.abroad").chance(locations, 0.3)
    location_country = np.where(
        abroad,
        draws("partner.location_country").choice(locations, country_cdf),
        head_country[owner],
    )
    return Structure(
        organisation=np.concatenate([np.arange(heads, dtype=np.int64), owner]),
        parent=np.concatenate([np.full(heads, -1, np.int64), location_parent]),
        country=np.concatenate([head_country, location_country]),
        headquarters=np.arange(count) < heads,
    )


@dataclass(frozen=True)
class Partners:
    ids: pa.Array  # by structure index
    id_order: Index  # structure indices sorted by id
    structure: Structure
    everywhere: NDArray[np.float64]  # cdf over all partners
    by_country: tuple[tuple[Index, NDArray[np.float64]], ...]  # (members, cdf) per country

    @property
    def count(self) -> int:
        return len(self.ids)

    def pick(self, draws: Draws, name: str, index: Index, country: Index) -> Index:
        """A partner per index, usually one of the customer's country, big ones more often."""
        picked = draws(name).choice(index, self.everywhere)
        local = draws(name + ".local").chance(index, _LOCAL_CHOICE)
        uniform = draws(name + ".local_pick").uniform(index)
        for code, (members, weights) in enumerate(self.by_country):
            chosen = local & (country == code)
            if members.size >= _LOCAL_MARKET and chosen.any():
                picked[chosen] = members[categorical(uniform[chosen], weights)]
        return picked

    def other(self, picked: Index, avoid: Index) -> Index:
        """The picked partners, moved on by one where they equal `avoid`."""
        return np.where(picked == avoid, (picked + 1) % self.count, picked)


def partners(draws: Draws, count: int) -> Partners:
    shape = structure(draws, count)
    number = np.argsort(np.argsort(draws("partner.id").bits(np.arange(count, dtype=np.int64)))) + 1
    weight = shape.weight
    by_country = tuple(
        (members, cdf(weight[members]))
        for members in (np.flatnonzero(shape.country == code) for code in range(len(COUNTRIES)))
    )
    return Partners(text.ids("P", number, 6), np.argsort(number), shape, cdf(weight), by_country)


def partners_table(draws: Draws, chosen: Partners) -> pa.Table:
    """The `partners` rows in id order."""
    shape = chosen.structure
    index = np.arange(chosen.count, dtype=np.int64)
    base = text.names(shape.organisation, PARTNER_WORDS, PARTNER_TRADES)
    legal_form = text.pick(
        text.labels([country.legal_form for country in COUNTRIES]), shape.country
    )
    cities = text.labels([city for country in COUNTRIES for city in country.cities])
    city = text.pick(cities, shape.country * 4 + draws("partner.city").integers(index, 0, 4))
    # Two locations of an organisation in one city are numbered.
    name = text.distinct(
        pc.if_else(pa.array(shape.headquarters), text.join(base, legal_form), text.join(base, city))
    )
    country = text.null_where(
        text.pick(text.labels([country.code for country in COUNTRIES]), shape.country),
        draws("partner.no_country").chance(index, 0.03),
    )
    table = pa.table(
        {
            "partner_id": chosen.ids,
            "name": name,
            "country": country,
            "parent_partner_id": text.pick(chosen.ids, shape.parent),
        }
    )
    return table.take(pa.array(chosen.id_order))
