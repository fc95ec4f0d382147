"""Reference implementation of SPEC sections 7 and 8, to compare the production engine against.

Deliberately naive: plain Python, one revenue line and one day at a time, exact fractions,
one small function per rule. It never imports partnercredit and reads the rules text itself.
Input rows are the accepted rows of SPEC 4 (see `reference_run`). Output lists come in no
particular order; compare them sorted.
"""

from __future__ import annotations

import calendar
import tomllib
from collections import Counter
from dataclasses import dataclass, replace
from datetime import UTC, date, datetime, time, timedelta
from decimal import Decimal
from fnmatch import fnmatchcase
from fractions import Fraction
from typing import Any

Row = dict[str, Any]
Tables = dict[str, list[Row]]
DayState = tuple[dict[str, str], str | None]  # credited partner -> type, or the uncredited reason
REASONS = ("excluded_category", "no_policy", "no_association", "type_not_counted")
REQUIREMENTS = ("revenue_usd", "seats", "customers", "new_customers")
ZERO = Decimal("0.00")


# ---------------------------------------------------------------- outputs (SPEC 9)


@dataclass(frozen=True)
class CreditRow:
    program: str
    partner_id: str
    line_id: str
    subscription_id: str
    customer_id: str
    period: str
    product: str
    workload: str | None
    association_type: str
    days: int
    days_in_period: int
    amount_usd: Decimal
    credit_usd: Decimal
    seat_credit: Decimal


@dataclass(frozen=True)
class UnattributedRow:
    program: str
    line_id: str
    subscription_id: str
    customer_id: str
    period: str
    reason: str
    days: int
    uncredited_usd: Decimal


@dataclass(frozen=True)
class AttainmentRow:
    program: str
    partner_id: str
    target: str
    area: str
    level: str | None
    as_of_period: str
    window_start: str
    window_end: str
    revenue_usd: Decimal
    seats: Decimal
    customers: int
    new_customers: int
    attained: bool


@dataclass(frozen=True)
class PayoutRow:
    program: str
    partner_id: str
    period: str
    area: str
    eligible_usd: Decimal
    rate: Decimal
    earned_usd: Decimal
    blocked_reason: str


@dataclass(frozen=True)
class ReferenceResult:
    credits: list[CreditRow]
    unattributed: list[UnattributedRow]
    attainment: list[AttainmentRow]
    payouts: list[PayoutRow]


# ---------------------------------------------------------------- rules (SPEC 6)


@dataclass(frozen=True)
class TypeRule:
    precedence: int
    exclusive: bool
    retroactive: bool


@dataclass(frozen=True)
class Program:
    name: str
    kind: str
    credit: str
    window_months: int
    rollup: str
    exclude_categories: frozenset[str]
    policies: list[tuple[date, frozenset[str]]]
    targets: list[dict[str, Any]]
    rates: list[tuple[str, Decimal]]
    requires_any: list[str]


@dataclass(frozen=True)
class Rules:
    proration: str
    types: dict[str, TypeRule]
    areas: dict[str, list[str]]
    programs: dict[str, Program]


def parse_rules(text: str) -> Rules:
    raw = tomllib.loads(text, parse_float=Decimal)
    types = {
        name: TypeRule(t["precedence"], t.get("exclusive", False), t.get("retroactive", True))
        for name, t in raw.get("association_types", {}).items()
    }
    programs = {name: parse_program(name, p) for name, p in raw.get("programs", {}).items()}
    return Rules(raw.get("proration", "daily"), types, raw.get("areas", {}), programs)


def parse_program(name: str, p: dict[str, Any]) -> Program:
    return Program(
        name=name,
        kind=p["kind"],
        credit=p.get("credit", "full"),
        window_months=p.get("window_months", 12),
        rollup=p.get("rollup", "partner"),
        exclude_categories=frozenset(p.get("exclude_categories", [])),
        policies=[(pol["from"], frozenset(pol["types"])) for pol in p.get("policies", [])],
        targets=list(p.get("targets", [])),
        rates=[(r["area"], Decimal(r["rate"])) for r in p.get("rates", [])],
        requires_any=list(p.get("requires_any", [])),
    )


