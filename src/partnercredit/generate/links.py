"""The associations between partners and customers: DPOR events, delegated admin, FastTrack, PAL."""

from __future__ import annotations

from dataclasses import dataclass, fields

import numpy as np
import pyarrow as pa
from numpy.typing import NDArray

from partnercredit.generate import text
from partnercredit.generate.draws import Draws, Index, Stream, combine
from partnercredit.generate.population import Customers, Subscriptions
from partnercredit.generate.setting import Setting
from partnercredit.generate.world import WORKLOADS

_DAY = 86_400
_HOUR = 3_600


def recorded_at(
    draws: Draws, name: str, index: Index, day: Index, evening: NDArray[np.bool_] | bool = False
) -> pa.Array:
    """When the source system learned of it: mostly that day, sometimes days later, or unknown.
    Office hours, or the evening for corrections made later the same day."""
    late = draws(name + ".late").chance(index, 0.08)
    delay = np.where(late, 1 + draws(name + ".delay").integers(index, 0, 45), 0)
    opens = np.where(evening, 18 * _HOUR, 8 * _HOUR)
    closes = np.where(evening, _DAY, 18 * _HOUR)
    seconds = (day + delay) * _DAY + opens + draws(name + ".time").spread(index, closes - opens)
    return text.null_where(text.timestamps(seconds), draws(name + ".unknown").chance(index, 0.04))


@dataclass(frozen=True)
class _Events:
    sub: Index  # position of the subscription in its chunk
    day: Index
    partner: Index  # -1: removal
    workload: Index  # -1: the whole subscription
    kind: Index  # orders the events of one subscription and day

    @staticmethod
    def select(
        kind: int, mask: NDArray[np.bool_], day: Index, partner: Index, workload: Index
    ) -> _Events:
        rows = np.flatnonzero(mask)
        return _Events(rows, day[rows], partner[rows], workload[rows], np.full(len(rows), kind))

    @staticmethod
    def concat(parts: list[_Events]) -> _Events:
        columns = [np.concatenate([getattr(p, f.name) for p in parts]) for f in fields(_Events)]
        order = np.lexsort((columns[4], columns[1], columns[0]))
        return _Events(*(column[order] for column in columns))


def _dpor_events(setting: Setting, subs: Subscriptions, country: Index) -> _Events:
    """Per subscription: the partner of record from its start, same-day corrections, changes,
    removals, later adoptions and workload-specific partners."""
    draws, calendar, partners = setting.draws, setting.calendar, setting.partners
    index = subs.index
    span = np.minimum(calendar.month_start(subs.end_month), calendar.end_day) - subs.start_day
    has = subs.dpor_partner >= 0
    whole = np.full(len(index), -1, np.int64)

    def chance(name: str, share: float) -> NDArray[np.bool_]:
        return draws(f"dpor.{name}").chance(index, share)

    def day_in_span(name: str, after_start: int) -> Index:
        room = np.maximum(span - after_start, 1)
        return subs.start_day + after_start + draws(f"dpor.{name}.day").spread(index, room)

    def picked(name: str) -> Index:
        return partners.pick(draws, f"dpor.{name}.partner", index, country)

    def another(name: str) -> Index:
        return partners.other(picked(name), subs.dpor_partner)

    moves = has & (span > 1)
    return _Events.concat(
        [
            _Events.select(0, has, subs.start_day, subs.dpor_partner, whole),
            _Events.select(1, has & chance("fix", 0.03), subs.start_day, another("fix"), whole),
            _Events.select(
                2,
                moves & chance("change", 0.15),
                day_in_span("change", 1),
                another("change"),
                whole,
            ),
            _Events.select(
                3, moves & chance("removal", 0.04), day_in_span("removal", 1), whole, whole
            ),
            _Events.select(
                4, ~has & chance("adopt", 0.3), day_in_span("adopt", 0), picked("adopt"), whole
            ),
            _Events.select(
                5,
                subs.split & chance("workload", 0.3),
                day_in_span("workload", 0),
                picked("workload"),
                draws("dpor.workload.which").integers(index, 0, len(WORKLOADS)),
            ),
        ]
    )


def dpor_table(
    setting: Setting, subs: Subscriptions, owners: Customers, first_event: int
) -> pa.Table:
    events = _dpor_events(setting, subs, owners.country[subs.owner])
    key = combine(subs.index[events.sub], events.kind)
    fix = events.kind == 1
    return pa.table(
        {
            "event_id": text.ids("E", first_event + 1 + np.arange(len(key)), 10),
            "subscription_id": text.pick(subs.ids, events.sub),
            "workload": text.pick(text.labels(WORKLOADS), events.workload),
            "partner_id": text.pick(setting.partners.ids, events.partner),
            "effective_date": text.dates(events.day),
            "recorded_at": recorded_at(setting.draws, "dpor.recorded", key, events.day, fix),
        }
    )


@dataclass(frozen=True)
class LinkShape:
    """How often customers link a partner of one kind, and for how long."""

    name: str
    share: float  # of customers with a link
    second_share: float  # of those with a second one
    own_partner: float  # first links to the customer's usual partner
    end_share: float  # links that end (else open-ended)
    duration: tuple[int, int]  # days, when they end
    lookback_days: int  # how long before the first period links may start


@dataclass(frozen=True)
class Links:
    owner: Index  # position of the customer in its chunk
    key: Index  # draw index of the row
    partner: Index
    start: Index
    end: Index  # -1: open-ended
    recorded: pa.Array


