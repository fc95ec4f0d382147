"""One program's credits and unattributed revenue from the resolved links (SPEC 7.2-7.10)."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from partnercredit.engine.money import add_rounded_ratio
from partnercredit.rules import Program, Rules

UNATTRIBUTED_REASONS = ("excluded_category", "no_policy", "no_association", "type_not_counted")
LINE_FACTS = (
    "line_id",
    "subscription_id",
    "customer_id",
    "customer_no",
    "period",
    "product",
    "workload",
    "days_in_period",
    "amount_cents",
)
"""What the ledger and the unattributed rows carry of their line, so that neither the outputs
nor the targets stage join back to the lines."""
_SEGMENT = ["line_no", "seg_start"]


@dataclass(frozen=True)
class ProgramCredit:
    credits: ir.Table
    """(line_no, partner_no, association_type, days, credit_cents, seat_credit_cents, and the
    LINE_FACTS)"""
    unattributed: ir.Table
    """(line_no, reason, days, uncredited_cents, and the LINE_FACTS)"""


def credited_partners(program: Program, lines: ir.Table, resolved: ir.Table) -> ir.Table:
    """(line_no, segment, credit_partner, precedence): who is credited in each segment, with
    the lowest precedence among its counted links (SPEC 7.2-7.7)."""
    counted = resolved.filter(
        resolved.applies & _counted(program, resolved.type, resolved.seg_start)
    )
    excluded = _excluded_lines(program, lines)
    if excluded is not None:
        counted = counted.anti_join(excluded, "line_no")
    partner = counted.root_no if program.rollup == "root" else counted.partner_no
    return (
        counted.mutate(credit_partner=partner)
        .group_by([*_SEGMENT, "seg_days", "is_last", "credit_partner"])
        .aggregate(precedence=ibis._.precedence.min())
    )


def partners_per_day(credited: ir.Table) -> ir.Table:
    """The distinct numbers of partners credited on one day of a line (for split credit)."""
    return (
        credited.group_by(_SEGMENT).aggregate(partners=ibis._.count()).select("partners").distinct()
    )


def credit_program(
    program: Program,
    rules: Rules,
    lines: ir.Table,
    segments: ir.Table,
    resolved: ir.Table,
    credited: ir.Table,
    split_lcm: int,
) -> ProgramCredit:
    """`split_lcm` is a common multiple of every number of partners credited on one day."""
    amounts = lines.select("line_no", *LINE_FACTS, "seat_cents")
    shares = _prorate(program, rules.proration, credited, split_lcm).join(amounts, "line_no")
    daily = rules.proration == "daily"
    shares = shares.select(
        "line_no",
        *LINE_FACTS,
        "seat_cents",
        "_numerator",
        partner_no=shares.credit_partner,
        association_type=_type_name(rules, shares.precedence),
        days=shares.days if daily else shares.days_in_period,
        _denominator=shares._base * shares.days_in_period if daily else shares._base,
    ).view()
    shares = add_rounded_ratio(shares, "credit_cents", "amount_cents", "_numerator", "_denominator")
    shares = add_rounded_ratio(
        shares, "seat_credit_cents", "seat_cents", "_numerator", "_denominator"
    )
    credits = shares.select(
        "line_no",
        "partner_no",
        "association_type",
        "days",
        "credit_cents",
        "seat_credit_cents",
        *LINE_FACTS,
    )
    unattributed = _unattributed(program, rules, lines, segments, resolved, credited, amounts)
    return ProgramCredit(credits, unattributed)


def _excluded_lines(program: Program, lines: ir.Table) -> ir.Table | None:
    if not program.exclude_categories:
        return None
    return lines.filter(lines.category.isin(sorted(program.exclude_categories))).select("line_no")


def _counted(program: Program, link_type: ir.StringValue, day: ir.DateValue) -> ir.BooleanValue:
    """Whether the policy in force on `day` counts `link_type` (false with no policy)."""
    branches = [
        (day >= policy.start, link_type.isin(list(policy.types)) if policy.types else False)
        for policy in reversed(program.policies)
    ]
    return ibis.cases(*branches, else_=False) if branches else ibis.literal(False)


def _has_policy(program: Program, day: ir.DateValue) -> ir.BooleanValue:
    if not program.policies:
        return ibis.literal(False)
    return day >= program.policies[0].start


def _type_name(rules: Rules, precedence: ir.IntegerValue) -> ir.StringValue:
    return ibis.cases(
        *((precedence == kind.precedence, name) for name, kind in rules.association_types.items())
    )


def _prorate(program: Program, proration: str, credited: ir.Table, split_lcm: int) -> ir.Table:
    """(line_no, credit_partner, precedence, days, _numerator, _base): the partner's share of
    the line is _numerator / _base, divided once more by the days of the month under daily
    proration (SPEC 7.8)."""
    split = program.credit == "split"
    if proration == "daily":
        weight = credited.seg_days
        if split:
            day = ibis.window(group_by=_SEGMENT)
            credited = credited.mutate(_partners=ibis._.count().over(day))
            # split_lcm / partners is a whole number below 2**53, so the division is exact.
            weight = weight * (split_lcm / credited._partners).round().cast("int64")
        return (
            credited.mutate(_weight=weight)
            .group_by(["line_no", "credit_partner", "precedence"])
            .aggregate(days=ibis._.seg_days.sum(), _numerator=ibis._._weight.sum())
            .mutate(_base=ibis.literal(split_lcm if split else 1, "int64"))
        )
    deciding = credited.filter(credited.is_last) if proration == "month_end" else credited
    best = deciding.group_by(["line_no", "credit_partner"]).aggregate(
        precedence=ibis._.precedence.min()
    )
    if split:
        partners = best.group_by("line_no").aggregate(_base=ibis._.count())
        best = best.join(partners, "line_no")
    else:
        best = best.mutate(_base=ibis.literal(1, "int64"))
    return best.mutate(days=ibis.literal(0, "int64"), _numerator=ibis.literal(1, "int64"))


def _unattributed(
    program: Program,
    rules: Rules,
    lines: ir.Table,
    segments: ir.Table,
    resolved: ir.Table,
    credited: ir.Table,
    amounts: ir.Table,
) -> ir.Table:
    """The days of each line on which nobody is credited, by the first reason that holds.

    Only the segments in which nobody is credited are looked at (most lines have none)."""
    if rules.proration == "month_end":
        segments = segments.filter(segments.is_last)
    elif rules.proration == "any_day":
        segments = segments.anti_join(credited, "line_no")
    nobody = segments.anti_join(credited, _SEGMENT)
    links = resolved.semi_join(nobody, _SEGMENT)
    counted = _counted(program, links.type, links.seg_start)
    present = links.group_by(_SEGMENT).aggregate(
        _applies=links.applies.any(), _counted=(links.applies & counted).any()
    )
    state = nobody.left_join(present, _SEGMENT)
    excluded = _excluded_lines(program, lines)
    is_excluded: ir.BooleanValue = ibis.literal(False)
    if excluded is not None:
        state = state.left_join(excluded.mutate(_excluded=True), "line_no")
        is_excluded = state._excluded.fill_null(False)
    reason = ibis.cases(
        (is_excluded, "excluded_category"),
        (~_has_policy(program, state.seg_start), "no_policy"),
        (~state._applies.fill_null(False), "no_association"),
        (~state._counted.fill_null(False), "type_not_counted"),
        else_=ibis.null("string"),
    )
    by_reason = (
        state.select("line_no", "seg_days", reason=reason)
        .group_by(["line_no", "reason"])
        .aggregate(days=ibis._.seg_days.sum())
        .join(amounts, "line_no")
    )
    days = by_reason.days_in_period if rules.proration == "month_end" else by_reason.days
    rows = by_reason.select("line_no", "reason", *LINE_FACTS, days=days).view()
    rows = add_rounded_ratio(rows, "uncredited_cents", "amount_cents", "days", "days_in_period")
    return rows.select("line_no", "reason", "days", "uncredited_cents", *LINE_FACTS)
