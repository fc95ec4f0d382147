"""`generate` as a command: it only parses options, calls generate_dataset and summarises."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from partnercredit.cli.generate import register
from partnercredit.errors import UsageError


def _invoke(*args: str) -> Result:
    app = typer.Typer()
    register(app)

    @app.callback()
    def _root() -> None:
        """Keep `generate` a named subcommand."""

    return CliRunner().invoke(app, ["generate", *args])


def test_generate_writes_a_data_directory(tmp_path: Path) -> None:
    out_dir = tmp_path / "data"
    result = _invoke(
        str(out_dir), "--subscriptions", "200", "--months", "3", "--start", "2017-11",
        "--seed", "4", "--messy", "0.1", "--format", "parquet",
    )  # fmt: skip
    assert result.exit_code == 0, result.output
    assert "revenue" in result.output and "rows in" in result.output
    report = json.loads((out_dir / "generate.json").read_text())
    assert report["parameters"] == {
        "subscriptions": 200,
        "months": 3,
        "start": "2017-11",
        "seed": 4,
        "messy": 0.1,
        "format": "parquet",
    }
    assert report["periods"] == {"first": "2017-11", "last": "2018-01"}
    assert (out_dir / "revenue.parquet").exists()


@pytest.mark.parametrize(
    ("option", "value"),
    [
        ("--subscriptions", "-5"),
        ("--months", "0"),
        ("--start", "2016-13"),
        ("--start", "16-01"),
        ("--seed", "-1"),
        ("--messy", "1.5"),
        ("--messy", "-0.1"),
        ("--format", "xlsx"),
    ],
)
def test_bad_options_are_usage_errors(tmp_path: Path, option: str, value: str) -> None:
    options = {"--subscriptions": "10", option: value}
    result = _invoke(str(tmp_path), *(text for pair in options.items() for text in pair))
    assert isinstance(result.exception, UsageError)
    assert option in str(result.exception)
    assert not list(tmp_path.iterdir())


def test_a_table_is_never_in_both_formats(tmp_path: Path) -> None:
    """Generating again replaces the earlier dataset whole, in the format asked for."""
    assert _invoke(str(tmp_path), "--subscriptions", "10").exit_code == 0
    assert _invoke(str(tmp_path), "--subscriptions", "10", "--format", "parquet").exit_code == 0
    assert not list(tmp_path.glob("*.csv"))
    assert len(list(tmp_path.glob("*.parquet"))) == 9


def test_a_folder_of_other_files_is_refused(tmp_path: Path) -> None:
    (tmp_path / "revenue.csv").write_text("our real data\n")
    result = _invoke(str(tmp_path), "--subscriptions", "10")
    assert isinstance(result.exception, UsageError)
    assert "holds no earlier generated dataset (generate.json)" in str(result.exception)
    assert [path.name for path in tmp_path.iterdir()] == ["revenue.csv"]
