"""What differs between the output tables of two runs."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from partnercredit.compare.compare_tables import TableComparison, compare_tables
from partnercredit.outputs.run_facts import RunFacts, read_run_facts
from partnercredit.outputs.run_layout import parquet_path
from partnercredit.outputs.tables import OUTPUT_TABLES


@dataclass(frozen=True)
class RunDifference:
    first: RunFacts
    other: RunFacts
    tables: tuple[TableComparison, ...]
    """Every output table, compared by typed value whatever format each run wrote."""

    @property
    def identical(self) -> bool:
        return all(table.identical for table in self.tables)


def diff_runs(first: Path, other: Path, examples_per_table: int = 3) -> RunDifference:
    """Compare every output table of two runs (run folders, or workspaces: their latest)."""
    one, two = read_run_facts(first), read_run_facts(other)
    tables = tuple(
        compare_tables(
            table.name,
            parquet_path(one.folder, table, one.output_format),
            parquet_path(two.folder, table, two.output_format),
            examples_per_table,
        )
        for table in OUTPUT_TABLES.values()
    )
    return RunDifference(one, two, tables)
