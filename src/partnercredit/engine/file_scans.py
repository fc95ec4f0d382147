"""DuckDB's table functions over files that this program names itself.

DuckDB reads a folder named like `name=value` anywhere on a file's path as a column `name`
(hive partitioning), and where the file has a column of that name, the folder's value
replaces every row's: a spill folder or an output folder such as `partner_id=P1` would
change what is read. These scans read the files' columns only.

DuckDB also takes `*`, `?` and `[` in any path as glob characters: a folder `d[1]` would read
the folder `d1`. A path is therefore given to them `literal`, and a glob is made with
`files_in`.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from pathlib import Path

_GLOB_CHARACTERS = re.compile(r"[\[*?]")


def parquet_scan(source: Path | str | Sequence[Path], options: str = "") -> str:
    """`read_parquet(...)` of a file, a glob (a text, see `files_in`) or a list of files;
    `options`: more of its named parameters, e.g. "file_row_number = true"."""
    return f"read_parquet({_files(source)}, hive_partitioning = false{_more(options)})"


def csv_scan(source: Path | str, options: str = "") -> str:
    """`read_csv(...)` of a file or a glob (see `parquet_scan`)."""
    return f"read_csv({_files(source)}, hive_partitioning = false{_more(options)})"


def sql_text(value: Path | str) -> str:
    """A path as an SQL string literal."""
    return "'" + str(value).replace("'", "''") + "'"


def literal(path: Path) -> str:
    """The path as DuckDB's file functions read it literally: each glob character in a
    class of its own (`[[]`)."""
    return _GLOB_CHARACTERS.sub(lambda found: f"[{found.group()}]", str(path))


def files_in(folder: Path, pattern: str) -> str:
    """A glob of the files under `folder` (read literally) that match `pattern`."""
    return f"{literal(folder)}/{pattern}"


def _files(source: Path | str | Sequence[Path]) -> str:
    if isinstance(source, str):
        return sql_text(source)
    if isinstance(source, Path):
        return sql_text(literal(source))
    return "[" + ", ".join(sql_text(literal(path)) for path in source) + "]"


def _more(options: str) -> str:
    return f", {options}" if options else ""
