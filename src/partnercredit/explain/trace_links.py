"""Day by day, what each link did for one revenue line in one program (SPEC 7.3-7.8).

This follows a single line through its month in plain Python: a month has at most 31 days
and a line a handful of links, so clarity wins over speed. The run's ledger stays the source
of the figures; this says why.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from partnercredit.explain.models import Span
from partnercredit.messages import Message
from partnercredit.rules import Program, Rules

Status = tuple[str, dict[str, str]]
"""A message code and its parameters."""


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

    def contest_key(self) -> tuple[int, date, datetime, str, str]:
        """The winner of an exclusive type has the greatest key (SPEC 7.6): the most specific
        (lowest specificity), then the latest start, the latest recorded_at, and the greatest
        source id and source table as text."""
        return (
            -self.specificity,
            self.valid_from,
            self.recorded_at,
            self.source_id,
            self.source_table,
        )


@dataclass(frozen=True)
class LineMonth:
    first_day: date
    days: int
    workload: str | None
    category: str

    @property
    def last_day(self) -> date:
        return self.first_day + timedelta(days=self.days - 1)

    def each_day(self) -> list[date]:
        return [self.first_day + timedelta(days=offset) for offset in range(self.days)]


@dataclass(frozen=True)
class _Day:
    """What held on one day of the month, before proration."""

    day: date
    statuses: dict[Link, Status]
    counted: dict[Link, str]
    """The links the policy counts, each with the partner it credits."""
    credited: dict[str, str]
    """The type each credited partner is credited as."""


def proration_decision(proration: str, month: LineMonth) -> Message:
    """How the program's proration turns the days of the month into credit (SPEC 7.8)."""
    if proration == "month_end":
        return Message("proration_month_end", {"day": month.last_day.isoformat()})
    return Message(f"proration_{proration}", {})


@dataclass(frozen=True)
class LineTrace:
    spans: dict[Link, list[Span]]
    """Every link's spans of status within the month."""
    credited: list[dict[str, str]]
    """Day by day, each partner credited on the day with the type it is credited as, after
    the proration (SPEC 7.8): the days the ledger's rows are made of."""


def trace_links(
    program: Program, rules: Rules, month: LineMonth, links: list[Link], roots: dict[str, str]
) -> LineTrace:
    """What every link did within the month, and who was credited, under the rules'
    proration."""
    days = [_trace_day(day, program, rules, month, links, roots) for day in month.each_day()]
    if rules.proration == "month_end":
        return LineTrace(
            {link: _decided_by_last_day(link, days) for link in links},
            [days[-1].credited] * month.days,
        )
    if rules.proration == "any_day":
        best_types = _best_types_in_month(rules, days)
        return LineTrace(
            {link: _credited_on_any_day(link, days, best_types) for link in links},
            [best_types] * month.days,
        )
    return LineTrace({link: _daily(link, days) for link in links}, [each.credited for each in days])


def _daily(link: Link, days: list[_Day]) -> list[Span]:
    return _merge([(each.day, *each.statuses[link]) for each in days])


def _decided_by_last_day(link: Link, days: list[_Day]) -> list[Span]:
    """Under month_end, a link counted on the last day is credited for the whole month; on
    the other days, being counted decides nothing."""
    last = days[-1]
    deciding = {"day": last.day.isoformat()}
    if link in last.counted:
        status, params = last.statuses[link]
        return [Span(f"{status}_month_end", days[0].day, last.day, {**params, **deciding})]
    return _merge(
        [
            (each.day, "not_deciding", deciding)
            if link in each.counted
            else (each.day, *each.statuses[link])
            for each in days
        ]
    )


def _credited_on_any_day(link: Link, days: list[_Day], best_types: dict[str, str]) -> list[Span]:
    """Under any_day, a link counted on any day credits its partner for the whole month, as
    the best type the partner had in the month."""
    partners = [each.counted[link] for each in days if link in each.counted]
    if not partners:
        return _daily(link, days)
    best_type = best_types[partners[0]]
    params = {"days": str(len(partners))}
    status = "credited_any_day"
    if best_type != link.type:
        status, params = "credited_as_any_day", {**params, "type": best_type}
    return [Span(status, days[0].day, days[-1].day, params)]


def _best_types_in_month(rules: Rules, days: list[_Day]) -> dict[str, str]:
    best: dict[str, str] = {}
    for each in days:
        for partner, link_type in each.credited.items():
            best[partner] = _better_type(rules, best.get(partner), link_type)
    return best