def in_area(product: str, rules: Rules, area: str) -> bool:
    return any(fnmatchcase(product, pattern) for pattern in rules.areas[area])


# ---------------------------------------------------------------- time and money


def period_days(period: str) -> list[date]:
    year, month = int(period[:4]), int(period[5:7])
    return [date(year, month, d) for d in range(1, calendar.monthrange(year, month)[1] + 1)]


def add_months(period: str, n: int) -> str:
    k = int(period[:4]) * 12 + int(period[5:7]) - 1 + n
    return f"{k // 12:04d}-{k % 12 + 1:02d}"


def period_range(first: str, last: str) -> list[str]:
    out: list[str] = []
    while first <= last:
        out.append(first)
        first = add_months(first, 1)
    return out


def cents(value: Fraction | Decimal | int) -> Decimal:
    """Half-even to cents, once, from the exact value (SPEC 7.1)."""
    return Decimal(round(Fraction(value) * 100)).scaleb(-2)


# ---------------------------------------------------------------- associations (SPEC 4, 7.5)


@dataclass(frozen=True)
class Assoc:
    id: str
    type: str
    partner_id: str
    scope: str  # "line" | "subscription" | "customer"
    scope_id: str
    workload: str | None
    start: date
    end: date | None
    recorded_at: datetime


def recorded(value: datetime | None, start: date) -> datetime:
    """recorded_at defaults to the association's start (SPEC 4)."""
    return value if value is not None else datetime.combine(start, time(), tzinfo=UTC)


def dpor_assocs(events: list[Row]) -> list[Assoc]:
    """Event i of a key holds from its effective_date to the next event's (SPEC 4)."""
    by_key: dict[tuple[str, str | None], list[Row]] = {}
    for e in events:
        by_key.setdefault((e["subscription_id"], e["workload"]), []).append(e)
    out: list[Assoc] = []
    for (sub, workload), unordered in by_key.items():
        evs = sorted(
            unordered,
            key=lambda e: (
                e["effective_date"],
                recorded(e["recorded_at"], e["effective_date"]),
                e["event_id"],
            ),
        )
        for i, e in enumerate(evs):
            if e["partner_id"] is None:  # removal: nobody until the next event
                continue
            end = evs[i + 1]["effective_date"] if i + 1 < len(evs) else None
            rec = recorded(e["recorded_at"], e["effective_date"])
            out.append(
                Assoc(
                    e["event_id"],
                    "dpor",
                    e["partner_id"],
                    "subscription",
                    sub,
                    workload,
                    e["effective_date"],
                    end,
                    rec,
                )
            )
    return out


def transacting_assocs(revenue: list[Row]) -> list[Assoc]:
    out: list[Assoc] = []
    for line in revenue:
        if line["transacting_partner_id"] is not None:
            days = period_days(line["period"])
            out.append(
                Assoc(
                    line["line_id"],
                    "transacting",
                    line["transacting_partner_id"],
                    "line",
                    line["line_id"],
                    None,
                    days[0],
                    days[-1] + timedelta(days=1),
                    recorded(None, days[0]),
                )
            )
    return out


def other_assocs(tables: Tables) -> list[Assoc]:
    out = [
        Assoc(
            r["relationship_id"],
            "delegated_admin",
            r["partner_id"],
            "customer",
            r["customer_id"],
            None,
            r["granted_on"],
            r["revoked_on"],
            recorded(r["recorded_at"], r["granted_on"]),
        )
        for r in tables.get("delegated_admin", [])
    ]
    out += [
        Assoc(
            r["engagement_id"],
            "fasttrack",
            r["partner_id"],
            "customer",
            r["customer_id"],
            r["workload"],
            r["start_date"],
            r["end_date"],
            recorded(r["recorded_at"], r["start_date"]),
        )
        for r in tables.get("fasttrack", [])
    ]
    for r in tables.get("associations", []):
        scope = "customer" if r["customer_id"] is not None else "subscription"
        out.append(
            Assoc(
                r["association_id"],
                r["type"],
                r["partner_id"],
                scope,
                r["customer_id"] or r["subscription_id"],
                r["workload"],
                r["valid_from"],
                r["valid_to"],
                recorded(r["recorded_at"], r["valid_from"]),
            )
        )
    return out


