"""One program's credits and unattributed revenue from the resolved links (SPEC 7.2-7.10)."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.types as ir

from partnercredit.credit.policy_in_force import counts_type, has_policy
from partnercredit.credit.segment_states import SEGMENT, counted_column
from partnercredit.credit.split_base import with_split_base
from partnercredit.engine.money import add_rounded_ratio
from partnercredit.rules import Program, Rules

UNATTRIBUTED_REASONS = ("excluded_category", "no_policy", "no_association", "type_not_counted")
LINE_FACTS = (
    "line_id",
    "subscription_id",
    "customer_id",
    "period",
    "product_code",
    "workload_code",
    "days_in_period",
    "amount_cents",
)
"""What the ledger and the unattributed rows carry of their line, so that the outputs need not
join back to the lines."""


_SHARE_COLUMNS = ("line_no", "credit_partner", "precedence", "days", "_numerator", "_base")
_UNCREDITED_COLUMNS = ("line_no", "reason", "days")


@dataclass(frozen=True)
class ProgramCredit:
    shares: ir.Table
    """(line_no, credit_partner, precedence, days, _numerator, _base): each credited partner's
    share of a line is _numerator / _base of it, divided once more by the days of its month
    under daily proration; `price_credits` makes the ledger of them."""
    uncredited: ir.Table
    """(line_no, reason, days): the days of each line on which nobody is credited, by reason;
    `price_unattributed` makes the unattributed rows of them."""


def excluded_lines(program: Program, lines: ir.Table) -> ir.Table | None:
    """(line_no, days_in_period) of the lines whose category the program excludes (SPEC 7.3),
    or None when it excludes none."""
    if not program.exclude_categories:
        return None
    excluded = lines.filter(lines.category.isin(sorted(program.exclude_categories)))
    return excluded.select("line_no", "days_in_period")


def credited_partners(
    program: Program, rules: Rules, resolved: ir.Table, excluded: ir.Table | None
) -> ir.Table:
    """(line_no, segment, credit_partner, precedence): who is credited in each segment, with
    the lowest precedence among its counted links (SPEC 7.2-7.7); `excluded`: the program's
    `excluded_lines`."""
    counted = resolved.filter(
        resolved.applies & counts_type(program, rules, resolved.precedence, resolved.seg_start)
    )
    if excluded is not None:
        counted = counted.anti_join(excluded, "line_no")
    partner = counted.root_no if program.rollup == "root" else counted.partner_no
    return (
        counted.mutate(credit_partner=partner)
        .group_by([*SEGMENT, "seg_days", "is_last", "credit_partner"])
        .aggregate(precedence=ibis._.precedence.min())
    )


def partners_per_day(credited: ir.Table) -> ir.Table:
    """The distinct numbers of partners credited on one day of a line (for split credit)."""
    return (
        credited.group_by(SEGMENT).aggregate(partners=ibis._.count()).select("partners").distinct()
    )


def credit_program(
    program: Program,
    rules: Rules,
    states: ir.Table,
    credited: ir.Table,
    excluded: ir.Table | None,
    split_counts: tuple[int, ...],
) -> ProgramCredit:
    """`states`: the `segment_states` of the lines; `excluded`: the program's
    `excluded_lines`; `split_counts`: every number of partners credited on one day (for
    daily split credit)."""
    shares = _prorate(program, rules.proration, credited, split_counts).select(*_SHARE_COLUMNS)
    uncredited = _uncredited(program, rules, states, credited, excluded)
    return ProgramCredit(shares, uncredited)


def price_credits(rules: Rules, shares: ir.Table, lines: ir.Table) -> ir.Table:
    """(line_no, partner_no, days, credit_cents, seat_credit_cents, _order_type (the rank of
    the association type's name), _order_month (the line's first day), the LINE_FACTS and
    whatever else `shares` carries) of the `ProgramCredit.shares` of every program at once:
    one join with the lines for all of them."""
    extra = [name for name in shares.columns if name not in _SHARE_COLUMNS]
    shares = shares.join(_line_amounts(lines), "line_no")
    daily = rules.proration == "daily"
    shares = shares.select(
        "line_no",
        *LINE_FACTS,
        *extra,
        "seat_cents",
        "_numerator",
        partner_no=shares.credit_partner,
        _order_type=_type_rank(rules, shares.precedence),
        _order_month=shares.month_start,
        days=shares.days if daily else shares.days_in_period,
        _denominator=shares._base * shares.days_in_period if daily else shares._base,
    ).view()
    shares = add_rounded_ratio(shares, "credit_cents", "amount_cents", "_numerator", "_denominator")
    shares = add_rounded_ratio(
        shares, "seat_credit_cents", "seat_cents", "_numerator", "_denominator"
    )
    return shares.select(
        "line_no",
        "partner_no",
        "days",
        "credit_cents",
        "seat_credit_cents",
        "_order_type",
        "_order_month",
        *LINE_FACTS,
        *extra,
    )


def price_unattributed(rules: Rules, uncredited: ir.Table, lines: ir.Table) -> ir.Table:
    """(line_no, reason, days, uncredited_cents, the LINE_FACTS and whatever else
    `uncredited` carries) of the `ProgramCredit.uncredited` of every program at once."""
    extra = [name for name in uncredited.columns if name not in _UNCREDITED_COLUMNS]
    joined = uncredited.join(_line_amounts(lines), "line_no")
    days = joined.days_in_period if rules.proration == "month_end" else joined.days
    rows = joined.select("line_no", "reason", *LINE_FACTS, *extra, days=days).view()
    rows = add_rounded_ratio(rows, "uncredited_cents", "amount_cents", "days", "days_in_period")
    return rows.select("line_no", "reason", "days", "uncredited_cents", *LINE_FACTS, *extra)


def _line_amounts(lines: ir.Table) -> ir.Table:
    return lines.select("line_no", *LINE_FACTS, "seat_cents", "month_start")


def _type_rank(rules: Rules, precedence: ir.IntegerValue) -> ir.IntegerValue:
    """The rank, in code-point order, of the name of the association type whose precedence
    this is."""
    names = sorted(rules.association_types)
    if not names:
        return ibis.null("int64")  # no type, no link, no credit: nothing to rank
    return ibis.cases(
        *(
            (precedence == kind.precedence, names.index(name))
            for name, kind in rules.association_types.items()
        )
    )


def _prorate(
    program: Program, proration: str, credited: ir.Table, split_counts: tuple[int, ...]
) -> ir.Table:
    """(line_no, credit_partner, precedence, days, _numerator, _base): the partner's share of
    the line is _numerator / _base, divided once more by the days of the month under daily
    proration (SPEC 7.8)."""
    split = program.credit == "split"
    if proration == "daily":
        weight = credited.seg_days
        base: dict[str, ir.Value] = {}
        if split:
            credited = with_split_base(credited, split_counts)
            # _base is a multiple of _partners, both far below 2**53: the division is exact.
            weight = weight * (credited._base / credited._partners).round().cast("int64")
            base = {"_base": ibis._._base.max()}
        weighted = credited.mutate(_weight=weight)
        # A line's only segment (it starts on the 1st and is the last) needs no sum.
        single = weighted.is_last & (weighted.seg_start.day() == 1)
        summed = ibis.union(
            weighted.filter(single).select(
                "line_no",
                "credit_partner",
                "precedence",
                *base,
                days=weighted.seg_days,
                _numerator=weighted._weight,
            ),
            weighted.filter(~single)
            .group_by(["line_no", "credit_partner", "precedence"])
            .aggregate(**base, days=ibis._.seg_days.sum(), _numerator=ibis._._weight.sum()),
        )
        return summed if split else summed.mutate(_base=ibis.literal(1, "int64"))
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


def _uncredited(
    program: Program,
    rules: Rules,
    states: ir.Table,
    credited: ir.Table,
    excluded: ir.Table | None,
) -> ir.Table:
    """The days of each line on which nobody is credited, by the first reason that holds.

    A line of an excluded category is uncredited on every day; in any other line, a segment is
    uncredited where no link applies that the policy counts."""
    if rules.proration == "month_end":
        states = states.filter(states.is_last)
    elif rules.proration == "any_day":
        states = states.anti_join(credited, "line_no")
    uncredited = states.filter(~states[counted_column(program.name)])
    if excluded is not None:
        uncredited = uncredited.anti_join(excluded, "line_no")
    reason = ibis.cases(
        (~has_policy(program, uncredited.seg_start), "no_policy"),
        (~uncredited.linked, "no_association"),
        else_="type_not_counted",
    )
    by_reason = (
        uncredited.select("line_no", "seg_days", reason=reason)
        .group_by(["line_no", "reason"])
        .aggregate(days=ibis._.seg_days.sum())
    )
    if excluded is None:
        return by_reason
    return ibis.union(
        by_reason,
        excluded.select(
            "line_no",
            reason=ibis.literal("excluded_category"),
            days=excluded.days_in_period,
        ),
    )
