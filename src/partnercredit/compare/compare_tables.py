"""Compare two versions of one output table row for row (as multisets of rows)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

import duckdb

from partnercredit.errors import UsageError


@dataclass(frozen=True)
class TableComparison:
    table: str
    rows: int
    """Rows of the first version."""
    other_rows: int
    """Rows of the second version."""
    only_first: int
    """Rows of the first version that the second lacks (counted with repetition)."""
    only_other: int
    examples: tuple[tuple[str, dict[str, Any]], ...]
    """A few differing rows, each with the side it is on: "first" or "other"."""

    @property
    def identical(self) -> bool:
        return self.only_first == 0 and self.only_other == 0


def compare_tables(table: str, first: Path, other: Path, examples: int = 3) -> TableComparison:
    """Compare a table's two versions: Parquet (typed values) or CSV (text), each a file or a
    folder of part files (Spark)."""
    connection = duckdb.connect()
    first_rows, other_rows = _relation(first), _relation(other)
    try:
        rows, others = _count(connection, first_rows), _count(connection, other_rows)
        only_first = _count(connection, f"({first_rows} EXCEPT ALL {other_rows})")
        only_other = _count(connection, f"({other_rows} EXCEPT ALL {first_rows})")
        shown = [
            *_examples(connection, "first", first_rows, other_rows, examples),
            *_examples(connection, "other", other_rows, first_rows, examples),
        ]
    except duckdb.Error as error:
        reason = str(error).splitlines()[0]
        raise UsageError(f"{table}: cannot compare {first} with {other} ({reason})") from None
    finally:
        connection.close()
    return TableComparison(table, rows, others, only_first, only_other, tuple(shown))


def _relation(path: Path) -> str:
    if not path.exists():
        raise UsageError(f"{path}: missing")
    files = path / f"*{path.suffix}" if path.is_dir() else path
    source = str(files).replace("'", "''")
    if path.suffix == ".csv":
        return f"(SELECT * FROM read_csv('{source}', header = true, all_varchar = true))"
    return f"(SELECT * FROM read_parquet('{source}'))"


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