def clip(a: Assoc, rule: TypeRule) -> Assoc:
    """retroactive = false: starts at max(its start, the UTC day it was recorded)."""
    if rule.retroactive:
        return a
    return replace(a, start=max(a.start, a.recorded_at.astimezone(UTC).date()))


def build_associations(rules: Rules, tables: Tables) -> list[Assoc]:
    raw = dpor_assocs(tables.get("dpor_events", []))
    raw += transacting_assocs(tables.get("revenue", []))
    raw += other_assocs(tables)
    # Undeclared types link nobody (SPEC 6).
    return [clip(a, rules.types[a.type]) for a in raw if a.type in rules.types]


def matches(a: Assoc, line: Row, customer_id: str) -> bool:
    scope_id = {
        "line": line["line_id"],
        "subscription": line["subscription_id"],
        "customer": customer_id,
    }[a.scope]
    return a.scope_id == scope_id and a.workload in (None, line["workload"])


def active(a: Assoc, d: date) -> bool:
    return a.start <= d and (a.end is None or d < a.end)


def specificity(a: Assoc) -> int:
    """0 = most specific: line, subscription+workload, subscription, customer+workload, customer."""
    if a.scope == "line":
        return 0
    base = 1 if a.scope == "subscription" else 3
    return base if a.workload is not None else base + 1


def applying(assocs: list[Assoc], rules: Rules, d: date) -> list[Assoc]:
    """Associations of the line active on d, at most one per exclusive type (SPEC 7.6)."""
    on_day = [a for a in assocs if active(a, d)]
    kept = [a for a in on_day if not rules.types[a.type].exclusive]
    for t in sorted({a.type for a in on_day if rules.types[a.type].exclusive}):
        kept.append(
            max(
                (a for a in on_day if a.type == t),
                key=lambda a: (-specificity(a), a.start, a.recorded_at, a.id),
            )
        )
    return kept


# ---------------------------------------------------------------- credit (SPEC 7)


@dataclass(frozen=True)
class World:
    rules: Rules
    roots: dict[str, str]
    subscriptions: dict[str, Row]
    fx: dict[tuple[str, str], Decimal]
    assocs: list[Assoc]

    def partner(self, program: Program, partner_id: str) -> str:
        """rollup = "root": the top parent stands for its locations (SPEC 7.4)."""
        return self.roots.get(partner_id, partner_id) if program.rollup == "root" else partner_id


def root_map(partners: list[Row]) -> dict[str, str]:
    parent = {p["partner_id"]: p["parent_partner_id"] for p in partners}

    def root(p: str) -> str:
        while parent.get(p) is not None:
            p = parent[p]
        return p

    return {p: root(p) for p in parent}


def policy_types(program: Program, d: date) -> frozenset[str] | None:
    in_force = [types for start, types in program.policies if start <= d]
    return in_force[-1] if in_force else None


def add_best(credited: dict[str, str], partner: str, type_: str, rules: Rules) -> None:
    """Keep the type with the lowest precedence number per partner."""
    old = credited.get(partner)
    if old is None or rules.types[type_].precedence < rules.types[old].precedence:
        credited[partner] = type_


def day_state(
    program: Program, world: World, assocs: list[Assoc], category: str, d: date
) -> DayState:
    if category in program.exclude_categories:
        return {}, "excluded_category"
    counted_types = policy_types(program, d)
    if counted_types is None:
        return {}, "no_policy"
    applies = applying(assocs, world.rules, d)
    if not applies:
        return {}, "no_association"
    credited: dict[str, str] = {}
    for a in applies:
        if a.type in counted_types:
            add_best(credited, world.partner(program, a.partner_id), a.type, world.rules)
    return credited, None if credited else "type_not_counted"


