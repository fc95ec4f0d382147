"""One partner's statement from a finished run: its credit of the last 12 months by area and
association type, where it stands against every target, and its payouts."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from partnercredit.messages import Language, Refused
from partnercredit.outputs.run_tables import RunTables, run_tables
from partnercredit.paths import PathArg, as_path
from partnercredit.periods import FIRST_MONTH, period_text
from partnercredit.rules import REQUIREMENTS, Rules
from partnercredit.targets.measure_attainment import cents_at_least

STATEMENT_MONTHS = 12
_PERIOD = re.compile(r"[0-9]{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class AreaCredit:
    program: str
    area: str | None
    """None for products of no area."""
    association_type: str
    credit_usd: Decimal
    seat_credit: Decimal
    lines: int


@dataclass(frozen=True)
class Requirement:
    key: str
    value: Decimal
    minimum: Decimal
    """The least value that attains, in the value's units: a money or seats minimum of the
    rules rounded up to a whole cent (the rules' 10.001 needs 10.01), so with two places."""
    gap: Decimal
    """How much is missing (0 when the requirement holds)."""


@dataclass(frozen=True)
class TargetStanding:
    program: str
    target: str
    area: str
    level: str | None
    measured_partner_id: str
    """Whose standing this is: the partner itself, or its top organisation when the program
    credits organisations (`rollup = "root"`); payouts that require the target are judged on
    the same (SPEC 8)."""
    window_start: str
    window_end: str
    requirements: tuple[Requirement, ...]
    attained: bool


@dataclass(frozen=True)
class PayoutLine:
    program: str
    period: str
    area: str
    eligible_usd: Decimal
    rate: Decimal
    """As written in the rules (with its digits: 0.10, not 0.1)."""
    earned_usd: Decimal
    blocked_reason: str


@dataclass(frozen=True)
class PartnerStatement:
    partner_id: str
    name: str | None
    root_partner_id: str | None
    as_of_period: str
    first_period: str
    """The first period of the 12 months the credit covers."""
    data_from: str
    """The run's first revenue period."""
    reaches_before_data: bool
    """Whether the credit's months or a target's windows (the window before, for new
    customers) begin before `data_from`: those months hold no credit for want of data."""
    fiscal_year_start_month: int
    credit: tuple[AreaCredit, ...]
    targets: tuple[TargetStanding, ...]
    payouts: tuple[PayoutLine, ...]
    programs_credited_to_root: tuple[str, ...]
    """For a location: the programs that credit its top organisation instead (SPEC 7.4), whose
    credit and payouts are therefore on the organisation's statement, not on this one."""
    type_labels: dict[str, dict[Language, str]]
    """The association types' labels in the rules, by type and language."""


def _credit_totals(run: RunTables, partner_id: str, first: str, last: str) -> list[dict[str, Any]]:
    """The partner's credit from `first` to `last` per program, product and type: a large
    partner has hundreds of thousands of credit rows, and only a few hundred of these."""
    return run.select(
        "credits",
        "program, product, association_type, sum(credit_usd) AS credit_usd, "
        "sum(seat_credit) AS seat_credit, count(*) AS lines",
        "partner_id = ? AND period BETWEEN ? AND ? GROUP BY program, product, association_type",
        (partner_id, first, last),
    )


def _revenue_periods(run: RunTables) -> tuple[str, str] | None:
    """The first and last period of the run's revenue (None when it has none)."""
    [found] = run.select("revenue", "min(period) AS first, max(period) AS last")
    return None if found["first"] is None else (found["first"], found["last"])


def partner_statement(
    run_dir: PathArg, partner_id: str, as_of: str | None = None
) -> PartnerStatement:
    """One partner's statement: credit of the last 12 months, targets and payouts."""
    if as_of is not None and not _PERIOD.fullmatch(as_of):
        raise Refused("statement.as_of_not_a_period", {"value": repr(as_of)})
    with run_tables(as_path(run_dir)) as run:
        return _statement(run, partner_id, as_of)


def _statement(run: RunTables, partner_id: str, as_of: str | None) -> PartnerStatement:
    rules = run.facts.rules
    partner = run.rows("partners", "partner_id = ?", partner_id)
    if not partner:
        rejected = run.rejection("partners", partner_id)
        if rejected is not None:
            row_number, reason = rejected
            params = {"partner_id": partner_id, "row_number": row_number}
            raise Refused("statement.partner_rejected", params, reason)
        raise Refused("statement.partner_not_in_run", {"partner_id": partner_id})
    root = run.rows("partner_roots", "partner_id = ?", partner_id)
    root_partner_id = root[0]["root_partner_id"] if root else None
    organisation = root_partner_id or partner_id
    periods = _revenue_periods(run)
    if periods is None:
        raise Refused("statement.no_revenue", {"folder": run.folder})
    if as_of is not None and not periods[0] <= as_of <= periods[1]:
        raise Refused(
            "statement.as_of_outside", {"as_of": as_of, "first": periods[0], "last": periods[1]}
        )
    last = as_of or periods[1]
    first = _months_before(last, STATEMENT_MONTHS - 1)
    credits = _credit_totals(run, partner_id, first, last)
    attainment = run.rows(
        "attainment",
        "partner_id IN (?, ?) AND as_of_period = ?",
        partner_id,
        organisation,
        last,
    )
    payouts = run.rows(
        "payouts", "partner_id = ? AND period BETWEEN ? AND ?", partner_id, first, last
    )
    rates = {
        (name, rate.area): rate.rate
        for name, program in rules.programs.items()
        for rate in program.rates
    }
    return PartnerStatement(
        partner_id=partner_id,
        name=partner[0]["name"],
        root_partner_id=root_partner_id,
        as_of_period=last,
        first_period=first,
        data_from=periods[0],
        reaches_before_data=_reaches_before(periods[0], first, last, rules),
        fiscal_year_start_month=rules.fiscal_year_start_month,
        credit=_credit_by_area(rules, credits),
        targets=_standings(rules, attainment, last, partner_id, organisation),
        payouts=tuple(
            PayoutLine(
                row["program"],
                row["period"],
                row["area"],
                row["eligible_usd"],
                rates.get((row["program"], row["area"]), row["rate"]),
                row["earned_usd"],
                row["blocked_reason"],
            )
            for row in sorted(payouts, key=lambda row: (row["program"], row["period"], row["area"]))
        ),
        programs_credited_to_root=tuple(
            name
            for name, program in rules.programs.items()
            if program.rollup == "root" and organisation != partner_id
        ),
        type_labels={name: dict(kind.label) for name, kind in rules.association_types.items()},
    )


def _reaches_before(data_from: str, first: str, last: str, rules: Rules) -> bool:
    """Whether the statement's months (`first` to `last`) or a target's windows begin before
    the data: a target with new customers looks at the window before its own as well."""
    return first < data_from or any(
        _months_before(last, program.window_months * 2 - 1) < data_from
        for program in rules.programs.values()
        if any(target.new_customers is not None for target in program.targets)
    )


def _months_before(period: str, months: int) -> str:
    """The period `months` before `period`, or 0001-01 if that would come before it (as the
    attainment windows do)."""
    number = int(period[:4]) * 12 + int(period[5:7]) - 1 - months
    return period_text(max(number, FIRST_MONTH))


def _credit_by_area(rules: Rules, credits: list[dict[str, Any]]) -> tuple[AreaCredit, ...]:
    """`credits`: the partner's credit_totals."""
    totals: dict[tuple[str, str | None, str], list[Any]] = defaultdict(
        lambda: [Decimal("0.00"), Decimal("0.00"), 0]
    )
    for row in credits:
        areas: tuple[str | None, ...] = rules.areas_of(row["product"]) or (None,)
        for area in areas:
            total = totals[(row["program"], area, row["association_type"])]
            total[0] += row["credit_usd"]
            total[1] += row["seat_credit"]
            total[2] += row["lines"]
    return tuple(
        AreaCredit(program, area, link_type, credit, seats, lines)
        for (program, area, link_type), (credit, seats, lines) in sorted(
            totals.items(), key=lambda item: (item[0][0], item[0][1] or "", item[0][2])
        )
    )


def _standings(
    rules: Rules,
    attainment: list[dict[str, Any]],
    as_of: str,
    partner_id: str,
    organisation: str,
) -> tuple[TargetStanding, ...]:
    found = {(row["program"], row["target"], row["partner_id"]): row for row in attainment}
    standings = []
    for name, program in rules.programs.items():
        measured = organisation if program.rollup == "root" else partner_id
        for target in program.targets:
            row = found.get((name, target.name, measured))
            values = {
                "revenue_usd": row["revenue_usd"] if row else Decimal("0.00"),
                "seats": row["seats"] if row else Decimal("0.00"),
                "customers": Decimal(row["customers"] if row else 0),
                "new_customers": Decimal(row["new_customers"] if row else 0),
            }
            requirements = tuple(
                _requirement(key, values[key], minimum)
                for key, minimum in target.requirements.items()
                if key in REQUIREMENTS
            )
            standings.append(
                TargetStanding(
                    program=name,
                    target=target.name,
                    area=target.area,
                    level=target.level,
                    measured_partner_id=measured,
                    window_start=row["window_start"]
                    if row
                    else _months_before(as_of, program.window_months - 1),
                    window_end=as_of,
                    requirements=requirements,
                    attained=bool(row and row["attained"]),
                )
            )
    return tuple(standings)


_IN_CENTS = frozenset(("revenue_usd", "seats"))


def _requirement(key: str, value: Decimal, minimum: Decimal | int) -> Requirement:
    if key in _IN_CENTS:
        least = Decimal(cents_at_least(Decimal(minimum))).scaleb(-2)
        return Requirement(key, value, least, max(least - value, Decimal("0.00")))
    return Requirement(key, value, Decimal(minimum), max(Decimal(minimum) - value, Decimal(0)))
