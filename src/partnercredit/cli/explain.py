"""`partnercredit explain OUT --line LINE_ID`: how one revenue line was credited."""

from __future__ import annotations

import json
from typing import Annotated

import typer
from rich.console import Console

from partnercredit.cli import render
from partnercredit.cli.options import RunFolderArgument
from partnercredit.explain import LineExplanation, ProgramExplanation, explain_line
from partnercredit.messages import Language
from partnercredit.messages import render as text


def explain(
    run_dir: RunFolderArgument,
    line: Annotated[str, typer.Option("--line", metavar="LINE_ID", help="The revenue line.")],
    partner: Annotated[
        str | None, typer.Option("--partner", metavar="P", help="Only this partner.")
    ] = None,
    program: Annotated[
        str | None, typer.Option("--program", metavar="PROG", help="Only this program.")
    ] = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print the explanation as JSON.")] = False,
    language: Annotated[str, typer.Option("--lang", help="en or de.")] = "en",
) -> None:
    """Explain one revenue line: its amount, the policies, every association considered and
    whether it applied, and the resulting credit per partner."""
    explanation = explain_line(run_dir, line, partner=partner, program=program)
    if as_json:
        typer.echo(json.dumps(explanation.to_dict(), indent=2, ensure_ascii=False))
        return
    show(explanation, "de" if language == "de" else "en")


def show(explanation: LineExplanation, language: Language) -> None:
    out = render.console()
    e = explanation
    out.print(
        f"Line {e.line_id}: {e.product}"
        + (f" ({e.workload})" if e.workload else "")
        + f", {e.period} ({e.days_in_period} days), subscription {e.subscription_id} "
        f"of customer {e.customer_id}, category {e.category}"
    )
    params = {
        "amount": f"{e.amount.normalize():f}",
        "currency": e.currency,
        "rate": e.usd_per_unit,
        "amount_usd": e.amount_usd,
    }
    out.print("  " + text("usd" if e.currency == "USD" else "conversion", params, language))
    for program in e.programs:
        _show_program(out, program, e, language)


def _show_program(
    out: Console, program: ProgramExplanation, line: LineExplanation, language: Language
) -> None:
    out.print()
    out.print(
        f"Program {program.program} ({program.kind}, {program.credit} credit, "
        f"{program.proration} proration, rollup to {program.rollup})"
    )
    if program.category_excluded:
        out.print("  " + text("category_excluded", {"category": line.category}, language))
    for policy in program.policies:
        code = "policy_none" if policy.types is None else "policy"
        types = ", ".join(policy.types or ()) or "nothing"
        params = {"first_day": policy.first_day, "last_day": policy.last_day, "types": types}
        out.print("  " + text(code, params, language))
    for link in program.links:
        partner = link.partner_id or "nobody"
        if link.credited_as and link.credited_as != link.partner_id:
            partner += f" (credited to {link.credited_as})"
        scope = f"{link.scope} {link.scope_id}" + (f"/{link.workload}" if link.workload else "")
        until = link.valid_to.isoformat() if link.valid_to else "open end"
        out.print(
            f"  {link.source_table} {link.source_id}: {link.type}, {partner}, {scope}, "
            f"{link.source_from} until {until}"
        )
        for span in link.spans:
            status = text(span.status, span.params, language)
            out.print(f"    {span.first_day} to {span.last_day}: {status}")
    for credit in program.partners:
        params = {
            "partner_id": credit.partner_id,
            "days": credit.days,
            "days_in_period": line.days_in_period,
            "type": credit.association_type,
            "credit_usd": credit.credit_usd,
            "seat_credit": credit.seat_credit,
        }
        out.print("  = " + text("partner_credit", params, language))
    for missing in program.uncredited:
        params = {
            "days": missing.days,
            "reason": missing.reason,
            "uncredited_usd": missing.uncredited_usd,
        }
        out.print("  = " + text("uncredited", params, language))
