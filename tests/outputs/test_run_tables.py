"""Reading a published run's tables: what is the run's fault and what is not."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from partnercredit.errors import Interrupted, UsageError
from partnercredit.outputs.run_tables import run_tables
from tests.conftest import TESTS
from tests.scenario_helpers import run_scenario


@pytest.fixture(scope="module")
def worked_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    scenario = TESTS / "scenarios" / "01_worked_example"
    return run_scenario(scenario, tmp_path_factory.mktemp("worked") / "out")


def test_a_table_that_cannot_be_read_is_named(worked_run: Path, tmp_path: Path) -> None:
    with run_tables(worked_run) as run:
        run.folder = tmp_path  # a folder without the run's files
        with pytest.raises(UsageError, match=r"inputs/partners\.parquet is missing or unreadable"):
            run.rows("partners", "true")


def test_an_interrupt_is_not_taken_for_a_damaged_run(
    worked_run: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with run_tables(worked_run) as run:

        def interrupted(*_arguments: object) -> None:
            raise duckdb.InterruptException("INTERRUPT Error: Interrupted!")

        monkeypatch.setattr(run, "connection", type("Connection", (), {"execute": interrupted})())
        with pytest.raises(Interrupted, match=r"^interrupted$"):
            run.rows("partners", "true")
