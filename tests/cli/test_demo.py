"""`partnercredit demo` end to end on a small dataset (the README's main command runs it
bigger)."""

from __future__ import annotations

import json
import re
import shutil
import sys
from collections.abc import Callable
from pathlib import Path

import duckdb
import pytest

from partnercredit.cli.demo import _invoked_as
from partnercredit.demo import DEMO_MONTHS, DEMO_START
from partnercredit.generate.report import GENERATOR_VERSION
from tests.conftest import CliRunner

pytestmark = pytest.mark.slow


def test_demo_generates_runs_and_shows_a_partner(tmp_path: Path, run_cli: CliRunner) -> None:
    folder = tmp_path / "demo"
    result = run_cli("demo", "--dir", folder, "--subscriptions", "1500", "--no-serve")
    assert result.exit_code == 0, result.stderr
    assert "Credit by program" in result.stdout
    assert "Partner " in result.stdout
    manifest = json.loads((folder / "run" / "run.json").read_text())
    assert manifest["outputs"]["rows"]["credits"] > 0
    assert all(counts["rejected"] == 0 for counts in manifest["tables"].values())
    ((largest,),) = duckdb.sql(
        f"SELECT partner_id FROM '{folder / 'run' / 'credits.parquet'}' "
        "WHERE program = 'competency' GROUP BY ALL ORDER BY sum(credit_usd) DESC LIMIT 1"
    ).fetchall()
    assert f"Partner {largest}" in result.stdout
    generated = (folder / "data" / "generate.json").stat().st_mtime_ns
    again = run_cli("demo", "--dir", folder, "--subscriptions", "1500", "--no-serve")
    assert again.exit_code == 0
    assert (folder / "data" / "generate.json").stat().st_mtime_ns == generated


def test_demo_generates_again_over_a_dataset_generated_otherwise(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    folder = tmp_path / "demo"
    messy = ("--subscriptions", "50", "--seed", "2016", "--messy", "0.5", "--months", "3")
    assert run_cli("generate", folder / "data", *messy, "--format", "parquet").exit_code == 0
    result = run_cli("demo", "--dir", folder, "--subscriptions", "50", "--no-serve")
    assert result.exit_code == 0, result.stderr
    manifest = json.loads((folder / "run" / "run.json").read_text())
    assert all(counts["rejected"] == 0 for counts in manifest["tables"].values())
    parameters = json.loads((folder / "data" / "generate.json").read_text())["parameters"]
    assert (parameters["months"], parameters["start"]) == (DEMO_MONTHS, DEMO_START)


@pytest.mark.parametrize(
    "damage",
    [
        lambda data: (data / "revenue.parquet").unlink(),
        lambda data: (data / "generate.json").write_text("{broken"),
        lambda data: (data / "generate.json").write_text(
            (data / "generate.json").read_text().replace('"generator_version": ', '"was": ')
        ),
    ],
    ids=["a_table_deleted", "generate_json_broken", "an_older_generator"],
)
def test_demo_generates_a_damaged_dataset_again(
    damage: Callable[[Path], None], tmp_path: Path, run_cli: CliRunner
) -> None:
    folder = tmp_path / "demo ä [x]"
    assert run_cli("demo", "--dir", folder, "--subscriptions", "50").exit_code == 0
    damage(folder / "data")
    result = run_cli("demo", "--dir", folder, "--subscriptions", "50")
    assert result.exit_code == 0, result.stderr
    assert (folder / "data" / "revenue.parquet").is_file()
    report = json.loads((folder / "data" / "generate.json").read_text())
    assert report["generator_version"] == GENERATOR_VERSION
    # The commands it suggests can be pasted into a shell, as they are.
    assert f"\n  partnercredit explain '{folder / 'run'}' --line L" in result.stdout


def test_demo_shows_the_statement_in_german(tmp_path: Path, run_cli: CliRunner) -> None:
    folder = tmp_path / "demo"
    result = run_cli("demo", "--dir", folder, "--subscriptions", "50", "--lang", "de")
    assert result.exit_code == 0, result.stderr
    assert "Anrechnung nach Programm" in result.stdout
    assert "Anrechnung nach Bereich und Zuordnungstyp" in result.stdout
    assert "Credit by" not in result.stdout
    # Whole lines, however long the paths: they are not folded for the terminal's width.
    assert f"Daten: {folder / 'data'}    Lauf: {folder / 'run'}\n" in result.stdout
    suggested = re.search(
        rf"\n  partnercredit explain \S+ --line (\S+) --lang de\n"
        rf"  partnercredit partner {re.escape(str(folder / 'run'))} (\S+) --lang de\n",
        result.stdout,
    )
    assert suggested is not None, result.stdout
    line, partner = suggested.groups()
    explained = run_cli("explain", folder / "run", "--line", line, "--partner", partner)
    assert f"{partner}: " in explained.stdout  # that partner is credited on that line
    assert f"Partner {partner}" in result.stdout  # and its statement was shown


@pytest.mark.parametrize(
    ("argv0", "on_path", "shown"),
    [
        (".venv/bin/partnercredit", False, ".venv/bin/partnercredit"),
        ("/opt/my tools/partnercredit", False, "'/opt/my tools/partnercredit'"),
        ("/usr/bin/partnercredit", True, "partnercredit"),
        ("/x/partnercredit/__main__.py", False, "partnercredit"),
    ],
)
def test_suggested_commands_run_the_program_as_it_was_run(
    argv0: str, on_path: bool, shown: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`make demo` runs .venv/bin/partnercredit, which no PATH holds."""
    monkeypatch.setattr(sys, "argv", [argv0, "demo"])
    monkeypatch.setattr(shutil, "which", lambda name: argv0 if on_path else None)
    assert _invoked_as() == shown


def test_demo_refuses_an_unknown_language_before_generating(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    folder = tmp_path / "demo"
    result = run_cli("demo", "--dir", folder, "--subscriptions", "50", "--lang", "fr")
    assert result.exit_code == 2
    assert "--lang: use en or de, not 'fr'" in result.stderr
    assert not folder.exists()


def test_demo_refuses_a_folder_of_other_things(tmp_path: Path, run_cli: CliRunner) -> None:
    """A run folder, or a folder of one's own files, is not made into a demo's."""
    folder = tmp_path / "mine"
    folder.mkdir()
    (folder / "notes.txt").write_text("mine")
    result = run_cli("demo", "--dir", folder, "--subscriptions", "50")
    assert result.exit_code == 2
    assert result.stderr == (
        f"partnercredit: {folder}: holds notes.txt besides a demo's data and run; choose a new "
        "folder for the demo (--dir)\n"
    )
    assert sorted(path.name for path in folder.iterdir()) == ["notes.txt"]
