"""Rendering of core results in the terminal (rich)."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator, Mapping
from contextlib import contextmanager
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING

from rich.console import Console
from rich.table import Table

from partnercredit.contract import TABLES
from partnercredit.errors import UsageError
from partnercredit.messages import Language, Phase, Refused
from partnercredit.messages import number as number_text
from partnercredit.messages import render as render_message
from partnercredit.periods import fiscal_year

if TYPE_CHECKING:
    from partnercredit.core import RunReport, ValidationReport
    from partnercredit.summary import RunSummary


_PIPED_WIDTH = 240
"""How wide output that goes to a file or a pipe may be (unless COLUMNS says otherwise): rich
would take 80 columns and break table cells inside words."""


def console(*, soft_wrap: bool = False) -> Console:
    """A console for data: values are shown as they are (no rich markup, emoji or
    highlighting in them); `soft_wrap`: lines are not wrapped."""
    shown = Console(markup=False, emoji=False, highlight=False, soft_wrap=soft_wrap)
    if not shown.is_terminal and "COLUMNS" not in os.environ:
        shown.width = _PIPED_WIDTH
    return shown


@dataclass(frozen=True)
class Wording:
    """Texts in one language, by their message codes."""

    language: Language
    type_labels: Mapping[str, Mapping[Language, str]]

    def __call__(self, code: str, /, **params: object) -> str:
        return render_message(code, params, self.language)

    def type(self, name: str) -> str:
        """An association type by its label in the rules, or by its name."""
        return self.type_labels.get(name, {}).get(self.language, name)

    def number(self, value: Decimal | int) -> str:
        return number_text(value, self.language)

    def period(self, period: str, fiscal_year_start_month: int) -> str:
        return period_label(period, fiscal_year_start_month, self.language)


@contextmanager
def progress(out: Console, language: Language) -> Iterator[Callable[[Phase], None]]:
    """A status line that shows each phase a long command enters, in `language`."""
    with out.status(Phase("phase.starting").text(language)) as status:
        yield lambda phase: status.update(phase.text(language))


@contextmanager
def refusals_in(language: Language, options: Mapping[str, str] | None = None) -> Iterator[None]:
    """A reader's refusal (a line or partner not in the run, ...) in the reader's language;
    `options` names the command's option at fault by the refusal's code."""
    try:
        yield
    except Refused as refused:
        option = (options or {}).get(refused.code)
        text = refused.render(language)
        raise UsageError(f"{option}: {text}" if option else text) from None


def input_counts(report: ValidationReport, say: Wording) -> Table:
    table = _summary_table(
        say("summary.input_rows"), say, "table", "read", "accepted", "rejected", "collapsed"
    )
    for name in TABLES:
        counts = report.counts[name]
        rows = (counts.read, counts.accepted, counts.rejected, counts.collapsed)
        table.add_row(name, *(say.number(count) for count in rows))
    return table


def rejections(report: ValidationReport, say: Wording) -> Table:
    title = say("summary.rejected_by_reason")
    table = Table(title=title, title_justify="left", min_width=len(title))
    table.add_column(say("summary.reason"), no_wrap=True)
    table.add_column(say("summary.rows"), justify="right", no_wrap=True)
    for reason, rows in report.rejected_by_reason.items():
        table.add_row(reason, say.number(rows))
    return table


def rejection_examples(report: ValidationReport, say: Wording) -> list[str]:
    return [
        say("summary.rejection", reason=example.reason, table=example.table, row=example.row_number)
        + (f", {example.column}" if example.column else "")
        + (f" = {_short(example.value)!r}" if example.value is not None else "")
        + f": {example.text(say.language)}"
        for example in report.examples
    ]


def _short(value: str | None, limit: int = 40) -> str:
    if value is None:
        return ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def show_validation(report: ValidationReport, language: Language = "en") -> None:
    out = console()
    say = Wording(language, {})
    out.print(input_counts(report, say))
    if report.rejected:
        out.print(rejections(report, say))
        out.print(say("summary.first_rejections"))
        for line in rejection_examples(report, say):
            out.print(f"  {line}")
    else:
        out.print(say("summary.none_rejected"))


def period_label(period: str, fiscal_year_start_month: int, language: Language = "en") -> str:
    """A period with the fiscal year it falls in, e.g. 2016-09 (FY2017), 2016-09 (GJ 2017)."""
    year = fiscal_year(period, fiscal_year_start_month)
    return render_message("period_label", {"period": period, "year": year}, language)


def run_summary(summary: RunSummary, fiscal_year_start_month: int, say: Wording) -> list[Table]:
    tables = []
    headings = ("program", "revenue_usd", "credited_usd", "not_credited_usd", "partners")
    credit = _summary_table(say("summary.credit"), say, *headings)
    for program in summary.programs:
        uncredited = sum(program.unattributed_usd.values(), Decimal("0.00"))
        amounts = (program.revenue_usd, program.credited_usd, uncredited, program.partners)
        credit.add_row(program.program, *(say.number(value) for value in amounts))
    if any(program.credited_usd > program.revenue_usd for program in summary.programs):
        credit.caption, credit.caption_justify = say("summary.full_credit"), "left"
    tables.append(credit)
    reasons = _summary_table(say("summary.uncredited"), say, "program", "reason", "usd")
    for program in summary.programs:
        for reason, amount in program.unattributed_usd.items():
            reasons.add_row(program.program, reason, say.number(amount))
    if reasons.row_count:
        tables.append(reasons)
    if summary.last_period:
        as_of = say.period(summary.last_period, fiscal_year_start_month)
        targets = _summary_table(
            say("summary.attaining", as_of=as_of), say, "program", "target", "partners"
        )
        for program in summary.programs:
            for target, partners in program.attaining.items():
                targets.add_row(program.program, target, say.number(partners))
        tables.append(targets)
    payouts = _summary_table(
        say("summary.payouts"), say, "program", "eligible_usd", "blocked_usd", "earned_usd"
    )
    for program in summary.programs:
        if program.kind == "payout":
            paid = (program.eligible_usd, program.blocked_usd, program.earned_usd)
            payouts.add_row(program.program, *(say.number(value) for value in paid))
    tables.append(payouts)
    return tables


_TEXT_COLUMNS = frozenset(("table", "program", "reason", "target"))


def _summary_table(title: str, say: Wording, *headings: str) -> Table:
    """A table whose columns are named by the `summary.` message codes `headings`: texts
    left-aligned, numbers right-aligned; at least as wide as its title, which stays on one
    line."""
    table = Table(title=title, title_justify="left", min_width=len(title))
    for heading in headings:
        table.add_column(
            say(f"summary.{heading}"), justify="left" if heading in _TEXT_COLUMNS else "right"
        )
    return table


def show_run(report: RunReport, fiscal_year_start_month: int, language: Language = "en") -> None:
    out = console()
    say = Wording(language, {})
    show_validation(report.validation, language)
    outputs = _summary_table(say("summary.output_rows"), say, "table", "rows")
    for name, rows in report.outputs.items():
        outputs.add_row(name, say.number(rows))
    out.print(outputs)
    summary = report.summary
    if summary.first_period and summary.last_period:
        out.print(
            say(
                "summary.periods",
                first=say.period(summary.first_period, fiscal_year_start_month),
                last=say.period(summary.last_period, fiscal_year_start_month),
            )
        )
    for table in run_summary(summary, fiscal_year_start_month, say):
        out.print(table)
