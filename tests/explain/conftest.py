"""Fixtures shared by the explanation tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TESTS
from tests.explain.tiny_runs import PRORATION_RULES, PRORATION_TABLES, ProratedRun, tiny_run
from tests.scenario_helpers import run_scenario


@pytest.fixture
def wide_terminal(monkeypatch: pytest.MonkeyPatch) -> None:
    """Long lines stay whole, so that the tests can look for them in the CLI's output."""
    monkeypatch.setenv("COLUMNS", "250")


@pytest.fixture(scope="session")
def worked_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A run of the worked example of SPEC 10."""
    scenario = TESTS / "scenarios" / "01_worked_example"
    return run_scenario(scenario, tmp_path_factory.mktemp("worked") / "out")


@pytest.fixture(scope="session")
def prorated_run(tmp_path_factory: pytest.TempPathFactory) -> ProratedRun:
    """The run of PRORATION_TABLES under a proration, made once per proration."""
    runs: dict[str, Path] = {}

    def run(proration: str) -> Path:
        if proration not in runs:
            rules = PRORATION_RULES.format(proration=proration)
            runs[proration] = tiny_run(
                tmp_path_factory.mktemp(proration), rules, **PRORATION_TABLES
            )
        return runs[proration]

    return run