def prorate(
    rules: Rules, program: Program, states: list[DayState]
) -> tuple[dict[tuple[str, str], tuple[int, Fraction]], Counter[str]]:
    """(partner, type) -> (days, sum of shares); reason -> uncredited days (SPEC 7.8, 7.10)."""
    n_days = len(states)
    shares: dict[tuple[str, str], tuple[int, Fraction]] = {}
    reasons: Counter[str] = Counter()
    if rules.proration == "daily":
        for credited, reason in states:
            if reason is not None:
                reasons[reason] += 1
            for key in credited.items():
                share = Fraction(1, n_days * (len(credited) if program.credit == "split" else 1))
                days, total = shares.get(key, (0, Fraction(0)))
                shares[key] = (days + 1, total + share)
        return shares, reasons
    if rules.proration == "month_end":
        month, reason = states[-1]
        if reason is not None:
            return {}, Counter({reason: n_days})
    else:  # any_day
        month = {}
        for credited, _ in states:
            for partner, type_ in credited.items():
                add_best(month, partner, type_, rules)
        if not month:
            # Nobody credited all month: SPEC 7.10 only says a month WITH a credited partner
            # has no uncredited day, so each day keeps its own reason, as under daily.
            return {}, Counter(reason for _, reason in states if reason is not None)
    share = Fraction(1, len(month) if program.credit == "split" else 1)
    return {key: (n_days, share) for key in month.items()}, Counter()


def credit_line(
    program: Program, world: World, line: Row
) -> tuple[list[CreditRow], list[UnattributedRow]]:
    subscription = world.subscriptions[line["subscription_id"]]
    customer_id = subscription["customer_id"]
    days = period_days(line["period"])
    rate = Decimal(1) if line["currency"] == "USD" else world.fx[(line["period"], line["currency"])]
    amount_usd = cents(Fraction(line["amount"]) * Fraction(rate))
    mine = [a for a in world.assocs if matches(a, line, customer_id)]
    states = [day_state(program, world, mine, subscription["category"], d) for d in days]
    shares, reasons = prorate(world.rules, program, states)
    ids = (line["line_id"], line["subscription_id"], customer_id, line["period"])
    credits = [
        CreditRow(
            program.name,
            partner,
            *ids,
            line["product"],
            line["workload"],
            type_,
            n,
            len(days),
            amount_usd,
            cents(Fraction(amount_usd) * share),
            cents(line["quantity"] * share),
        )
        for (partner, type_), (n, share) in shares.items()
    ]
    unattributed = [
        UnattributedRow(
            program.name,
            *ids,
            reason,
            reasons[reason],
            cents(Fraction(amount_usd) * reasons[reason] / len(days)),
        )
        for reason in REASONS
        if reasons[reason] > 0
    ]
    return credits, unattributed


# ---------------------------------------------------------------- targets and payouts (SPEC 8)


def customer_sums(rows: list[CreditRow]) -> dict[str, Decimal]:
    sums: dict[str, Decimal] = {}
    for c in rows:
        sums[c.customer_id] = sums.get(c.customer_id, ZERO) + c.credit_usd
    return sums


