"""A damaged run folder gives `explain` one line and exit 2, as it does `partner` (SPEC 9)."""

from __future__ import annotations

import json
import shutil
from collections.abc import Callable
from pathlib import Path

import pytest

from partnercredit import explain_line
from tests.conftest import CliRunner


def _without_rules(run: Path) -> None:
    manifest = json.loads((run / "run.json").read_text())
    del manifest["rules"]
    (run / "run.json").write_text(json.dumps(manifest))


def _corrupt_credits(run: Path) -> None:
    (run / "inputs" / "credits.parquet").write_bytes(b"not parquet")


def _unknown_rules(run: Path) -> None:
    manifest = json.loads((run / "run.json").read_text())
    manifest["rules"]["text"] = "proration = daily\n"
    (run / "run.json").write_text(json.dumps(manifest))


@pytest.mark.parametrize(
    ("damage", "message"),
    [
        (_without_rules, "run.json: not the run.json of a partnercredit run"),
        (_corrupt_credits, "inputs/credits.parquet is missing or unreadable"),
        (_unknown_rules, "run.json: its rules do not load"),
    ],
)
def test_a_damaged_run_is_one_line(
    damage: Callable[[Path], None],
    message: str,
    worked_run: Path,
    tmp_path: Path,
    run_cli: CliRunner,
) -> None:
    run = Path(shutil.copytree(worked_run, tmp_path / "run"))
    damage(run)
    result = run_cli("explain", run, "--line", "L09")
    assert result.exit_code == 2
    assert len(result.stderr.strip().splitlines()) == 1
    assert message in result.stderr


@pytest.mark.parametrize(
    "arguments",
    [
        {"line_id": 1},
        {"line_id": None},
        {"line_id": "L04", "partner": 1},
        {"line_id": "L04", "program": 2},
    ],
)
def test_an_id_that_is_not_text_is_a_type_error(
    worked_run: Path, arguments: dict[str, object]
) -> None:
    """Not a run said to be damaged (the engine cannot compare a number with a text id)."""
    with pytest.raises(TypeError, match="must be text"):
        explain_line(worked_run, **arguments)  # type: ignore[arg-type]
