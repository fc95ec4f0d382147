"""Under split credit, how a line's days were shared among its partners (SPEC 7.8-7.9)."""

from __future__ import annotations

from collections import Counter, defaultdict
from datetime import date, timedelta
from fractions import Fraction

from partnercredit.explain.models import DaysShared, PartnersOnDays, SplitShare

CreditedRow = tuple[str, str]
"""A ledger row of one line and program: (partner_id, association_type)."""


def partners_on_days(first_day: date, credited: list[dict[str, str]]) -> tuple[PartnersOnDays, ...]:
    """The days on which anybody was credited, merged where as many partners were credited;
    `credited` holds each day's partners, from `first_day` on."""
    spans: list[PartnersOnDays] = []
    for offset, partners in enumerate(credited):
        day = first_day + timedelta(days=offset)
        if not partners:
            continue
        last = spans[-1] if spans else None
        if last and last.partners == len(partners) and last.last_day == day - timedelta(days=1):
            spans[-1] = PartnersOnDays(last.first_day, day, last.partners)
        else:
            spans.append(PartnersOnDays(day, day, len(partners)))
    return tuple(spans)


def split_shares(credited: list[dict[str, str]]) -> dict[CreditedRow, SplitShare]:
    """Each credited row's share of the line: on each of its days, 1 / (D * the partners
    credited that day); `credited` holds each day's partners with their type, for all D days
    of the month."""
    days_by_partners: defaultdict[CreditedRow, Counter[int]] = defaultdict(Counter)
    for partners in credited:
        for partner, link_type in partners.items():
            days_by_partners[(partner, link_type)][len(partners)] += 1
    month_days = len(credited)
    return {
        row: SplitShare(
            parts=tuple(DaysShared(days, partners) for partners, days in sorted(counts.items())),
            fraction=sum(
                (Fraction(days, month_days * partners) for partners, days in counts.items()),
                Fraction(0),
            ),
        )
        for row, counts in days_by_partners.items()
    }
