"""`partner` on a folder it cannot read, or with a period outside the run: one line, exit 2
(SPEC 9), never a traceback."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from partnercredit import core
from partnercredit.errors import UsageError
from partnercredit.statement import partner_statement
from tests.conftest import TESTS, CliResult, CliRunner
from tests.statement.conftest import WORKED_EXAMPLE

VALIDATION_FIXTURES = TESTS / "fixtures" / "validation"


def _copy(run: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "run"
    shutil.copytree(run, copy)
    return copy


def _assert_one_line_usage_error(result: CliResult, message: str) -> None:
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1, result.stderr
    assert message in result.stderr


def test_a_validation_folder_holds_no_statement(tmp_path: Path, run_cli: CliRunner) -> None:
    validated = tmp_path / "v"
    core.validate(WORKED_EXAMPLE / "data", rules=WORKED_EXAMPLE / "rules.toml", out_dir=validated)
    result = run_cli("partner", validated, "P1")
    _assert_one_line_usage_error(
        result,
        f"{validated}: holds a validation only, no credits; run `partnercredit run` first",
    )


@pytest.mark.parametrize(
    ("manifest", "problem"),
    [
        ('{"run_id": ', "not valid JSON"),
        ("[]", "not the run.json of a partnercredit run"),
        ('{"rules": {"text": ""}}', "not the run.json of a partnercredit run"),
    ],
)
def test_run_json_that_is_not_a_manifest(
    worked_run: Path, tmp_path: Path, run_cli: CliRunner, manifest: str, problem: str
) -> None:
    run = _copy(worked_run, tmp_path)
    (run / "run.json").write_text(manifest, encoding="utf-8")
    result = run_cli("partner", run, "P1")
    _assert_one_line_usage_error(result, f"{run}/run.json: {problem}")


@pytest.mark.parametrize(
    "table",
    [
        # A CSV run keeps its output tables as Parquet under inputs/.
        "inputs/credits.parquet",
        "inputs/attainment.parquet",
        "inputs/payouts.parquet",
        "inputs/partners.parquet",
        "inputs/partner_roots.parquet",
        "inputs/revenue.parquet",
    ],
)
@pytest.mark.parametrize("damage", ["missing", "corrupt"])
def test_a_missing_or_corrupt_table(
    worked_run: Path, tmp_path: Path, table: str, damage: str
) -> None:
    run = _copy(worked_run, tmp_path)
    if damage == "missing":
        (run / table).unlink()
    else:
        (run / table).write_bytes(b"not parquet")
    with pytest.raises(UsageError, match=f"^{run}: {table} is missing or unreadable$"):
        partner_statement(run, "P1")


def test_a_missing_table_of_a_parquet_run(tmp_path: Path, run_cli: CliRunner) -> None:
    run = tmp_path / "run"
    core.run(WORKED_EXAMPLE / "data", run, rules=WORKED_EXAMPLE / "rules.toml")
    assert partner_statement(run, "P1").payouts
    (run / "payouts.parquet").unlink()
    result = run_cli("partner", run, "P1")
    _assert_one_line_usage_error(result, f"{run}: payouts.parquet is missing or unreadable")


def test_tables_written_as_folders_of_part_files(worked_run: Path, tmp_path: Path) -> None:
    """Spark writes every Parquet table as a folder of that name holding part files."""
    run = _copy(worked_run, tmp_path)
    for table in (run / "inputs").glob("*.parquet"):
        part = table.with_name("part-00000.parquet")
        table.rename(part)
        table.mkdir()
        part.rename(table / part.name)
        (table / "_SUCCESS").touch()
    expected = partner_statement(worked_run, "P1")
    assert partner_statement(run, "P1") == expected


@pytest.mark.parametrize("as_of", ["2016-13", "2016-00", "16-01", "June", "2016-1", "２016-01"])
def test_as_of_that_is_not_a_period(worked_run: Path, run_cli: CliRunner, as_of: str) -> None:
    result = run_cli("partner", worked_run, "P1", "--as-of", as_of)
    _assert_one_line_usage_error(result, f"--as-of: expected a period YYYY-MM, not {as_of!r}")


@pytest.mark.parametrize("as_of", ["2016-03", "2016-10", "1999-01", "2030-01"])
def test_as_of_outside_the_run(worked_run: Path, run_cli: CliRunner, as_of: str) -> None:
    result = run_cli("partner", worked_run, "P1", "--as-of", as_of)
    _assert_one_line_usage_error(
        result,
        f"--as-of {as_of}: outside the run's revenue periods 2016-04 to 2016-09",
    )


@pytest.mark.parametrize("as_of", ["2016-04", "2016-09"])
def test_as_of_the_first_and_last_period(worked_run: Path, as_of: str) -> None:
    assert partner_statement(worked_run, "P1", as_of=as_of).as_of_period == as_of


def test_a_rejected_partner_says_why(tmp_path: Path, run_cli: CliRunner) -> None:
    """P2 is its own parent: rejected, so not in the run, and the statement says why."""
    out = tmp_path / "out"
    core.run(VALIDATION_FIXTURES / "cycle_self" / "data", out)
    result = run_cli("partner", out, "P2")
    _assert_one_line_usage_error(
        result, "partner 'P2' was rejected (partners row 2): This partner's chain of parent"
    )
    assert "leads back to itself" in result.stderr
    german = run_cli("partner", out, "P2", "--lang", "de")
    _assert_one_line_usage_error(
        german, "Partner 'P2' wurde abgelehnt (Datenzeile 2 der Partner): "
    )
    assert "leads back" not in german.stderr
