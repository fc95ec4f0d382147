"""Every hand-worked scenario of tests/scenarios: the engine's outputs equal the expected files
exactly, and so do the reference implementation's (attainment and payouts where a scenario
has them)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import read_csv
from tests.scenario_helpers import (
    SCENARIOS,
    as_csv_rows,
    expected,
    reference_for,
    run_scenario,
    sorted_rows,
)

TABLES = ("credits", "unattributed", "attainment", "payouts")


@pytest.fixture(scope="module", params=SCENARIOS, ids=lambda path: path.name)
def scenario_run(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> tuple[Path, Path]:
    scenario: Path = request.param
    return scenario, run_scenario(scenario, tmp_path_factory.mktemp(scenario.name) / "out")


@pytest.mark.parametrize("table", TABLES)
def test_engine_matches_hand_worked_numbers(scenario_run: tuple[Path, Path], table: str) -> None:
    scenario, out = scenario_run
    wanted = expected(scenario, table)
    if wanted is None:
        pytest.skip(f"{scenario.name} is not about {table}")
    assert read_csv(out / f"{table}.csv") == wanted


@pytest.mark.parametrize("table", TABLES)
def test_reference_matches_hand_worked_numbers(scenario_run: tuple[Path, Path], table: str) -> None:
    scenario, out = scenario_run
    wanted = expected(scenario, table)
    if wanted is None:
        pytest.skip(f"{scenario.name} is not about {table}")
    result = reference_for(out, (scenario / "rules.toml").read_text())
    assert sorted_rows(as_csv_rows(getattr(result, table))) == sorted_rows(wanted)
