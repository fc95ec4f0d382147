"""What differs between the output tables of two runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from partnercredit.arguments import require_count, require_engine
from partnercredit.compare.compare_tables import TableComparison, compare_tables
from partnercredit.engine import EngineOptions
from partnercredit.outputs.run_facts import RunFacts, read_run_facts
from partnercredit.outputs.run_layout import output_path, parquet_path
from partnercredit.outputs.tables import OUTPUT_TABLES, OutputTable
from partnercredit.paths import PathArg, as_path


@dataclass(frozen=True)
class RunDifference:
    first: RunFacts
    other: RunFacts
    tables: tuple[TableComparison, ...]
    """Every output table: by its CSV text when both runs wrote CSV, else by typed value."""

    @property
    def identical(self) -> bool:
        return all(table.identical for table in self.tables)


def diff_runs(
    first: PathArg,
    other: PathArg,
    *,
    engine: EngineOptions | None = None,
    examples_per_table: int = 3,
) -> RunDifference:
    """Compare every output table of two runs (run folders, or workspaces: their latest);
    `engine` gives the memory limit and spill folder of the comparison."""
    require_engine(engine)
    require_count("examples_per_table", examples_per_table, 0)
    one, two = read_run_facts(as_path(first)), read_run_facts(as_path(other))
    tables = tuple(
        compare_tables(table.name, *_versions(table, one, two), examples_per_table, engine=engine)
        for table in OUTPUT_TABLES.values()
    )
    return RunDifference(one, two, tables)


def _versions(table: OutputTable, one: RunFacts, two: RunFacts) -> tuple[Path, Path]:
    """The CSV files as published when both runs wrote CSV, else the typed Parquet versions
    (a CSV run keeps one under inputs/)."""
    if one.output_format == two.output_format == "csv":
        return output_path(one.folder, table, "csv"), output_path(two.folder, table, "csv")
    return (
        parquet_path(one.folder, table, one.output_format),
        parquet_path(two.folder, table, two.output_format),
    )
