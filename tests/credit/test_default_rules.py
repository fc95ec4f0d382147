"""SPEC 6: "The worked example of section 10 gives the same numbers under the default rules."
Scenario 01's data, run without --rules, gives the hand-worked numbers of its expected files
(credits, unattributed and payouts; the default rules have other targets than the example's
rules, so scenario 01 has no expected attainment)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from partnercredit import core
from tests.conftest import TESTS, read_csv
from tests.scenario_helpers import expected

WORKED = TESTS / "scenarios" / "01_worked_example"
TABLES = ("credits", "unattributed", "attainment", "payouts")


@pytest.fixture(scope="module")
def default_run(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("default") / "out"
    core.run(WORKED / "data", out, output_format="csv")
    return out


def test_the_run_used_the_default_rules(default_run: Path) -> None:
    rules = json.loads((default_run / "run.json").read_text(encoding="utf-8"))["rules"]
    assert rules["source"] == "default"
    assert rules["text"] != (WORKED / "rules.toml").read_text(encoding="utf-8")


@pytest.mark.parametrize("table", [t for t in TABLES if expected(WORKED, t) is not None])
def test_worked_example_under_the_default_rules(default_run: Path, table: str) -> None:
    assert read_csv(default_run / f"{table}.csv") == expected(WORKED, table)


def test_every_section_10_table_is_compared() -> None:
    assert [t for t in TABLES if expected(WORKED, t) is not None] == [
        "credits",
        "unattributed",
        "payouts",
    ]
