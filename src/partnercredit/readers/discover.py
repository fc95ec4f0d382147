"""Find one file per input table in a data directory (SPEC section 4)."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Literal

from partnercredit.contract import TABLES
from partnercredit.errors import StructuralError

FileFormat = Literal["csv", "parquet"]
FORMATS: tuple[FileFormat, ...] = ("csv", "parquet")


@dataclass(frozen=True)
class SourceFile:
    table: str
    path: Path
    format: FileFormat


def discover_tables(data_dir: Path) -> dict[str, SourceFile]:
    """The file of every table present, keyed by table name; absent optional tables are left out."""
    if not data_dir.is_dir():
        raise StructuralError(f"{data_dir}: not a directory")
    found: dict[str, SourceFile] = {}
    for spec in TABLES.values():
        candidates = [
            SourceFile(spec.name, data_dir / f"{spec.name}.{fmt}", fmt)
            for fmt in FORMATS
            if (data_dir / f"{spec.name}.{fmt}").exists()
        ]
        if len(candidates) > 1:
            raise StructuralError(
                f"{data_dir}: both {spec.name}.csv and {spec.name}.parquet exist; keep one"
            )
        if candidates:
            found[spec.name] = candidates[0]
            continue
        expected = {f"{spec.name}.{fmt}" for fmt in FORMATS}
        other_case = sorted(
            path.name
            for path in data_dir.iterdir()
            if path.name.lower() in expected and path.name not in expected
        )
        if spec.required or other_case:
            # An optional table's file named in other letter case was meant to be read.
            hint = (
                f"; file names are case-sensitive: found {', '.join(other_case)}"
                if other_case
                else ""
            )
            which = "required table" if spec.required else "table"
            raise StructuralError(
                f"{data_dir}: {which} {spec.name} is missing "
                f"(expected {spec.name}.csv or {spec.name}.parquet{hint})"
            )
    return found
