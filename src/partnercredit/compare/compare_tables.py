"""Compare two versions of one output table: columns, rows (as multisets) and, for CSV,
the text as written."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from partnercredit.engine import EngineOptions
from partnercredit.engine.backend import default_memory_limit
from partnercredit.engine.file_scans import csv_scan, files_in, parquet_scan
from partnercredit.errors import ResourceError, StructuralError, UsageError
from partnercredit.outputs.manifest import file_sha256
from partnercredit.work_folders import make_work_folder, remove_work_folder

_SPILL_PREFIX = ".partnercredit-compare-"


@dataclass(frozen=True)
class TableComparison:
    table: str
    rows: int | None
    """Rows of the first version (None: missing)."""
    other_rows: int | None
    """Rows of the second version (None: missing)."""
    only_first: int
    """Rows of the first version that the second lacks (counted with repetition)."""
    only_other: int
    examples: tuple[tuple[str, dict[str, Any]], ...]
    """A few differing rows, each with the side it is on: "first" or "other"."""
    problem: str | None = None
    """What differs besides rows: a version missing, other columns or types, or CSV text
    that differs where the rows do not (order, quoting, separators)."""

    @property
    def identical(self) -> bool:
        return self.problem is None and self.only_first == 0 and self.only_other == 0


def compare_tables(
    table: str,
    first: Path,
    other: Path,
    examples: int = 3,
    *,
    as_written: bool = False,
    engine: EngineOptions | None = None,
) -> TableComparison:
    """Compare a table's two versions: Parquet (typed values) or CSV (text), each a file or a
    folder of part files (Spark). `as_written`: the files must also be equal byte for byte
    (CSV outputs are written in one canonical form). DuckDB compares them within `engine`'s
    memory limit and spill folder."""
    limit = (engine.memory_limit if engine else None) or default_memory_limit()
    with _connection(engine, limit) as connection:
        try:
            return _compare(connection, table, first, other, examples, as_written=as_written)
        except duckdb.OutOfMemoryException:
            raise ResourceError.out_of_memory(limit) from None
        except duckdb.Error as error:
            reason = str(error).splitlines()[0]
            raise ResourceError(f"comparing {table}: {reason}") from None


@contextmanager
def _connection(engine: EngineOptions | None, limit: str) -> Iterator[duckdb.DuckDBPyConnection]:
    """DuckDB spilling to a folder of its own in the spill folder (or the system's temporary
    folder), never into the working folder."""
    parent = (engine or EngineOptions()).spill_parent()
    try:
        spill = make_work_folder(parent, _SPILL_PREFIX)
    except OSError as error:
        raise UsageError(f"{parent}: cannot make a scratch folder ({error.strerror})") from None
    connection = duckdb.connect(config={"memory_limit": limit, "temp_directory": str(spill)})
    try:
        yield connection
    finally:
        connection.close()
        remove_work_folder(spill)


def _compare(
    connection: duckdb.DuckDBPyConnection,
    table: str,
    first: Path,
    other: Path,
    examples: int,
    *,
    as_written: bool,
) -> TableComparison:
    rows, others = _row_count(connection, first), _row_count(connection, other)
    if rows is None or others is None:
        versions = ((first, rows), (other, others))
        missing = "; ".join(f"{path}: missing" for path, count in versions if count is None)
        return TableComparison(table, rows, others, 0, 0, (), missing)
    first_rows, other_rows = _relation(first), _relation(other)
    columns = _columns(connection, first_rows), _columns(connection, other_rows)
    if columns[0] != columns[1]:
        other_columns = f"columns {_listed(columns[0])} against {_listed(columns[1])}"
        return TableComparison(table, 0, 0, 0, 0, (), other_columns)
    # Runs write every table in one order: equal tables are equal row by row, which is
    # checked in one pass; only tables that are not need the (slower) multiset difference.
    if rows == others and _equal_in_order(connection, first_rows, other_rows, columns[0]):
        only_first = only_other = 0
    else:
        only_first = _count(connection, f"({first_rows} EXCEPT ALL {other_rows})")
        only_other = _count(connection, f"({other_rows} EXCEPT ALL {first_rows})")
    shown = (
        *(_examples(connection, "first", first_rows, other_rows, examples) if only_first else ()),
        *(_examples(connection, "other", other_rows, first_rows, examples) if only_other else ()),
    )
    problem = None
    # Part files of two engines may split the same rows differently: only files compare.
    same_rows = only_first == only_other == 0
    if as_written and same_rows and first.is_file() and other.is_file():
        problem = _text_difference(first, other)
    return TableComparison(table, rows, others, only_first, only_other, shown, problem)


def _text_difference(first: Path, other: Path) -> str | None:
    if file_sha256(first) == file_sha256(other):
        return None
    return "the same rows, but the files differ as written (order, quoting, header)"


def _row_count(connection: duckdb.DuckDBPyConnection, path: Path) -> int | None:
    """The rows of the version at `path`, None if there is none. A file that cannot be read
    (this process may not, or it is damaged) is not a difference but an error (exit 2)."""
    if not path.exists():
        return None
    try:
        for file in sorted(path.iterdir()) if path.is_dir() else [path]:
            if file.is_file():
                with file.open("rb"):
                    pass
    except OSError as error:
        raise StructuralError(f"{error.filename}: cannot read ({error.strerror})") from None
    try:
        return _count(connection, _relation(path))
    except duckdb.Error as error:
        raise StructuralError(
            f"{path}: unreadable ({str(error).splitlines()[0]}): the tables cannot be compared"
        ) from None


def _relation(path: Path) -> str:
    files = files_in(path, f"*{path.suffix}") if path.is_dir() else path
    if path.suffix == ".csv":
        return f"(SELECT * FROM {csv_scan(files, 'header = true, all_varchar = true')})"
    return f"(SELECT * FROM {parquet_scan(files)})"


def _columns(connection: duckdb.DuckDBPyConnection, relation: str) -> list[tuple[str, str]]:
    described = connection.execute(f"DESCRIBE {relation}").fetchall()
    return [(str(row[0]), str(row[1])) for row in described]


def _equal_in_order(
    connection: duckdb.DuckDBPyConnection,
    first: str,
    other: str,
    columns: list[tuple[str, str]],
) -> bool:
    names = ['"' + name.replace('"', '""') + '"' for name, _ in columns]
    row = ", ".join(f"f.{name}" for name in names)
    other_row = ", ".join(f"o.{name}" for name in names)
    differing = _count(
        connection,
        f"(SELECT 1 FROM {first} AS f POSITIONAL JOIN {other} AS o "
        f"WHERE ({row}) IS DISTINCT FROM ({other_row}))",
    )
    return differing == 0


def _listed(columns: list[tuple[str, str]]) -> str:
    return "(" + ", ".join(f"{name} {kind}" for name, kind in columns) + ")"


def _count(connection: duckdb.DuckDBPyConnection, relation: str) -> int:
    found = connection.execute(f"SELECT count(*) FROM {relation}").fetchone()
    return int(found[0]) if found else 0


def _examples(
    connection: duckdb.DuckDBPyConnection, side: str, rows: str, others: str, limit: int
) -> list[tuple[str, dict[str, Any]]]:
    result = connection.execute(
        f"SELECT * FROM ({rows} EXCEPT ALL {others}) ORDER BY ALL LIMIT {int(limit)}"
    )
    names = [column[0] for column in result.description]
    return [(side, dict(zip(names, row, strict=True))) for row in result.fetchall()]