def attainment_rows(
    program: Program, rules: Rules, credits: list[CreditRow], first: str, last: str
) -> list[AttainmentRow]:
    ledger = [c for c in credits if c.program == program.name]
    months = program.window_months
    out: list[AttainmentRow] = []
    for partner in sorted({c.partner_id for c in ledger}):
        for target in program.targets:
            mine = [
                c
                for c in ledger
                if c.partner_id == partner and in_area(c.product, rules, target["area"])
            ]
            for end in period_range(first, last):
                start = add_months(end, 1 - months)
                window = [c for c in mine if start <= c.period <= end]
                if not window:
                    continue
                before = [c for c in mine if add_months(start, -months) <= c.period < start]
                before_sums = customer_sums(before)
                customers = [cu for cu, s in customer_sums(window).items() if s > 0]
                new = [cu for cu in customers if before_sums.get(cu, ZERO) <= 0]
                revenue = sum((c.credit_usd for c in window), ZERO)
                seats = sum((c.seat_credit for c in window if c.period == end), ZERO)
                values: dict[str, Decimal | int] = {
                    "revenue_usd": revenue,
                    "seats": seats,
                    "customers": len(customers),
                    "new_customers": len(new),
                }
                attained = all(values[k] >= Decimal(target[k]) for k in REQUIREMENTS if k in target)
                out.append(
                    AttainmentRow(
                        program.name,
                        partner,
                        target["name"],
                        target["area"],
                        target.get("level"),
                        end,
                        start,
                        end,
                        revenue,
                        seats,
                        len(customers),
                        len(new),
                        attained,
                    )
                )
    return out


def unblocks(
    entry: str, partner: str, period: str, world: World, attainment: list[AttainmentRow]
) -> bool:
    """Is `program.target` attained as of period by the partner `partner` rolls up to there?"""
    program_name, target = entry.split(".", 1)
    who = world.partner(world.rules.programs[program_name], partner)
    return any(
        a.attained
        for a in attainment
        if (a.program, a.partner_id, a.target, a.as_of_period)
        == (program_name, who, target, period)
    )


def payout_rows(
    program: Program, world: World, credits: list[CreditRow], attainment: list[AttainmentRow]
) -> list[PayoutRow]:
    eligible: dict[tuple[str, str, str], Decimal] = {}
    for c in credits:
        if c.program != program.name:
            continue
        area = next((a for a, _ in program.rates if in_area(c.product, world.rules, a)), None)
        if area is not None:
            key = (c.partner_id, c.period, area)
            eligible[key] = eligible.get(key, ZERO) + c.credit_usd
    out: list[PayoutRow] = []
    for (partner, period, area), usd in eligible.items():
        rate = next(r for a, r in program.rates if a == area)
        blocked = bool(program.requires_any) and not any(
            unblocks(entry, partner, period, world, attainment) for entry in program.requires_any
        )
        earned = ZERO if blocked else cents(Fraction(usd) * Fraction(rate))
        reason = ", ".join(program.requires_any) if blocked else ""
        out.append(PayoutRow(program.name, partner, period, area, usd, rate, earned, reason))
    return out


# ---------------------------------------------------------------- the run


def reference_run(rules_text: str, tables: Tables) -> ReferenceResult:
    """Credits, unattributed, attainment and payouts for accepted input rows (SPEC 7, 8).

    `tables` maps SPEC 4 table names to rows with SPEC 4 columns: text as str, absent values
    None, dates as date, periods "YYYY-MM", amount/usd_per_unit Decimal, quantity int,
    recorded_at an aware UTC datetime or None, category already defaulted to "paid".
    """
    rules = parse_rules(rules_text)
    revenue = tables.get("revenue", [])
    world = World(
        rules=rules,
        roots=root_map(tables.get("partners", [])),
        subscriptions={s["subscription_id"]: s for s in tables.get("subscriptions", [])},
        fx={(r["period"], r["currency"]): r["usd_per_unit"] for r in tables.get("fx_rates", [])},
        assocs=build_associations(rules, tables),
    )
    credits: list[CreditRow] = []
    unattributed: list[UnattributedRow] = []
    for program in rules.programs.values():
        for line in revenue:
            c, u = credit_line(program, world, line)
            credits += c
            unattributed += u
    periods = sorted(line["period"] for line in revenue)
    attainment = [
        row
        for program in rules.programs.values()
        if program.kind == "attainment" and periods
        for row in attainment_rows(program, rules, credits, periods[0], periods[-1])
    ]
    payouts = [
        row
        for program in rules.programs.values()
        if program.kind == "payout"
        for row in payout_rows(program, world, credits, attainment)
    ]
    return ReferenceResult(credits, unattributed, attainment, payouts)