def _better_type(rules: Rules, current: str | None, candidate: str) -> str:
    """Of two counted types, the one with the lower precedence number (SPEC 7.7)."""
    if current is None:
        return candidate
    types = rules.association_types
    return candidate if types[candidate].precedence < types[current].precedence else current


def _trace_day(
    day: date,
    program: Program,
    rules: Rules,
    month: LineMonth,
    links: list[Link],
    roots: dict[str, str],
) -> _Day:
    statuses: dict[Link, Status] = {}
    candidates = []
    for link in links:
        early = _status_before_contest(day, rules, month, link)
        if early is None:
            candidates.append(link)
        else:
            statuses[link] = early
    winners = _exclusive_winners(rules, candidates)
    policy = program.policy_on(day)
    counted: dict[Link, str] = {}
    credited: dict[str, str] = {}
    for link in candidates:
        winner = winners.get(link.type)
        if winner is not None and winner != link:
            statuses[link] = _shadowed(link, winner)
        elif month.category in program.exclude_categories:
            statuses[link] = ("excluded_category", {"category": month.category})
        elif policy is None:
            statuses[link] = ("no_policy", {})
        elif link.type not in policy.types:
            statuses[link] = ("not_counted", {"since": policy.start.isoformat()})
        else:
            # A removal (no partner) never gets this far: _status_before_contest stops it.
            assert link.partner_id is not None
            partner = credited_partner(program, link.partner_id, roots)
            counted[link] = partner
            credited[partner] = _better_type(rules, credited.get(partner), link.type)
    for link, partner in counted.items():
        best = credited[partner]
        statuses[link] = ("credited", {}) if best == link.type else ("credited_as", {"type": best})
    return _Day(day, statuses, counted, credited)


def _status_before_contest(day: date, rules: Rules, month: LineMonth, link: Link) -> Status | None:
    """Why a link cannot apply on `day` at all, or None if it takes part."""
    if link.workload is not None and link.workload != month.workload:
        return ("other_workload", {"workload": link.workload})
    if link.type not in rules.association_types:
        return ("type_not_declared", {})
    if link.valid_to is not None and link.valid_to <= link.source_from:
        return ("overtaken", {})
    in_source = link.source_from <= day and (link.valid_to is None or day < link.valid_to)
    if link.partner_id is None:
        if not in_source:
            return ("outside_interval", {})
        if link.workload is None:
            return ("removal", {"type": link.type})
        return ("removal_of_workload", {"type": link.type, "workload": link.workload})
    if not in_source:
        return ("outside_interval", {})
    if not link.covers(day):
        return ("recorded_late", {"recorded": link.recorded_at.date().isoformat()})
    return None


def _exclusive_winners(rules: Rules, candidates: list[Link]) -> dict[str, Link]:
    winners: dict[str, Link] = {}
    for link in candidates:
        if not rules.association_types[link.type].exclusive:
            continue
        winner = winners.get(link.type)
        if winner is None or link.contest_key() > winner.contest_key():
            winners[link.type] = link
    return winners


_TIE_BREAKS = ("more_specific", "later_start", "later_recorded", "greater_id", "later_table")
"""What each element of `Link.contest_key` says when it decides a contest."""


def _shadowed(link: Link, winner: Link) -> Status:
    """Shadowed by the winner of its exclusive type, by the first tie-break in which the two
    differ (SPEC 7.6)."""
    rule = next(
        rule
        for rule, won, lost in zip(
            _TIE_BREAKS, winner.contest_key(), link.contest_key(), strict=True
        )
        if won != lost
    )
    params = {"by": winner.source_id}
    if rule == "later_start":
        params["start"] = winner.valid_from.isoformat()
    elif rule == "later_recorded":
        params["recorded"] = f"{winner.recorded_at.isoformat(sep=' ')} UTC"
    elif rule == "later_table":
        params["table"] = winner.source_table
    return (f"shadowed_{rule}", params)


def credited_partner(program: Program, partner_id: str, roots: dict[str, str]) -> str:
    """The partner a program credits for a link of `partner_id`: the partner itself, or its
    top parent under rollup = "root" (SPEC 7.4)."""
    return roots.get(partner_id, partner_id) if program.rollup == "root" else partner_id


def _merge(entries: list[tuple[date, str, dict[str, str]]]) -> list[Span]:
    spans: list[Span] = []
    for day, status, params in entries:
        if spans and spans[-1].status == status and spans[-1].params == params:
            last = spans[-1]
            spans[-1] = Span(status, last.first_day, day, params)
        else:
            spans.append(Span(status, day, day, params))
    return spans
