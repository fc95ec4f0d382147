"""`partnercredit verify RUN` and `partnercredit diff RUN_A RUN_B`: compare runs."""

from __future__ import annotations

from collections.abc import Sequence
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer
from rich.table import Table

from partnercredit.cli import render
from partnercredit.cli.options import (
    EngineOption,
    MemoryOption,
    RunFolderArgument,
    SpillOption,
    engine_options,
)

if TYPE_CHECKING:
    from partnercredit.compare import TableComparison


def verify(
    run_dir: RunFolderArgument,
    data: Annotated[
        Path | None,
        typer.Option(
            "--data",
            metavar="DATA_DIR",
            help="Recompute from the data the run read (its files must be unchanged) instead "
            "of from the accepted inputs the run kept.",
        ),
    ] = None,
    engine: EngineOption = "duckdb",
    memory_limit: MemoryOption = None,
    spill_dir: SpillOption = None,
) -> None:
    """Compute a run again from its inputs and rules and compare every output table; exit 1
    if anything differs."""
    from partnercredit.compare import verify_run

    out = render.console()
    with out.status("recomputing the run"):
        verification = verify_run(
            run_dir, data_dir=data, engine=engine_options(engine, memory_limit, spill_dir)
        )
    run = verification.run
    out.print(
        f"Run {run.run_id} ({run.folder}), made by partnercredit {run.product_version} on "
        f"{run.engine}; recomputed from {verification.recomputed_from} by partnercredit "
        f"{verification.verified_with}"
    )
    out.print(_comparison_table(verification.tables, ("run", "recomputed")))
    for problem in verification.problems:
        out.print(f"Differs: {problem}")
    _show_examples(verification.tables, ("run", "recomputed"))
    if verification.identical:
        out.print("Verified: every output table is exactly what the inputs and rules give.")
        return
    out.print("NOT verified: the run differs from its recomputation (see above).")
    raise typer.Exit(1)


def diff(
    first: Annotated[Path, typer.Argument(metavar="RUN_A", help="A run folder or workspace.")],
    other: Annotated[Path, typer.Argument(metavar="RUN_B", help="A run folder or workspace.")],
    memory_limit: MemoryOption = None,
    spill_dir: SpillOption = None,
) -> None:
    """Compare the output tables of two runs, row by row."""
    from partnercredit.compare import diff_runs

    difference = diff_runs(first, other, engine=engine_options("duckdb", memory_limit, spill_dir))
    out = render.console()
    out.print(f"A: run {difference.first.run_id} ({difference.first.folder})")
    out.print(f"B: run {difference.other.run_id} ({difference.other.folder})")
    out.print(_comparison_table(difference.tables, ("A", "B")))
    _show_examples(difference.tables, ("A", "B"))
    out.print("No differences." if difference.identical else "The runs differ.")


def _comparison_table(tables: Sequence[TableComparison], sides: tuple[str, str]) -> Table:
    first, other = sides
    table = Table(title_justify="left")
    for heading in ("table", f"rows {first}", f"rows {other}", f"only {first}", f"only {other}"):
        table.add_column(heading, justify="left" if heading == "table" else "right")
    table.add_column("")
    for compared in tables:
        table.add_row(
            compared.table,
            _count(compared.rows),
            _count(compared.other_rows),
            f"{compared.only_first:,}",
            f"{compared.only_other:,}",
            "same" if compared.identical else "DIFFERENT",
        )
    return table


def _count(rows: int | None) -> str:
    return "-" if rows is None else f"{rows:,}"


def _show_examples(tables: Sequence[TableComparison], sides: tuple[str, str]) -> None:
    out = render.console(soft_wrap=True)
    names = {"first": sides[0], "other": sides[1]}
    for compared in tables:
        if compared.problem:
            out.print(f"{compared.table}: {compared.problem}")
        if not compared.examples:
            continue
        out.print(f"{compared.table}: rows found only in one of them (first of each side):")
        for side, row in compared.examples:
            values = ", ".join(f"{key}={_as_in_csv(value)}" for key, value in row.items())
            out.print(f"  only {names[side]}: {values}")


def _as_in_csv(value: object) -> str:
    """A value as the CSV outputs write it: null as an empty field, booleans in lower case,
    numbers in plain digits (a rate of zero from Parquet is 0E-8 to Python)."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return format(value, "f")
    return str(value)
