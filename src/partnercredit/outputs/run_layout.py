"""Where a run folder keeps what: its output tables, run.json and the accepted inputs."""

from __future__ import annotations

from pathlib import Path

from partnercredit.outputs.tables import OUTPUT_TABLES, OutputFormat, OutputTable

INPUTS_FOLDER = "inputs"
"""The accepted inputs (and, for CSV runs, the output tables as Parquet)."""
MANIFEST = "run.json"
RUN_CONTENTS = frozenset(
    (
        MANIFEST,
        INPUTS_FOLDER,
        *(f"{name}.{ext}" for name in OUTPUT_TABLES for ext in ("csv", "parquet")),
    )
)
"""Every name a run folder may hold (a validation holds some of them)."""


def output_path(run_dir: Path, table: OutputTable, output_format: OutputFormat) -> Path:
    """The output table as published (on Spark a folder of part files)."""
    return run_dir / f"{table.name}.{output_format}"


def parquet_path(run_dir: Path, table: OutputTable, output_format: OutputFormat) -> Path:
    """The output table as Parquet: the table itself, or beside CSV outputs its copy under
    inputs/, which `explain`, the targets stage and comparisons read."""
    folder = run_dir if output_format == "parquet" else run_dir / INPUTS_FOLDER
    return folder / f"{table.name}.parquet"
