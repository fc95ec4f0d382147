"""`partnercredit explain OUT --line LINE_ID`: how one revenue line was credited."""

from __future__ import annotations

import json
from datetime import date
from typing import Annotated

import typer
from rich.console import Console

from partnercredit.cli import options, render
from partnercredit.cli.options import LanguageOption, RunFolderArgument
from partnercredit.explain import (
    LineExplanation,
    LinkExplanation,
    PartnerCredit,
    ProgramExplanation,
    Span,
    SplitShare,
    explain_line,
)
from partnercredit.messages import Language

_OPTION_AT_FAULT = {
    "partner_not_in_run": "--partner",
    "partner_rejected": "--partner",
    "unknown_program": "--program",
}
"""The option a refusal is about, by the refusal's code."""


def explain(
    run_dir: RunFolderArgument,
    line: Annotated[str, typer.Option("--line", metavar="LINE_ID", help="The revenue line.")],
    partner: Annotated[
        str | None, typer.Option("--partner", metavar="P", help="Only this partner.")
    ] = None,
    program: Annotated[
        str | None, typer.Option("--program", metavar="PROG", help="Only this program.")
    ] = None,
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            metavar="",
            help="Print the explanation as JSON, its texts as codes with parameters (in no "
            "language: --lang does not apply).",
        ),
    ] = False,
    language: LanguageOption = "en",
) -> None:
    """Explain one revenue line: its amount, the policies, every association considered and
    whether it applied, and the resulting credit per partner."""
    chosen = options.language(language)
    with render.refusals_in(chosen, _OPTION_AT_FAULT):
        explanation = explain_line(run_dir, line, partner=partner, program=program)
    if as_json:
        typer.echo(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False))
        return
    show(explanation, chosen)


class _Wording(render.Wording):
    """The explanation's texts in one language."""

    def days(self, first_day: date, last_day: date, what: str) -> str:
        if first_day == last_day:
            return self("day", day=first_day, what=what)
        return self("days", first_day=first_day, last_day=last_day, what=what)


def show(explanation: LineExplanation, language: Language) -> None:
    out = render.console()
    say = _Wording(language, explanation.type_labels)
    e = explanation
    out.print(
        say(
            "line",
            line_id=e.line_id,
            product=f"{e.product} ({e.workload})" if e.workload else e.product,
            period=e.period,
            days=e.days_in_period,
            subscription_id=e.subscription_id,
            customer_id=e.customer_id,
            category=e.category,
        )
    )
    out.print(
        "  "
        + say(
            "usd" if e.currency == "USD" else "conversion",
            amount=e.amount,
            currency=e.currency,
            rate=e.usd_per_unit,
            amount_usd=e.amount_usd,
        )
    )
    for program in e.programs:
        _show_program(out, say, program, e)


def _show_program(
    out: Console, say: _Wording, program: ProgramExplanation, line: LineExplanation
) -> None:
    out.print()
    out.print(
        say(
            "program",
            program=program.program,
            kind=say(f"kind.{program.kind}"),
            credit=say(f"credit.{program.credit}"),
            rollup=say(f"rollup.{program.rollup}"),
        )
    )
    decision = program.proration_decision
    out.print("  " + say(decision.code, **decision.params))
    if program.category_excluded:
        out.print("  " + say("category_excluded", category=line.category))
    for policy in program.policies:
        if policy.types is None:
            counted = say("policy_none")
        elif policy.types:
            types = ", ".join(map(say.type, policy.types))
            counted = say("policy", start=policy.policy_from, types=types)
        else:
            counted = say("policy_counts_nothing", start=policy.policy_from)
        out.print("  " + say.days(policy.first_day, policy.last_day, counted))
    if program.partners_on_days:
        out.print("  " + say("split_days"))
    for shared in program.partners_on_days:
        part = f"1/{line.days_in_period * shared.partners}"
        sharing = (
            say("split_one_partner", part=part)
            if shared.partners == 1
            else say("split_partners", partners=shared.partners, part=part)
        )
        out.print("    " + say.days(shared.first_day, shared.last_day, sharing))
    if program.partner_not_linked:
        out.print("  " + say("partner_not_linked", partner_id=line.partner))
    for link in program.links:
        out.print("  " + _link(say, link))
        for span in link.spans:
            out.print("    " + say.days(span.first_day, span.last_day, _status(say, span)))
    if program.organisation and program.partners:
        out.print(
            "  "
            + say("organisation_credit", partner_id=line.partner, organisation=program.organisation)
        )
    for credit in program.partners:
        text = say(
            "partner_credit",
            partner_id=credit.partner_id,
            days=credit.days,
            days_in_period=line.days_in_period,
            type=say.type(credit.association_type),
            credit_usd=credit.credit_usd,
            seat_credit=credit.seat_credit,
        )
        out.print("  = " + text)
        if credit.share is not None:
            out.print("      " + _split_share(say, credit, credit.share, line))
    if program.partner_not_credited:
        out.print("  = " + say("partner_not_credited", partner_id=line.partner))
    for missing in program.uncredited:
        text = say(
            "uncredited",
            days=missing.days,
            reason=say(f"reason.{missing.reason}"),
            uncredited_usd=missing.uncredited_usd,
        )
        out.print("  = " + text)


def _split_share(
    say: _Wording, credit: PartnerCredit, share: SplitShare, line: LineExplanation
) -> str:
    """The row's share as the sum of days / (D * partners), and the credit it gives."""
    terms = " + ".join(f"{part.days}/{line.days_in_period * part.partners}" for part in share.parts)
    if terms != str(share.fraction):
        terms += f" = {share.fraction}"
    text = say(
        "split_share",
        terms=terms,
        amount_usd=line.amount_usd,
        share=share.fraction,
        credit_usd=credit.credit_usd,
    )
    if line.quantity:
        seats = say(
            "split_share_seats",
            quantity=line.quantity,
            share=share.fraction,
            seat_credit=credit.seat_credit,
        )
        text += f"; {seats}"
    return text


def _link(say: _Wording, link: LinkExplanation) -> str:
    partner = link.partner_id or say("nobody")
    if link.credited_as and link.credited_as != link.partner_id:
        partner = say("credited_to", partner_id=partner, credited_as=link.credited_as)
    scope = say(f"scope.{link.scope}", id=link.scope_id)
    if link.workload:
        scope = say("scope_workload", scope=scope, workload=link.workload)
    interval = say(
        "interval"
        + ("_open" if link.valid_to is None else "")
        + ("" if link.valid_from == link.source_from else "_counted_from"),
        start=link.source_from,
        end=link.valid_to,
        counted_from=link.valid_from,
    )
    return say(
        "link",
        source_table=link.source_table,
        source_id=link.source_id,
        type=say.type(link.type),
        partner=partner,
        scope=scope,
        interval=interval,
    )


def _status(say: _Wording, span: Span) -> str:
    """A span's status; its `type` parameter, where it has one, is an association type."""
    params: dict[str, object] = dict(span.params)
    if "type" in params:
        params["type"] = say.type(span.params["type"])
    return say(span.status, **params)
