"""Reading a published run's tables with DuckDB: `explain` and `partner` answer from them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import duckdb

from partnercredit.engine.file_scans import files_in, parquet_scan
from partnercredit.errors import Interrupted, UsageError
from partnercredit.messages import Message
from partnercredit.outputs.run_facts import RunFacts, read_run_facts
from partnercredit.outputs.run_layout import INPUTS_FOLDER, parquet_path
from partnercredit.outputs.tables import OUTPUT_TABLES, REJECTION_CODES


class RunTables:
    """The output tables as Parquet (in the run folder, or for a CSV run under inputs/; on
    Spark folders of part files), the accepted inputs and derived tables under inputs/."""

    def __init__(self, facts: RunFacts, connection: duckdb.DuckDBPyConnection) -> None:
        self.facts = facts
        self.folder = facts.folder
        self.connection = connection

    def rows(self, table: str, where: str, *params: object) -> list[dict[str, Any]]:
        return self.select(table, "*", where, params)

    def rejections(self, input_table: str, key: str) -> list[dict[str, Any]]:
        """The `rejected` rows of `input_table` with this key, in the order of their rows."""
        return self.rows(
            "rejected", '"table" = ? AND key = ? ORDER BY row_number', input_table, key
        )

    def rejection(self, input_table: str, key: str) -> tuple[int, Message] | None:
        """The first rejected row of `input_table` with this key: its row number and why
        (as a message, to be shown in any language)."""
        rejected = self.rejections(input_table, key)
        if not rejected:
            return None
        row = rejected[0]
        params = {name: row[name] or "" for name in ("column", "value", "key")}
        [codes] = self.rows(
            REJECTION_CODES, '"table" = ? AND row_number = ?', input_table, row["row_number"]
        )
        return row["row_number"], Message(codes["message_code"], params)

    def select(
        self, table: str, columns: str, where: str = "true", params: Sequence[object] = ()
    ) -> list[dict[str, Any]]:
        """`SELECT columns FROM table WHERE where` (which may end in GROUP BY ...)."""
        path = self._parquet(table)
        source = parquet_scan(files_in(path, "*.parquet") if path.is_dir() else path)
        try:
            result = self.connection.execute(
                f"SELECT {columns} FROM {source} WHERE {where}", list(params)
            )
            names = [column[0] for column in result.description]
            return [dict(zip(names, row, strict=True)) for row in result.fetchall()]
        except duckdb.InterruptException:
            # Stopped by SIGINT or SIGTERM, not a damaged run.
            raise Interrupted("interrupted") from None
        except duckdb.Error as error:
            raise UsageError(
                f"{self.folder}: {path.relative_to(self.folder)} is missing or unreadable"
            ) from error

    def _parquet(self, table: str) -> Path:
        if table in OUTPUT_TABLES:
            return parquet_path(self.folder, OUTPUT_TABLES[table], self.facts.output_format)
        return self.folder / INPUTS_FOLDER / f"{table}.parquet"


@contextmanager
def run_tables(folder: Path) -> Iterator[RunTables]:
    """The tables of the run that `folder` names (a run folder, or a workspace: its latest
    run); the connection is closed afterwards."""
    facts = read_run_facts(folder)
    connection = duckdb.connect()
    try:
        yield RunTables(facts, connection)
    finally:
        connection.close()
