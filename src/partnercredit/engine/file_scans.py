"""DuckDB's table functions over files that this program names itself.

DuckDB reads a folder named like `name=value` anywhere on a file's path as a column `name`
(hive partitioning), and where the file has a column of that name, the folder's value
replaces every row's: a spill folder or an output folder such as `partner_id=P1` would
change what is read. These scans read the files' columns only.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path


def parquet_scan(source: Path | str | Sequence[Path], options: str = "") -> str:
    """`read_parquet(...)` of a file, a glob or a list of files; `options`: more of its
    named parameters, e.g. "file_row_number = true"."""
    return f"read_parquet({_files(source)}, hive_partitioning = false{_more(options)})"


def csv_scan(source: Path | str, options: str = "") -> str:
    """`read_csv(...)` of a file or a glob (see `parquet_scan`)."""
    return f"read_csv({_files(source)}, hive_partitioning = false{_more(options)})"


def sql_text(value: Path | str) -> str:
    """A path as an SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def _files(source: Path | str | Sequence[Path]) -> str:
    if isinstance(source, Path | str):
        return sql_text(source)
    return "[" + ", ".join(sql_text(path) for path in source) + "]"


def _more(options: str) -> str:
    return f", {options}" if options else ""
