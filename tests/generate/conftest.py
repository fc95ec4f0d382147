"""Small generated datasets shared by the generator's tests."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from partnercredit.generate import generate_dataset

SUBSCRIPTIONS = 1500
MONTHS = 14
Generate = Callable[..., Path]


@pytest.fixture(scope="session")
def generate(tmp_path_factory: pytest.TempPathFactory) -> Generate:
    """Generate into a new folder: generate(**parameters) -> the folder."""

    def run(**parameters: Any) -> Path:
        out_dir = tmp_path_factory.mktemp("data")
        generate_dataset(out_dir, **{"subscriptions": SUBSCRIPTIONS, **parameters})
        return out_dir

    return run


@pytest.fixture(scope="session")
def clean_csv(generate: Generate) -> Path:
    return generate(months=MONTHS, start="2016-03", seed=11)


@pytest.fixture(scope="session")
def messy_csv(generate: Generate) -> Path:
    return generate(messy=0.05, seed=12)


@pytest.fixture(scope="session")
def messy_parquet(generate: Generate) -> Path:
    return generate(messy=0.05, seed=12, file_format="parquet")