def customer_links(setting: Setting, shape: LinkShape, owners: Customers) -> Links:
    draws, calendar = setting.draws, setting.calendar

    def stream(part: str) -> Stream:
        return draws(f"{shape.name}.{part}")

    first = stream("first").chance(owners.index, shape.share)
    second = first & stream("second").chance(owners.index, shape.second_share)
    owner = np.concatenate([np.flatnonzero(first), np.flatnonzero(second)])
    slot = np.repeat([0, 1], [int(first.sum()), int(second.sum())])
    order = np.lexsort((slot, owner))
    owner, slot = owner[order], slot[order]
    key = combine(owners.index[owner], slot)
    own = (slot == 0) & stream("own").chance(key, shape.own_partner)
    picked = setting.partners.pick(draws, f"{shape.name}.partner", key, owners.country[owner])
    days = shape.lookback_days + calendar.end_day - calendar.start_day
    start = calendar.start_day - shape.lookback_days + stream("start").integers(key, 0, days)
    ends = stream("ends").chance(key, shape.end_share)
    end = np.where(ends, start + stream("duration").integers(key, *shape.duration), -1)
    return Links(
        owner=owner,
        key=key,
        partner=np.where(own, owners.partner[owner], picked),
        start=start,
        end=end,
        recorded=recorded_at(draws, f"{shape.name}.recorded", key, start),
    )


DELEGATED_ADMIN = LinkShape("delegated_admin", 0.35, 0.25, 0.6, 0.25, (1, 541), 730)
FASTTRACK = LinkShape("fasttrack", 0.06, 0.1, 0.3, 0.85, (30, 271), 180)
PARTNER_ADMIN_LINKS = LinkShape("pal", 0.07, 0.2, 0.5, 0.7, (30, 721), 365)


def _workload(
    setting: Setting, name: str, links: Links, share: float, billed_by_workload: NDArray[np.bool_]
) -> pa.Array:
    """A workload for some of the links whose customer (or subscription) is billed by
    workload: elsewhere a workload would match none of its lines."""
    limited = setting.draws(f"{name}.limited").chance(links.key, share) & billed_by_workload
    which = setting.draws(f"{name}.workload").integers(links.key, 0, len(WORKLOADS))
    return text.pick(text.labels(WORKLOADS), np.where(limited, which, -1))


def _billed_by_workload(owners: Customers, subs: Subscriptions) -> NDArray[np.bool_]:
    """Per customer of the chunk: whether one of its subscriptions is billed by workload."""
    return np.bincount(subs.owner[subs.split], minlength=len(owners.index)) > 0


def delegated_admin_table(setting: Setting, owners: Customers, first_row: int) -> pa.Table:
    links = customer_links(setting, DELEGATED_ADMIN, owners)
    return pa.table(
        {
            "relationship_id": text.ids("R", first_row + 1 + np.arange(len(links.key)), 9),
            "partner_id": text.pick(setting.partners.ids, links.partner),
            "customer_id": text.pick(owners.ids, links.owner),
            "granted_on": text.dates(links.start),
            "revoked_on": text.null_where(text.dates(links.end), links.end < 0),
            "recorded_at": links.recorded,
        }
    )


def fasttrack_table(
    setting: Setting, owners: Customers, subs: Subscriptions, first_row: int
) -> pa.Table:
    links = customer_links(setting, FASTTRACK, owners)
    billed_by_workload = _billed_by_workload(owners, subs)[links.owner]
    return pa.table(
        {
            "engagement_id": text.ids("F", first_row + 1 + np.arange(len(links.key)), 9),
            "partner_id": text.pick(setting.partners.ids, links.partner),
            "customer_id": text.pick(owners.ids, links.owner),
            "workload": _workload(setting, FASTTRACK.name, links, 0.6, billed_by_workload),
            "start_date": text.dates(links.start),
            "end_date": text.null_where(text.dates(links.end), links.end < 0),
            "recorded_at": links.recorded,
        }
    )


def associations_table(
    setting: Setting, owners: Customers, subs: Subscriptions, first_row: int
) -> pa.Table:
    """`pal` links of a customer or of one of its subscriptions. The hidden columns hold both
    scopes of every row, for the bad rows of --messy."""
    links = customer_links(setting, PARTNER_ADMIN_LINKS, owners)
    first_sub = np.cumsum(owners.subscriptions) - owners.subscriptions
    draws = setting.draws
    sub = first_sub[links.owner] + draws("pal.which").spread(
        links.key, owners.subscriptions[links.owner]
    )
    on_subscription = draws("pal.on_subscription").chance(links.key, 0.5)
    billed_by_workload = np.where(
        on_subscription, subs.split[sub], _billed_by_workload(owners, subs)[links.owner]
    )
    customer_id = text.pick(owners.ids, links.owner)
    subscription_id = text.pick(subs.ids, sub)
    return pa.table(
        {
            "association_id": text.ids("A", first_row + 1 + np.arange(len(links.key)), 9),
            "type": pa.array(np.full(len(links.key), "pal"), pa.string()),
            "partner_id": text.pick(setting.partners.ids, links.partner),
            "customer_id": text.null_where(customer_id, on_subscription),
            "subscription_id": text.null_where(subscription_id, ~on_subscription),
            "workload": _workload(
                setting, PARTNER_ADMIN_LINKS.name, links, 0.3, billed_by_workload
            ),
            "valid_from": text.dates(links.start),
            "valid_to": text.null_where(text.dates(links.end), links.end < 0),
            "recorded_at": links.recorded,
            "_customer_id": customer_id,
            "_subscription_id": subscription_id,
        }
    )
