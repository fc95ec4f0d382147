"""The run the statement tests read: the worked example of SPEC 10 (CSV outputs)."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.conftest import TESTS
from tests.scenario_helpers import run_scenario

WORKED_EXAMPLE = TESTS / "scenarios" / "01_worked_example"


@pytest.fixture(scope="package")
def worked_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Read only: a test that damages a run works on a copy."""
    return run_scenario(WORKED_EXAMPLE, tmp_path_factory.mktemp("worked") / "out")
