"""The hand-worked validation cases of tests/fixtures/validation, run through `run`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.conftest import TESTS, CliRunner, read_csv

CASES = sorted(path for path in (TESTS / "fixtures" / "validation").iterdir() if path.is_dir())
ROW_CASES = [case for case in CASES if (case / "expected" / "rejected.csv").exists()]
STRUCTURAL_CASES = [case for case in CASES if (case / "expected" / "error.json").exists()]
COMPARED = ("table", "row_number", "key", "column", "value", "reason")


def _run(run_cli: CliRunner, case: Path, out: Path) -> tuple[int, str]:
    rules = case / "rules.toml"
    extra = ["--rules", rules] if rules.exists() else []
    result = run_cli("run", case / "data", "--out", out, "--format", "csv", *extra)
    return result.exit_code, result.stderr


def _sort_key(row: dict[str, str]) -> tuple[str, int]:
    return row["table"], int(row["row_number"])


@pytest.mark.parametrize("case", ROW_CASES, ids=lambda case: case.name)
def test_row_case(case: Path, tmp_path: Path, run_cli: CliRunner) -> None:
    out = tmp_path / "out"
    exit_code, stderr = _run(run_cli, case, out)
    assert exit_code == 0, stderr

    expected = sorted(read_csv(case / "expected" / "rejected.csv"), key=_sort_key)
    actual = sorted(
        ({name: row[name] for name in COMPARED} for row in read_csv(out / "rejected.csv")),
        key=_sort_key,
    )
    assert actual == expected

    manifest = json.loads((out / "run.json").read_text())
    for row in read_csv(case / "expected" / "counts.csv"):
        counts = manifest["tables"][row["table"]]
        assert {key: str(value) for key, value in counts.items()} == {
            "read": row["read"],
            "accepted": row["accepted"],
            "rejected": row["rejected"],
            "collapsed": row["collapsed"],
        }, row["table"]


@pytest.mark.parametrize("case", STRUCTURAL_CASES, ids=lambda case: case.name)
def test_structural_case(case: Path, tmp_path: Path, run_cli: CliRunner) -> None:
    expected = json.loads((case / "expected" / "error.json").read_text())
    out = tmp_path / "out"
    exit_code, stderr = _run(run_cli, case, out)
    assert exit_code == expected["exit_code"]
    assert len(stderr.strip().splitlines()) == 1, stderr
    assert "Traceback" not in stderr
    for mention in expected["mentions"]:
        assert mention.lower() in stderr.lower()
    assert not out.exists()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".partnercredit")]
