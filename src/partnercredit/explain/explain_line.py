"""Explain one revenue line of a finished run, from its outputs and saved inputs."""

from __future__ import annotations

import dataclasses
from datetime import date, datetime, time, timedelta
from decimal import ROUND_HALF_EVEN, Decimal, localcontext
from typing import Any

from partnercredit.arguments import require_text
from partnercredit.contract import BASE_CURRENCY, TRANSACTING
from partnercredit.explain.models import (
    LineExplanation,
    LinkExplanation,
    PartnerCredit,
    PolicyInForce,
    ProgramExplanation,
    Uncredited,
)
from partnercredit.explain.split_shares import partners_on_days, split_shares
from partnercredit.explain.trace_links import (
    LineMonth,
    Link,
    credited_partner,
    proration_decision,
    trace_links,
)
from partnercredit.messages import Refused
from partnercredit.outputs.run_tables import RunTables, run_tables
from partnercredit.paths import PathArg, as_path
from partnercredit.rules import Program, Rules

_EXACT_PRODUCT_DIGITS = 64
CENT = Decimal("0.01")


def explain_line(
    run_dir: PathArg,
    line_id: str,
    *,
    partner: str | None = None,
    program: str | None = None,
) -> LineExplanation:
    """How `line_id` was credited in every program (or one), for every partner (or one).

    Raises `Refused` (a `UsageError` whose message has a code and parameters, to be shown in
    any language) for a line, partner or program the run does not hold, and `UsageError` for
    a folder that holds no run."""
    for name, value in (("line_id", line_id), ("partner", partner), ("program", program)):
        if value is not None or name == "line_id":
            require_text(name, value, "text (an id as the data writes it)")
    with run_tables(as_path(run_dir)) as run:
        return _explain(run, line_id, partner, program)


def _explain(
    run: RunTables, line_id: str, partner: str | None, program: str | None
) -> LineExplanation:
    rules = run.facts.rules
    if program is not None and program not in rules.programs:
        raise Refused("unknown_program", {"program": program})
    if partner is not None and not run.rows("partners", "partner_id = ?", partner):
        _refuse_rejected(run, "partners", partner, "partner_rejected", "partner_id")
        raise Refused("partner_not_in_run", {"partner_id": partner})
    line = _line(run, line_id)
    subscription = run.rows("subscriptions", "subscription_id = ?", line["subscription_id"])[0]
    rate = _rate(run, line)
    amount_usd = _converted(line["amount"], rate)
    links = _links(run, line, subscription["customer_id"])
    roots = _roots(run, links)
    first_day = date.fromisoformat(f"{line['period']}-01")
    month = LineMonth(
        first_day, _days_in_month(first_day), line["workload"], subscription["category"]
    )
    # Only the line's partners (or their top parents) can hold its credits; naming them lets
    # the reader skip the row groups of every other partner.
    candidates = sorted({*roots, *roots.values()})
    credits = (
        run.rows("credits", "list_contains(?, partner_id) AND line_id = ?", candidates, line_id)
        if candidates
        else []
    )
    uncredited = run.rows("unattributed", "line_id = ?", line_id)
    programs = tuple(
        _explain_program(
            rules,
            name,
            month,
            links,
            roots,
            partner,
            [row for row in credits if row["program"] == name],
            [row for row in uncredited if row["program"] == name],
        )
        for name in rules.programs
        if program is None or name == program
    )
    return LineExplanation(
        run_id=run.facts.run_id,
        line_id=line_id,
        subscription_id=line["subscription_id"],
        customer_id=subscription["customer_id"],
        category=subscription["category"],
        period=line["period"],
        first_day=first_day,
        days_in_period=month.days,
        product=line["product"],
        workload=line["workload"],
        amount=_significant(line["amount"]),
        currency=line["currency"],
        usd_per_unit=rate,
        amount_usd=amount_usd,
        quantity=line["quantity"],
        partner=partner,
        programs=programs,
        type_labels={name: dict(kind.label) for name, kind in rules.association_types.items()},
    )


def _significant(amount: Decimal) -> Decimal:
    """The amount with the decimals it has: the run keeps amounts with six or 24 places
    (1000.00 and 1000 are kept as 1000.000000, 0.125 as 0.125000). A whole amount stays whole
    (1000, as a yen amount is written), any other has at least two places (12.50)."""
    # Up to 36 digits: normalize() and quantize() in the default context would round to 28.
    if amount == 0:
        return Decimal(0)  # not -0
    with localcontext(prec=64):
        significant = amount.normalize()
        places = -int(significant.as_tuple().exponent)
        if places <= 0:
            return amount.quantize(Decimal(1))
        return significant.quantize(CENT) if places == 1 else significant


def _converted(amount: Decimal, rate: Decimal) -> Decimal:
    # An amount has up to 36 digits and a rate up to 28: the product is exact in 64.
    with localcontext(prec=_EXACT_PRODUCT_DIGITS):
        cents = (amount * rate).quantize(CENT, rounding=ROUND_HALF_EVEN)
    # A tiny refund rounds to -0.00, which the outputs write as 0.00.
    return cents.copy_abs() if cents.is_zero() else cents


def _line(run: RunTables, line_id: str) -> dict[str, Any]:
    found = run.rows("revenue", "line_id = ?", line_id)
    if found:
        return found[0]
    _refuse_rejected(run, "revenue", line_id, "line_rejected", "line_id")
    raise Refused("line_not_in_run", {"line_id": line_id})


