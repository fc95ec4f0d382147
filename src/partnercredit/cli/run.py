"""`partnercredit run DATA_DIR --out OUT_DIR`: the complete run."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer

from partnercredit.cli import options, render
from partnercredit.cli.options import (
    EngineOption,
    LanguageOption,
    MemoryOption,
    RulesOption,
    SpillOption,
    engine_options,
)
from partnercredit.errors import StrictRefusal, UsageError


def run(
    data_dir: Annotated[
        Path, typer.Argument(metavar="DATA_DIR", help="Folder with one file per input table.")
    ],
    out: Annotated[
        Path | None,
        typer.Option("--out", metavar="OUT_DIR", help="Folder the run is published to."),
    ] = None,
    workspace: Annotated[
        Path | None,
        typer.Option(
            "--workspace",
            metavar="WS",
            help="Instead of --out: a workspace; the run is published to a new folder of it, "
            "WS/runs/RUN_ID.",
        ),
    ] = None,
    rules: RulesOption = None,
    output_format: Annotated[
        str,
        typer.Option(
            "--format", metavar="parquet|csv", help="Output tables as parquet (typed) or csv."
        ),
    ] = "parquet",
    strict: Annotated[
        bool,
        typer.Option("--strict", metavar="", help="Fail (exit 1) if any input row is rejected."),
    ] = False,
    engine: EngineOption = "duckdb",
    memory_limit: MemoryOption = None,
    spill_dir: SpillOption = None,
    language: LanguageOption = "en",
) -> None:
    """Credit every partner, measure targets and payouts, and publish the run as one set."""
    from partnercredit import core

    chosen = options.language(language)
    if output_format not in ("parquet", "csv"):
        raise UsageError(f"--format: use parquet or csv, not {output_format!r}")
    out_console = render.console()
    try:
        with render.progress(out_console, chosen) as on_phase:
            report = core.run(
                data_dir,
                out,
                workspace=workspace,
                rules=rules,
                output_format="csv" if output_format == "csv" else "parquet",
                strict=strict,
                engine=engine_options(engine, memory_limit, spill_dir),
                on_phase=on_phase,
            )
    except StrictRefusal as refusal:
        render.show_validation(refusal.validation, chosen)
        raise
    render.show_run(report, report.summary.fiscal_year_start_month, chosen)
    published = {"run_id": report.run_id, "folder": report.out_dir}
    out_console.print(render.Wording(chosen, {})("summary.published", **published))
