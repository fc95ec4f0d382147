"""Options shared by several commands."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from partnercredit.engine import EngineOptions
    from partnercredit.engine.backend import EngineName
    from partnercredit.messages import Language

RulesOption = Annotated[
    Path | None,
    typer.Option(
        "--rules",
        metavar="FILE",
        help="Rules file (TOML); without it, the built-in default rules.",
    ),
]
RunFolderArgument = Annotated[
    Path,
    typer.Argument(
        metavar="RUN",
        help="A run folder written by `run`, or a workspace (then its latest run).",
    ),
]
EngineOption = Annotated[
    str,
    typer.Option(
        "--engine", metavar="duckdb|spark", help="Execution engine: duckdb (embedded) or spark."
    ),
]
MemoryOption = Annotated[
    str | None,
    typer.Option(
        "--memory-limit",
        metavar="SIZE",
        help="Most memory the engine may use, e.g. 8GB (default: 400 bytes per revenue line, "
        "at least 2GB and at most 40% of this machine's (or container's) memory; beyond it, "
        "the engine spills to disk).",
    ),
]
LanguageOption = Annotated[
    str, typer.Option("--lang", metavar="en|de", help="Language of the texts: English or German.")
]
SpillOption = Annotated[
    Path | None,
    typer.Option(
        "--spill-dir",
        metavar="DIR",
        help="Where the engine writes data that does not fit in memory (default: a temporary "
        "folder, removed afterwards).",
    ),
]


def engine_options(engine: str, memory_limit: str | None, spill_dir: Path | None) -> EngineOptions:
    from partnercredit.engine import EngineOptions
    from partnercredit.errors import UsageError

    if engine not in ("duckdb", "spark"):
        raise UsageError(f"--engine: unknown engine {engine!r}; use duckdb or spark")
    name: EngineName = "duckdb" if engine == "duckdb" else "spark"
    return EngineOptions(engine=name, memory_limit=memory_limit, spill_dir=spill_dir)


def language(name: str) -> Language:
    from partnercredit.errors import UsageError
    from partnercredit.messages import LANGUAGES

    for known in LANGUAGES:
        if known == name:
            return known
    raise UsageError(f"--lang: use {' or '.join(LANGUAGES)}, not {name!r}")
