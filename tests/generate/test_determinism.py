"""Same parameters, same bytes; the chunk size never shows."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from partnercredit.generate import sinks
from tests.generate.conftest import Generate


def _digests(data_dir: Path) -> dict[str, str]:
    return {
        path.name: hashlib.sha256(path.read_bytes()).hexdigest()
        for path in sorted(data_dir.iterdir())
    }


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_same_seed_same_bytes(generate: Generate, file_format: str) -> None:
    first = generate(seed=3, messy=0.02, file_format=file_format, subscriptions=400)
    second = generate(seed=3, messy=0.02, file_format=file_format, subscriptions=400)
    assert len(_digests(first)) == 10
    assert _digests(first) == _digests(second)


def test_other_seed_other_data(generate: Generate) -> None:
    first, second = (_digests(generate(seed=seed, subscriptions=400)) for seed in (1, 2))
    assert all(first[name] != second[name] for name in first if name != "generate.json")


@pytest.mark.parametrize("file_format", ["csv", "parquet"])
def test_chunk_size_does_not_show(
    generate: Generate, file_format: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(sinks, "ROW_GROUP_ROWS", 1000)
    small = generate(chunk_subscriptions=37, messy=0.1, file_format=file_format, subscriptions=700)
    large = generate(messy=0.1, file_format=file_format, subscriptions=700)
    assert _digests(small) == _digests(large)


def test_no_spool_is_left_behind(clean_csv: Path) -> None:
    assert sorted(path.name for path in clean_csv.iterdir()) == [
        "associations.csv",
        "customers.csv",
        "delegated_admin.csv",
        "dpor_events.csv",
        "fasttrack.csv",
        "fx_rates.csv",
        "generate.json",
        "partners.csv",
        "revenue.csv",
        "subscriptions.csv",
    ]
