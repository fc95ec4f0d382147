"""`partnercredit partner OUT PARTNER_ID`: one partner's statement in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from partnercredit.cli import render
from partnercredit.cli.options import RunFolderArgument
from partnercredit.statement import PartnerStatement, partner_statement


def partner(
    run_dir: RunFolderArgument,
    partner_id: Annotated[str, typer.Argument(metavar="PARTNER_ID", help="The partner.")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="PERIOD", help="YYYY-MM (default: the last period)."),
    ] = None,
) -> None:
    """A partner's credit of the last 12 months, its targets and its payouts."""
    show(partner_statement(run_dir, partner_id, as_of))


def show(statement: PartnerStatement) -> None:
    out = render.console()
    start = statement.fiscal_year_start_month
    title = statement.partner_id + (f" ({statement.name})" if statement.name else "")
    if statement.root_partner_id and statement.root_partner_id != statement.partner_id:
        title += f", a location of {statement.root_partner_id}"
    out.print(f"Partner {title}")
    out.print(
        f"As of {render.period_label(statement.as_of_period, start)}; credit of "
        f"{render.period_label(statement.first_period, start)} to "
        f"{render.period_label(statement.as_of_period, start)}"
    )
    # Names must stay whole on a narrow terminal: folded onto more lines, never cut short.
    credit = Table(title="Credit by area and association type", title_justify="left")
    for heading in ("program", "area", "type", "credit USD", "seat credit", "lines"):
        credit.add_column(
            heading,
            justify="right" if heading[0] in "csl" and heading != "program" else "left",
            overflow="fold",
            no_wrap=heading in ("credit USD", "seat credit", "lines"),
        )
    for row in statement.credit:
        credit.add_row(
            row.program,
            row.area,
            row.association_type,
            f"{row.credit_usd:,}",
            f"{row.seat_credit:,}",
            f"{row.lines:,}",
        )
    out.print(credit)
    if statement.programs_credited_to_root:
        programs = ", ".join(statement.programs_credited_to_root)
        verb = "credits" if len(statement.programs_credited_to_root) == 1 else "credit"
        out.print(
            f"{programs} {verb} the organisation {statement.root_partner_id}: that credit and "
            f"its payouts are on {statement.root_partner_id}'s statement."
        )
    targets = Table(title="Targets", title_justify="left")
    targets.add_column("target, window / requirement", overflow="fold")
    for heading in ("value", "minimum", "gap", "attained"):
        targets.add_column(heading, justify="right", no_wrap=True)
    for standing in statement.targets:
        targets.add_row(
            f"{standing.program}.{standing.target}, "
            f"{standing.window_start} to {standing.window_end}",
            "",
            "",
            "",
            "yes" if standing.attained else "no",
        )
        for requirement in standing.requirements:
            targets.add_row(
                f"  {requirement.key}",
                f"{requirement.value:,}",
                f"{requirement.minimum:,}",
                f"{requirement.gap:,}",
                "",
            )
    out.print(targets)
    for standing in statement.targets:
        if standing.measured_partner_id != statement.partner_id:
            out.print(
                f"{standing.program}.{standing.target}: judged on its organisation "
                f"{standing.measured_partner_id}."
            )
    payouts = Table(title="Payouts", title_justify="left")
    for heading in (
        "program",
        "period",
        "area",
        "eligible USD",
        "rate",
        "earned USD",
        "blocked by",
    ):
        payouts.add_column(heading, overflow="fold")
    for line in statement.payouts:
        payouts.add_row(
            line.program,
            render.period_label(line.period, start),
            line.area,
            f"{line.eligible_usd:,}",
            line.rate,
            f"{line.earned_usd:,}",
            line.blocked_reason,
        )
    out.print(payouts if statement.payouts else "No payouts.")