def _refuse_rejected(run: RunTables, table: str, key: str, code: str, key_name: str) -> None:
    """Refuses a key asked about that an input row of `table` had but was rejected, with that
    row's rejection (in the message `code`, which names the key as `key_name`)."""
    found = run.rejection(table, key)
    if found is not None:
        row_number, reason = found
        raise Refused(code, {key_name: key, "row_number": row_number}, reason)


def _rate(run: RunTables, line: dict[str, Any]) -> Decimal:
    if line["currency"] == BASE_CURRENCY:
        return Decimal(1)
    found = run.rows("fx_rates", "period = ? AND currency = ?", line["period"], line["currency"])
    rate: Decimal = found[0]["usd_per_unit"]
    return rate.normalize()


def _links(run: RunTables, line: dict[str, Any], customer_id: str) -> list[Link]:
    rows = run.rows(
        "links",
        "scope_id IN (?, ?) AND ((scope = 'subscription' AND scope_id = ?) "
        "OR (scope = 'customer' AND scope_id = ?))",
        line["subscription_id"],
        customer_id,
        line["subscription_id"],
        customer_id,
    )
    links = [Link(**row) for row in rows]
    if line["transacting_partner_id"] is not None:
        links.append(_transacting_link(line))
    return sorted(
        links, key=lambda link: (link.specificity, link.type, link.source_from, link.source_id)
    )


def _transacting_link(line: dict[str, Any]) -> Link:
    """The transacting partner is tied to its line for the line's whole month (SPEC 7.5)."""
    first_day = date.fromisoformat(f"{line['period']}-01")
    return Link(
        source_table="revenue",
        source_id=line["line_id"],
        type=TRANSACTING,
        partner_id=line["transacting_partner_id"],
        scope="line",
        scope_id=line["line_id"],
        workload=None,
        specificity=0,
        source_from=first_day,
        valid_from=first_day,
        valid_to=first_day + timedelta(days=_days_in_month(first_day)),
        recorded_at=datetime.combine(first_day, time()),
    )


def _roots(run: RunTables, links: list[Link]) -> dict[str, str]:
    partners = sorted({link.partner_id for link in links if link.partner_id is not None})
    if not partners:
        return {}
    rows = run.rows("partner_roots", "list_contains(?, partner_id)", partners)
    return {row["partner_id"]: row["root_partner_id"] for row in rows}


def _days_in_month(first_day: date) -> int:
    following = date(first_day.year + first_day.month // 12, first_day.month % 12 + 1, 1)
    return (following - first_day).days


def _explain_program(
    rules: Rules,
    name: str,
    month: LineMonth,
    links: list[Link],
    roots: dict[str, str],
    partner: str | None,
    credits: list[dict[str, Any]],
    uncredited: list[dict[str, Any]],
) -> ProgramExplanation:
    program = rules.programs[name]
    trace = trace_links(program, rules, month, links, roots)
    split = program.credit == "split"
    shares = split_shares(trace.credited) if split else {}
    # Under rollup = "root" a location's links credit its organisation: that is its credit.
    organisation = None if partner is None else credited_partner(program, partner, roots)
    shown = None if partner is None else {partner, organisation}
    explained = []
    for link in links:
        credited_as = (
            None if link.partner_id is None else credited_partner(program, link.partner_id, roots)
        )
        if partner is not None and partner not in (link.partner_id, credited_as):
            continue
        explained.append(
            LinkExplanation(
                source_table=link.source_table,
                source_id=link.source_id,
                type=link.type,
                partner_id=link.partner_id,
                credited_as=credited_as,
                scope=link.scope,
                scope_id=link.scope_id,
                workload=link.workload,
                source_from=link.source_from,
                valid_from=link.valid_from,
                valid_to=link.valid_to,
                recorded_at=link.recorded_at,
                spans=tuple(trace.spans[link]),
            )
        )
    shown_credits = tuple(
        PartnerCredit(
            row["partner_id"],
            row["association_type"],
            row["days"],
            row["credit_usd"],
            row["seat_credit"],
            shares.get((row["partner_id"], row["association_type"])),
        )
        for row in sorted(credits, key=lambda row: (row["partner_id"], row["association_type"]))
        if shown is None or row["partner_id"] in shown
    )
    return ProgramExplanation(
        program=name,
        kind=program.kind,
        credit=program.credit,
        proration=rules.proration,
        proration_decision=proration_decision(rules.proration, month),
        rollup=program.rollup,
        category_excluded=month.category in program.exclude_categories,
        policies=_policies_in_month(program, month),
        partners_on_days=partners_on_days(month.first_day, trace.credited) if split else (),
        links=tuple(explained),
        partners=shown_credits,
        partner_not_linked=partner is not None and not explained and not shown_credits,
        partner_not_credited=partner is not None and bool(explained) and not shown_credits,
        uncredited=tuple(
            Uncredited(row["reason"], row["days"], row["uncredited_usd"])
            for row in sorted(uncredited, key=lambda row: row["reason"])
        ),
        organisation=organisation if organisation != partner else None,
    )


def _policies_in_month(program: Program, month: LineMonth) -> tuple[PolicyInForce, ...]:
    spans: list[PolicyInForce] = []
    for day in month.each_day():
        policy = program.policy_on(day)
        types, policy_from = (None, None) if policy is None else (policy.types, policy.start)
        if spans and spans[-1].policy_from == policy_from:
            spans[-1] = dataclasses.replace(spans[-1], last_day=day)
        else:
            spans.append(PolicyInForce(day, day, types, policy_from))
    return tuple(spans)
