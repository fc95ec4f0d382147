"""`partnercredit generate OUT_DIR`: write a synthetic data directory."""

from __future__ import annotations

import time
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from partnercredit.cli import render

if TYPE_CHECKING:
    from partnercredit.generate import GenerationReport


def generate(
    out_dir: Annotated[
        Path,
        typer.Argument(
            metavar="OUT_DIR", help="Folder for the table files and generate.json (created)."
        ),
    ],
    subscriptions: Annotated[
        int,
        typer.Option(
            "--subscriptions",
            metavar="N",
            help="Subscriptions to generate (about one revenue line per active month each).",
        ),
    ],
    months: Annotated[int, typer.Option("--months", metavar="M", help="Periods to generate.")] = 12,
    start: Annotated[str, typer.Option("--start", metavar="YYYY-MM", help="First period.")] = (
        "2016-01"
    ),
    seed: Annotated[int, typer.Option("--seed", metavar="S", help="Same seed, same files.")] = 0,
    messy: Annotated[
        float,
        typer.Option(
            "--messy",
            metavar="FRACTION",
            help="Share of extra bad rows per table (0..1), of every kind validation rejects "
            "(docs/data-contract.md; malformed lines in CSV only); "
            "any share above 0 adds at least one row of each kind to every table with as many "
            "good rows as kinds (a tiny dataset's short tables get fewer kinds; generate.json "
            "lists them).",
        ),
    ] = 0.0,
    format: Annotated[
        str, typer.Option("--format", metavar="csv|parquet", help="Table files as CSV or Parquet.")
    ] = "csv",
) -> None:
    """Generate realistic input tables of any size, deterministically from the seed."""
    began = time.perf_counter()
    from partnercredit.generate import generate_dataset

    report = generate_dataset(
        out_dir,
        subscriptions=subscriptions,
        months=months,
        start=start,
        seed=seed,
        messy=messy,
        file_format=format,
    )
    console = render.console()
    console.print(_summary(report))
    rows = sum(table.rows for table in report.tables.values())
    console.print(f"{rows:,} rows in {out_dir} in {time.perf_counter() - began:.1f} s")


def _summary(report: GenerationReport) -> Table:
    table = Table(title="Generated tables", title_justify="left")
    for heading in ("table", "rows", "bad rows", "to reject", "exact copies"):
        table.add_column(heading, justify="left" if heading == "table" else "right")
    for name, counts in report.tables.items():
        table.add_row(
            name,
            f"{counts.rows:,}",
            f"{counts.injected_rows:,}",
            f"{counts.rejected:,}",
            f"{counts.collapsed:,}",
        )
    return table


def register(app: typer.Typer) -> None:
    """Add the `generate` command to the application."""
    app.command()(generate)
