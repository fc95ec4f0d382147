"""`partnercredit partner OUT PARTNER_ID`: one partner's statement in the terminal."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from partnercredit.cli import options, render
from partnercredit.cli.options import LanguageOption, RunFolderArgument
from partnercredit.messages import Language
from partnercredit.statement import PartnerStatement, partner_statement

_NUMBER_COLUMNS = frozenset(
    (
        "statement.credit_usd",
        "statement.seat_credit",
        "statement.lines",
        "statement.value",
        "statement.minimum",
        "statement.gap",
        "statement.eligible_usd",
        "statement.rate",
        "statement.earned_usd",
    )
)


def partner(
    run_dir: RunFolderArgument,
    partner_id: Annotated[str, typer.Argument(metavar="PARTNER_ID", help="The partner.")],
    as_of: Annotated[
        str | None,
        typer.Option("--as-of", metavar="PERIOD", help="YYYY-MM (default: the last period)."),
    ] = None,
    language: LanguageOption = "en",
) -> None:
    """A partner's credit of the last 12 months, its targets and its payouts."""
    chosen = options.language(language)
    with render.refusals_in(chosen):
        statement = partner_statement(run_dir, partner_id, as_of)
    show(statement, chosen)


def _table(say: render.Wording, title: str, *headings: str) -> Table:
    """A table whose names stay whole on a narrow terminal (folded onto more lines, never cut
    short) and whose numbers are right-aligned on one line."""
    table = Table(title=say(title), title_justify="left")
    for heading in headings:
        number = heading in _NUMBER_COLUMNS
        table.add_column(
            say(heading),
            justify="right" if number else "left",
            overflow="fold",
            no_wrap=number,
        )
    return table


def show(statement: PartnerStatement, language: Language) -> None:
    out = render.console()
    say = render.Wording(language, statement.type_labels)
    start = statement.fiscal_year_start_month
    name = statement.partner_id + (f" ({statement.name})" if statement.name else "")
    organisation = statement.root_partner_id
    if organisation and organisation != statement.partner_id:
        out.print(say("statement.location", partner=name, organisation=organisation))
    else:
        out.print(say("statement.partner", partner=name))
    last = say.period(statement.as_of_period, start)
    first = say.period(statement.first_period, start)
    out.print(say("statement.window", as_of=last, first=first, last=last))
    if statement.reaches_before_data:
        out.print(say("statement.before_data", data_from=say.period(statement.data_from, start)))
    credit = _table(
        say,
        "statement.credit",
        "statement.program",
        "statement.area",
        "statement.type",
        "statement.credit_usd",
        "statement.seat_credit",
        "statement.lines",
    )
    for row in statement.credit:
        credit.add_row(
            row.program,
            row.area or say("statement.no_area"),
            say.type(row.association_type),
            say.number(row.credit_usd),
            say.number(row.seat_credit),
            say.number(row.lines),
        )
    out.print(credit if statement.credit else say("statement.no_credit"))
    if statement.programs_credited_to_root:
        out.print(
            say(
                "statement.credited_to_root",
                programs=", ".join(statement.programs_credited_to_root),
                organisation=organisation,
            )
        )
    targets = _table(
        say,
        "statement.targets",
        "statement.target_window",
        "statement.value",
        "statement.minimum",
        "statement.gap",
        "statement.attained",
    )
    for standing in statement.targets:
        target = say(
            "statement.target",
            target=f"{standing.program}.{standing.target}",
            start=standing.window_start,
            end=standing.window_end,
        )
        attained = say("statement.yes" if standing.attained else "statement.no")
        targets.add_row(target, "", "", "", attained)
        for requirement in standing.requirements:
            label = say(f"statement.requirement.{requirement.key}", as_of=standing.window_end)
            targets.add_row(
                f"  {label}",
                say.number(requirement.value),
                say.number(requirement.minimum),
                say.number(requirement.gap),
                "",
            )
    out.print(targets if statement.targets else say("statement.no_targets"))
    for standing in statement.targets:
        if standing.measured_partner_id != statement.partner_id:
            out.print(
                say(
                    "statement.judged_on_organisation",
                    target=f"{standing.program}.{standing.target}",
                    organisation=standing.measured_partner_id,
                )
            )
    payouts = _table(
        say,
        "statement.payouts",
        "statement.program",
        "statement.period",
        "statement.area",
        "statement.eligible_usd",
        "statement.rate",
        "statement.earned_usd",
        "statement.blocked_by",
    )
    for line in statement.payouts:
        payouts.add_row(
            line.program,
            say.period(line.period, start),
            line.area,
            say.number(line.eligible_usd),
            say.number(line.rate),
            say.number(line.earned_usd),
            line.blocked_reason,
        )
    out.print(payouts if statement.payouts else say("statement.no_payouts"))
