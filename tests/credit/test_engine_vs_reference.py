"""The engine and the plain-Python reference agree to the cent on random datasets."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings

from tests.conftest import read_csv
from tests.random_datasets import Dataset, datasets
from tests.scenario_helpers import (
    as_csv_rows,
    assert_files_in_order,
    reference_for,
    sorted_rows,
)

pytestmark = pytest.mark.slow
TABLES = ("credits", "unattributed", "attainment", "payouts")


@settings(
    max_examples=40,
    deadline=None,
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(dataset=datasets())
def test_engine_equals_reference(
    dataset: Dataset, tmp_path_factory: pytest.TempPathFactory
) -> None:
    from partnercredit import core

    folder = tmp_path_factory.mktemp("random")
    data = dataset.write(folder / "data")
    report = core.run(data, folder / "out", rules=data / "rules.toml", output_format="csv")
    assert report.validation.rejected == 0
    reference = reference_for(folder / "out", dataset.rules)
    for table in TABLES:
        engine_rows = sorted_rows(read_csv(folder / "out" / f"{table}.csv"))
        assert engine_rows == sorted_rows(as_csv_rows(getattr(reference, table))), table
    assert_files_in_order(folder / "out")
