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
    assert_every_column_optional,
    assert_files_in_order,
    expected,
    reference_for,
    run_scenario,
    sorted_rows,
)

TABLES = ("credits", "unattributed", "attainment", "payouts")
CASES = [
    (scenario, table)
    for scenario in SCENARIOS
    for table in TABLES
    if (scenario / "expected" / f"{table}.csv").exists()
]


@pytest.fixture(scope="module")
def runs(tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Each scenario is run once, on first use."""
    return _Runs(tmp_path_factory)


class _Runs(dict[Path, Path]):
    def __init__(self, factory: pytest.TempPathFactory) -> None:
        super().__init__()
        self.factory = factory

    def __missing__(self, scenario: Path) -> Path:
        out = run_scenario(scenario, self.factory.mktemp(scenario.name) / "out")
        self[scenario] = out
        return out


def _case_id(case: tuple[Path, str]) -> str:
    return f"{case[0].name}-{case[1]}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_engine_matches_hand_worked_numbers(case: tuple[Path, str], runs: dict[Path, Path]) -> None:
    scenario, table = case
    assert read_csv(runs[scenario] / f"{table}.csv") == expected(scenario, table)


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda path: path.name)
def test_output_files_are_in_order(scenario: Path, runs: dict[Path, Path]) -> None:
    assert_files_in_order(runs[scenario])


@pytest.mark.parametrize("scenario", SCENARIOS, ids=lambda path: path.name)
def test_every_parquet_column_is_optional(scenario: Path, runs: dict[Path, Path]) -> None:
    assert_every_column_optional(runs[scenario])


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_reference_matches_hand_worked_numbers(
    case: tuple[Path, str], runs: dict[Path, Path]
) -> None:
    scenario, table = case
    wanted = expected(scenario, table)
    assert wanted is not None
    result = reference_for(runs[scenario], (scenario / "rules.toml").read_text())
    assert sorted_rows(as_csv_rows(getattr(result, table))) == sorted_rows(wanted)
