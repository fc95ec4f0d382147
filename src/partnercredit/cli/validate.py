"""`partnercredit validate DATA_DIR`: read and check the inputs only."""

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


def validate(
    data_dir: Annotated[
        Path, typer.Argument(metavar="DATA_DIR", help="Folder with one file per input table.")
    ],
    rules: RulesOption = None,
    out: Annotated[
        Path | None,
        typer.Option(
            "--out", metavar="OUT_DIR", help="Also publish the rejections and accepted inputs."
        ),
    ] = None,
    engine: EngineOption = "duckdb",
    memory_limit: MemoryOption = None,
    spill_dir: SpillOption = None,
    language: LanguageOption = "en",
) -> None:
    """Read and check every input table: counts per table and the first rejections by reason.

    Writes nothing unless --out is given.
    """
    from partnercredit import core

    chosen = options.language(language)
    report = core.validate(
        data_dir,
        rules=rules,
        out_dir=out,
        engine=engine_options(engine, memory_limit, spill_dir),
    )
    render.show_validation(report, chosen)
