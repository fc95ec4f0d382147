"""Day by day, what each link did for one revenue line in one program (SPEC 7.3-7.7).

This follows a single line through its month in plain Python: a month has at most 31 days
and a line a handful of links, so clarity wins over speed. The run's ledger stays the source
of the figures; this says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from partnercredit.explain.models import Span
from partnercredit.rules import Program, Rules


@dataclass(frozen=True)
class Link:
    source_table: str
    source_id: str
    type: str
    partner_id: str | None
    scope: str
    scope_id: str
    workload: str | None
    specificity: int
    source_from: date
    valid_from: date
    valid_to: date | None
    recorded_at: datetime

    def covers(self, day: date) -> bool:
        return self.valid_from <= day and (self.valid_to is None or day < self.valid_to)

    def contest_key(self) -> tuple[int, int, int, str, str]:
        """Sorts the winner of an exclusive type first (SPEC 7.6)."""
        return (
            self.specificity,
            -self.valid_from.toordinal(),
            -((self.recorded_at - _EPOCH) // timedelta(microseconds=1)),
            _descending(self.source_id),
            _descending(self.source_table),
        )


_EPOCH = datetime(1970, 1, 1)


def _descending(text: str) -> str:
    # Greatest text first: compare code points inverted (ids are short, this stays exact).
    return "".join(chr(0x10FFFF - ord(character)) for character in text)


@dataclass(frozen=True)
class LineMonth:
    first_day: date
    days: int
    workload: str | None
    category: str

    def each_day(self) -> list[date]:
        return [self.first_day + timedelta(days=offset) for offset in range(self.days)]


def trace_links(
    program: Program, rules: Rules, month: LineMonth, links: list[Link], roots: dict[str, str]
) -> dict[Link, list[Span]]:
    """Every link's spans of status within the month."""
    days = month.each_day()
    per_day: dict[Link, list[tuple[date, str, dict[str, str]]]] = {link: [] for link in links}
    for day in days:
        statuses = _statuses_on(day, program, rules, month, links, roots)
        for link, (status, params) in statuses.items():
            per_day[link].append((day, status, params))
    return {link: _merge(entries) for link, entries in per_day.items()}


def _statuses_on(
    day: date,
    program: Program,
    rules: Rules,
    month: LineMonth,
    links: list[Link],
    roots: dict[str, str],
) -> dict[Link, tuple[str, dict[str, str]]]:
    statuses: dict[Link, tuple[str, dict[str, str]]] = {}
    candidates = []
    for link in links:
        early = _status_before_contest(day, rules, month, link)
        if early is None:
            candidates.append(link)
        else:
            statuses[link] = early
    winners = _exclusive_winners(rules, candidates)
    policy = program.policy_on(day)
    credited: dict[str, str] = {}
    counted_links = []
    for link in candidates:
        winner = winners.get(link.type)
        if winner is not None and winner != link:
            statuses[link] = ("shadowed", {"by": winner.source_id})
        elif month.category in program.exclude_categories:
            statuses[link] = ("excluded_category", {"category": month.category})
        elif policy is None:
            statuses[link] = ("no_policy", {})
        elif link.type not in policy.types:
            statuses[link] = ("not_counted", {"since": policy.start.isoformat()})
        else:
            counted_links.append(link)
            partner = _credited_partner(program, link, roots)
            best = credited.get(partner)
            if best is None or rules.association_types[link.type].precedence < (
                rules.association_types[best].precedence
            ):
                credited[partner] = link.type
    for link in counted_links:
        best = credited[_credited_partner(program, link, roots)]
        statuses[link] = ("credited", {}) if best == link.type else ("credited_as", {"type": best})
    return statuses


def _status_before_contest(
    day: date, rules: Rules, month: LineMonth, link: Link
) -> tuple[str, dict[str, str]] | None:
    """Why a link cannot apply on `day` at all, or None if it takes part."""
    if link.workload is not None and link.workload != month.workload:
        return ("other_workload", {"workload": link.workload})
    if link.type not in rules.association_types:
        return ("type_not_declared", {})
    if link.valid_to is not None and link.valid_to <= link.source_from:
        return ("overtaken", {})
    in_source = link.source_from <= day and (link.valid_to is None or day < link.valid_to)
    if link.partner_id is None:
        return ("removal", {}) if in_source else ("outside_interval", {})
    if not in_source:
        return ("outside_interval", {})
    if not link.covers(day):
        return ("recorded_late", {"recorded": link.recorded_at.date().isoformat()})
    return None


def _exclusive_winners(rules: Rules, candidates: list[Link]) -> dict[str, Link]:
    winners: dict[str, Link] = {}
    for link in sorted(candidates, key=Link.contest_key):
        if rules.association_types[link.type].exclusive:
            winners.setdefault(link.type, link)
    return winners


def _credited_partner(program: Program, link: Link, roots: dict[str, str]) -> str:
    assert link.partner_id is not None
    if program.rollup == "root":
        return roots.get(link.partner_id, link.partner_id)
    return link.partner_id


def _merge(entries: list[tuple[date, str, dict[str, str]]]) -> list[Span]:
    spans: list[Span] = []
    for day, status, params in entries:
        if spans and spans[-1].status == status and spans[-1].params == params:
            last = spans[-1]
            spans[-1] = Span(status, last.first_day, day, params)
        else:
            spans.append(Span(status, day, day, params))
    return spans
