"""--messy: generate.json predicts exactly what validation rejects and collapses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pyarrow.parquet as pq
import pytest

from partnercredit.contract import REJECTION_REASONS, TABLES
from partnercredit.generate.messy import injections
from tests.generate.conftest import Generate
from tests.generate.oracle import read_table, verdicts


def _expected(data_dir: Path) -> dict[str, Any]:
    tables: dict[str, Any] = json.loads((data_dir / "generate.json").read_text())["tables"]
    return tables


@pytest.mark.parametrize("dataset", ["messy_csv", "messy_parquet"])
def test_generate_json_predicts_every_rejection(
    dataset: str, request: pytest.FixtureRequest
) -> None:
    data_dir: Path = request.getfixturevalue(dataset)
    rejected, collapsed, read = verdicts(data_dir)
    for name, table in _expected(data_dir).items():
        assert table["rejected_by_reason"] == {
            reason: count for (where, reason), count in rejected.items() if where == name
        }, name
        assert (table["rows"], table["collapsed"]) == (read[name], collapsed[name]), name
        assert (
            table["accepted"]
            == read[name]
            - sum(count for (where, _), count in rejected.items() if where == name)
            - collapsed[name]
        )


def test_every_reason_is_injected(messy_csv: Path) -> None:
    reasons = {
        reason for table in _expected(messy_csv).values() for reason in table["rejected_by_reason"]
    }
    assert reasons == set(REJECTION_REASONS)


def test_a_small_dataset_gets_every_reason(generate: Generate) -> None:
    """Short tables take the first kind of each reason before the others."""
    small = generate(subscriptions=100, messy=0.1, seed=12)
    reasons = {
        reason for table in _expected(small).values() for reason in table["rejected_by_reason"]
    }
    assert reasons == set(REJECTION_REASONS)
    rejected, _, _ = verdicts(small)
    assert {reason for _, reason in rejected} == reasons


def test_malformed_lines_are_counted(messy_csv: Path) -> None:
    for name, table in _expected(messy_csv).items():
        header, lines = read_table(messy_csv / f"{name}.csv")
        wrong = sum(len(line) != len(header) for line in lines)
        assert wrong == table["rejected_by_reason"].get("malformed", 0) > 0


def test_parquet_has_no_malformed_rows_and_text_columns(messy_parquet: Path) -> None:
    for name, table in _expected(messy_parquet).items():
        assert "malformed" not in table["rejected_by_reason"]
        schema = pq.read_schema(messy_parquet / f"{name}.parquet")
        assert schema.names == list(TABLES[name].column_names)
        assert {str(field.type) for field in schema} == {"string"}


def test_injected_kinds_are_listed(messy_csv: Path) -> None:
    revenue = _expected(messy_csv)["revenue"]
    injected = revenue["injected"]
    assert isinstance(injected, list)
    assert {entry["kind"] for entry in injected} >= {
        "too_few_fields",
        "too_many_fields",
        "exact_copy",
        "conflicting_copy",
        "missing",
        "bad_value",
        "unknown_reference",
        "unrated_currency",
    }
    copies = next(entry for entry in injected if entry["kind"] == "exact_copy")
    assert copies["rejected"] == 0 and copies["collapsed"] == copies["rows"] > 0
    pairs = next(entry for entry in injected if entry["kind"] == "conflicting_copy")
    assert pairs["rejected"] == pairs["rows"] and pairs["rows"] % 2 == 0


def test_a_tiny_dataset_gets_as_many_kinds_as_its_tables_have_rows(generate: Generate) -> None:
    """Each bad row copies a good one: a table of fewer good rows than kinds of bad row gets
    one kind per good row (10 subscriptions have no fasttrack rows at all), as --help says."""
    tiny = generate(subscriptions=10, messy=0.001)
    for name, table in _expected(tiny).items():
        good = table["rows"] - sum(entry["rows"] for entry in table["injected"])
        kinds = len(injections(TABLES[name], "csv"))
        assert len(table["injected"]) == min(kinds, good), name
    assert _expected(tiny)["fasttrack"]["injected"] == []
