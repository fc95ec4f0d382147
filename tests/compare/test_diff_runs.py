"""`diff`: two runs compared table by table, whatever format each wrote."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow.parquet as pq

from partnercredit import core
from partnercredit.compare import diff_runs
from tests.conftest import TESTS, CliRunner

WORKED = TESTS / "scenarios" / "01_worked_example"


def test_the_same_data_in_two_formats_gives_no_difference(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    core.run(WORKED / "data", tmp_path / "a", rules=WORKED / "rules.toml")
    core.run(WORKED / "data", tmp_path / "b", rules=WORKED / "rules.toml", output_format="csv")
    difference = diff_runs(tmp_path / "a", tmp_path / "b")
    assert difference.identical
    assert [table.table for table in difference.tables] == [
        "credits",
        "unattributed",
        "attainment",
        "payouts",
        "rejected",
    ]
    result = run_cli("diff", tmp_path / "a", tmp_path / "b")
    assert (result.exit_code, result.stdout.strip().splitlines()[-1]) == (0, "No differences.")


def _example_and_changed(tmp_path: Path, old: str, new: str) -> tuple[Path, Path]:
    """The worked example run with its rules, and again with `old` replaced by `new` in them."""
    core.run(WORKED / "data", tmp_path / "example", rules=WORKED / "rules.toml")
    (tmp_path / "changed.toml").write_text((WORKED / "rules.toml").read_text().replace(old, new))
    core.run(WORKED / "data", tmp_path / "changed", rules=tmp_path / "changed.toml")
    return tmp_path / "example", tmp_path / "changed"


def test_other_rules_show_where_the_credit_moved(tmp_path: Path) -> None:
    example, changed = _example_and_changed(tmp_path, ', "fasttrack"]', "]")
    difference = diff_runs(example, changed)
    [credits] = [table for table in difference.tables if table.table == "credits"]
    # P4's FastTrack credit (2016-07 .. 2016-09) is gone; nothing else moved.
    assert (credits.only_first, credits.only_other) == (3, 0)
    assert {row["partner_id"] for side, row in credits.examples} == {"P4"}
    assert not difference.identical


def test_examples_show_null_as_an_empty_field(tmp_path: Path, run_cli: CliRunner) -> None:
    """As the CSV outputs write it, not as Python's None."""
    example, changed = _example_and_changed(tmp_path, ', "fasttrack"]', "]")
    result = run_cli("diff", example, changed)
    examples = [line for line in result.stdout.splitlines() if "association_type=" in line]
    assert examples
    assert all("workload=, " in line and "None" not in line for line in examples)
    # One line each, however long: the rows are for reading side by side and for grep.
    assert all(line.endswith("seat_credit=0.00") for line in examples), examples


def test_examples_show_numbers_in_plain_digits(tmp_path: Path, run_cli: CliRunner) -> None:
    """A rate of zero read from Parquet is Decimal('0E-8')."""
    example, unpaid = _example_and_changed(tmp_path, "rate = 0.10", "rate = 0")
    result = run_cli("diff", example, unpaid)
    assert "rate=0.00000000," in result.stdout
    assert "E-" not in result.stdout


def test_a_missing_table_differs_and_a_damaged_one_cannot_be_compared(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    core.run(WORKED / "data", tmp_path / "a", rules=WORKED / "rules.toml")
    for copy in ("missing", "damaged"):
        shutil.copytree(tmp_path / "a", tmp_path / copy)
    (tmp_path / "missing" / "credits.parquet").unlink()
    (tmp_path / "damaged" / "credits.parquet").write_text("junk")
    credits = pq.read_metadata(tmp_path / "a" / "credits.parquet").num_rows
    missing = run_cli("diff", tmp_path / "a", tmp_path / "missing")
    assert missing.exit_code == 0
    [row] = [line.split() for line in missing.stdout.splitlines() if line.startswith("│ credits")]
    assert row[3:8:2] == [f"{credits:,}", "-", "0"], row
    assert missing.stdout.strip().splitlines()[-1] == "The runs differ."
    damaged = run_cli("diff", tmp_path / "a", tmp_path / "damaged")
    assert damaged.exit_code == 2
    assert damaged.stderr.startswith(
        f"partnercredit: {tmp_path / 'damaged' / 'credits.parquet'}: unreadable ("
    )
    assert damaged.stderr.endswith(": the tables cannot be compared\n")
    assert damaged.stderr.count("\n") == 1
    assert damaged.stdout == ""
    verified = run_cli("verify", tmp_path / "damaged")
    assert (verified.exit_code, verified.stderr) == (2, damaged.stderr)
