"""Running the golden scenarios of tests/scenarios through the engine and the reference."""

from __future__ import annotations

import dataclasses
from datetime import UTC
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq

from partnercredit import core
from partnercredit.contract import TABLES
from tests.conftest import TESTS, read_csv
from tests.reference.reference import ReferenceResult, reference_run

SCENARIOS = sorted(path for path in (TESTS / "scenarios").iterdir() if path.is_dir())


def run_scenario(scenario: Path, out: Path) -> Path:
    core.run(scenario / "data", out, rules=scenario / "rules.toml", output_format="csv")
    return out


def accepted_tables(run_dir: Path) -> dict[str, list[dict[str, Any]]]:
    """The accepted inputs a run kept, as the reference implementation takes them."""
    return {
        name: pq.read_table(run_dir / "inputs" / f"{name}.parquet").to_pylist() for name in TABLES
    }


def reference_for(run_dir: Path, rules_text: str) -> ReferenceResult:
    tables = accepted_tables(run_dir)
    for row in (
        tables["dpor_events"]
        + tables["delegated_admin"]
        + tables["fasttrack"]
        + tables["associations"]
    ):
        if row["recorded_at"] is not None:
            row["recorded_at"] = row["recorded_at"].replace(tzinfo=UTC)
    return reference_run(rules_text, tables)


def as_csv_rows(rows: list[Any]) -> list[dict[str, str]]:
    """Reference rows written the way a CSV output writes them."""
    return [{key: _text(value) for key, value in dataclasses.asdict(row).items()} for row in rows]


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Decimal):
        return f"{value:.2f}" if value.as_tuple().exponent == -2 else str(value)
    return str(value)


def sorted_rows(rows: list[dict[str, str]]) -> list[tuple[str, ...]]:
    return sorted(tuple(row.values()) for row in rows)


def expected(scenario: Path, table: str) -> list[dict[str, str]] | None:
    path = scenario / "expected" / f"{table}.csv"
    return read_csv(path) if path.exists() else None


def assert_files_in_order(run_dir: Path) -> None:
    """The run's Parquet files (beside CSV outputs, their copies under inputs/) are in the
    texts' code-point order, although the engine sorts them by integers that stand for some
    of the texts (ids like P10 and P9, L10 and L9): credits by program, partner_id, period,
    line_id and association_type; unattributed by every column, which its three keys
    program, line_id and reason give when no two rows share them."""
    keys = ("program", "partner_id", "period", "line_id", "association_type")
    credits = _file_order(run_dir, "credits", keys)
    assert credits == sorted(credits)
    unattributed = _file_order(run_dir, "unattributed", ("program", "line_id", "reason"))
    assert unattributed == sorted(set(unattributed))


def _file_order(run_dir: Path, table: str, keys: tuple[str, ...]) -> list[tuple[str, ...]]:
    path = run_dir / f"{table}.parquet"
    if not path.exists():
        path = run_dir / "inputs" / f"{table}.parquet"
    columns = pq.read_table(path, columns=list(keys))
    return list(zip(*(columns.column(key).to_pylist() for key in keys), strict=True))


def assert_every_column_optional(run_dir: Path) -> None:
    """Every Parquet file of the run (outputs and kept inputs; a file or a folder of part
    files) declares every column optional, whether or not its rows hold a null: a file's
    schema does not depend on its data."""
    files = [path for path in run_dir.rglob("*.parquet") if path.is_file()]
    assert files
    for path in files:
        required = [field.name for field in pq.read_schema(path) if not field.nullable]
        assert required == [], path.relative_to(run_dir)
