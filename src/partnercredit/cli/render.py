"""Rendering of core results in the terminal (rich)."""

from __future__ import annotations

from rich.console import Console
from rich.table import Table

from partnercredit.contract import TABLES
from partnercredit.core import ValidationReport


def console() -> Console:
    # Data values are shown as they are: no rich markup, emoji or highlighting in them.
    return Console(markup=False, emoji=False, highlight=False)


def input_counts(report: ValidationReport) -> Table:
    table = Table(title="Input rows", title_justify="left")
    for heading in ("table", "read", "accepted", "rejected", "collapsed"):
        table.add_column(heading, justify="left" if heading == "table" else "right")
    for name in TABLES:
        counts = report.counts[name]
        table.add_row(
            name,
            f"{counts.read:,}",
            f"{counts.accepted:,}",
            f"{counts.rejected:,}",
            f"{counts.collapsed:,}",
        )
    return table


def rejections(report: ValidationReport) -> Table:
    table = Table(title="Rejected rows by reason", title_justify="left")
    table.add_column("reason", no_wrap=True)
    table.add_column("rows", justify="right", no_wrap=True)
    for reason, rows in report.rejected_by_reason.items():
        table.add_row(reason, f"{rows:,}")
    return table


def rejection_examples(report: ValidationReport) -> list[str]:
    return [
        f"{example.reason}: {example.table} row {example.row_number}"
        + (f", {example.column}" if example.column else "")
        + (f" = {_short(example.value)!r}" if example.value is not None else "")
        + f": {example.message}"
        for example in report.examples
    ]


def _short(value: str | None, limit: int = 40) -> str:
    if value is None:
        return ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def show_validation(report: ValidationReport) -> None:
    out = console()
    out.print(input_counts(report))
    if report.rejected:
        out.print(rejections(report))
        out.print("First rejections of each reason:")
        for line in rejection_examples(report):
            out.print(f"  {line}")
    else:
        out.print("No rows were rejected.")
