"""`partnercredit rules show|check`: print the effective rules, or check a rules file."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.console import Console
from rich.table import Column, Table

from partnercredit.cli import render
from partnercredit.rules import REQUIREMENTS, PolicySpan, Program, Rules, load_rules
from partnercredit.rules.models import toml_value

rules_app = typer.Typer(
    name="rules",
    help="Show the effective rules, or check a rules file.",
    no_args_is_help=True,
)


def _console() -> Console:
    # Rules text is the operator's, not rich markup: a pattern like "[A-C]*" must show as is.
    # Lines are not wrapped, so that one-line output stays one line for scripts and grep.
    return render.console(soft_wrap=True)


@rules_app.command()
def show(
    rules_file: Annotated[
        Path | None,
        typer.Option(
            "--rules",
            metavar="FILE",
            help="Rules file (TOML); without it, the built-in default rules.",
        ),
    ] = None,
) -> None:
    """Print the effective rules: types, areas, programs and their policies over time."""
    rules = load_rules(rules_file)
    console = _console()
    console.print(f"rules: {rules.source_name} (sha256 {rules.sha256})", style="bold")
    console.print(f"fiscal_year_start_month = {rules.fiscal_year_start_month}")
    console.print(f"proration = {rules.proration}")
    console.print(_types_table(rules))
    console.print(_areas_table(rules))
    for program in rules.programs.values():
        _print_program(console, program)


@rules_app.command()
def check(
    file: Annotated[Path, typer.Argument(metavar="FILE", help="Rules file (TOML) to check.")],
) -> None:
    """Check a rules file and summarise it; an invalid file is a one-line error."""
    rules = load_rules(file)
    rules.require_programs()
    programs = rules.programs.values()
    counts = [
        _count(len(rules.association_types), "association type"),
        _count(len(rules.areas), "area"),
        _count(len(programs), "program"),
        _count(sum(len(program.policies) for program in programs), "policy", "policies"),
        _count(sum(len(program.targets) for program in programs), "target"),
        _count(sum(len(program.rates) for program in programs), "rate"),
    ]
    _console().print(f"{rules.source_name}: OK ({', '.join(counts)})")


def _count(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"


def _table(title: str, *headers: str) -> Table:
    # Names must stay whole on a narrow terminal: wrap them rather than cut them short.
    return Table(*(Column(header, overflow="fold") for header in headers), title=title)


def _types_table(rules: Rules) -> Table:
    table = _table(
        "association types",
        "type",
        "precedence",
        "exclusive",
        "retroactive",
        "label (en)",
        "label (de)",
    )
    for declared in rules.association_types.values():
        table.add_row(
            declared.name,
            str(declared.precedence),
            toml_value(declared.exclusive),
            toml_value(declared.retroactive),
            declared.label["en"],
            declared.label["de"],
        )
    return table


def _areas_table(rules: Rules) -> Table:
    table = _table("areas", "area", "product patterns")
    for area, patterns in rules.areas.items():
        table.add_row(area, ", ".join(patterns))
    return table


def _print_program(console: Console, program: Program) -> None:
    console.rule(f"program {program.name} ({program.kind})")
    console.print(
        f"credit = {program.credit}, window_months = {program.window_months}, "
        f"rollup = {program.rollup}"
    )
    console.print(f"exclude_categories = {', '.join(program.exclude_categories) or 'none'}")
    console.print("policies:")
    for span in program.policy_spans():
        console.print(f"  {_policy_line(span)}")
    if not program.policies:
        console.print("  none: the program credits nobody")
    if program.kind == "attainment":
        console.print(_targets_table(program))
    else:
        console.print(_rates_table(program))
        required = ", ".join(str(ref) for ref in program.requires_any)
        console.print(f"requires_any = {required or 'none'}")


def _policy_line(span: PolicySpan) -> str:
    until = "on" if span.last_day is None else f"until {span.last_day}"
    return f"from {span.start} {until}: {', '.join(span.types) or 'no type counted'}"


def _targets_table(program: Program) -> Table:
    table = _table(f"{program.name} targets", "target", "area", "level", *REQUIREMENTS)
    for target in program.targets:
        minimums = target.requirements
        table.add_row(
            target.name,
            target.area,
            target.level or "",
            *(str(minimums.get(key, "")) for key in REQUIREMENTS),
        )
    return table


def _rates_table(program: Program) -> Table:
    table = _table(f"{program.name} rates", "area", "rate")
    for rate in program.rates:
        table.add_row(rate.area, rate.rate_text)
    return table
