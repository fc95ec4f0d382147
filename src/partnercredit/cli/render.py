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
    table = Table(title="Rejected rows by reason (first examples)", title_justify="left")
    for heading in ("reason", "rows", "table", "row", "column", "value", "message"):
        table.add_column(heading, justify="right" if heading in ("rows", "row") else "left")
    shown: set[str] = set()
    for example in report.examples:
        first = example.reason not in shown
        shown.add(example.reason)
        table.add_row(
            example.reason if first else "",
            f"{report.rejected_by_reason[example.reason]:,}" if first else "",
            example.table,
            str(example.row_number),
            example.column or "",
            _short(example.value),
            example.message,
        )
    return table


def _short(value: str | None, limit: int = 40) -> str:
    if value is None:
        return ""
    return value if len(value) <= limit else value[: limit - 1] + "…"


def show_validation(report: ValidationReport) -> None:
    out = console()
    out.print(input_counts(report))
    if report.rejected:
        out.print(rejections(report))
    else:
        out.print("No rows were rejected.")
