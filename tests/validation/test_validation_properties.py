"""Properties of validation on random inputs: row order and exact copies change nothing, and
every row read is accepted, rejected or collapsed."""

from __future__ import annotations

import csv
import random
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from partnercredit import core
from partnercredit.contract import TABLES

Row = list[str | None]
Dataset = dict[str, list[Row]]


def _pick(*values: str | None) -> st.SearchStrategy[str | None]:
    return st.sampled_from(values)


def _rows(*columns: st.SearchStrategy[str | None], size: int = 6) -> st.SearchStrategy[list[Row]]:
    return st.lists(st.tuples(*columns).map(list), max_size=size)


PARTNER = _pick("P1", "P2", "P3", "P4", None)
CUSTOMER = _pick("C1", "C2", "C3", None)
SUBSCRIPTION = _pick("S1", "S2", "S3", "S4", None)
DATE = _pick("2016-01-01", "2016-02-30", "2016-03-15", "2016-06-01", None)

DATASETS = st.fixed_dictionaries(
    {
        "partners": _rows(PARTNER, _pick("Partner", None), _pick("DE", "US", "de", None), PARTNER),
        "customers": _rows(CUSTOMER, _pick("Customer", None), _pick("DE", "XX", None)),
        "subscriptions": _rows(SUBSCRIPTION, CUSTOMER, _pick("E3", None), _pick("trial", None)),
        "revenue": _rows(
            _pick("L1", "L2", "L3", "L4", "L5", None),
            SUBSCRIPTION,
            _pick("2016-01", "2016-02", "2016-13"),
            _pick("O365-E3", "AZURE-COMPUTE"),
            _pick("EXCHANGE", None),
            _pick("100.00", "-5.5", "1e3", "0.0000001"),
            _pick("USD", "EUR", "eur"),
            _pick("3", "-1", None),
            PARTNER,
            size=10,
        ),
        "fx_rates": _rows(
            _pick("2016-01", "2016-02"), _pick("EUR", "GBP"), _pick("1.1", "0", "1.10")
        ),
        "associations": _rows(
            _pick("A1", "A2", "A3"),
            _pick("pal", "advisor"),
            PARTNER,
            CUSTOMER,
            SUBSCRIPTION,
            _pick("EXCHANGE", None),
            DATE,
            DATE,
            _pick("2016-01-01T10:00:00Z", "soon", None),
        ),
    }
)


def _write(data: Dataset, folder: Path) -> None:
    folder.mkdir(parents=True)
    for name, rows in data.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            writer = csv.writer(handle)
            writer.writerow(TABLES[name].column_names)
            writer.writerows([["" if value is None else value for value in row] for row in rows])


def _validated(data: Dataset, folder: Path) -> tuple[dict[str, object], dict[str, object]]:
    _write(data, folder / "data")
    report = core.validate(folder / "data", out_dir=folder / "out")
    accepted = {
        name: sorted(
            repr({key: value for key, value in row.items() if key != "source_row"})
            for row in pq.read_table(folder / "out" / "inputs" / f"{name}.parquet").to_pylist()
        )
        for name in TABLES
    }
    rejected = sorted(
        tuple(row[column] or "" for column in ("table", "key", "column", "value", "reason"))
        for row in pq.read_table(folder / "out" / "rejected.parquet").to_pylist()
    )
    for name, counts in report.counts.items():
        assert counts.read == len(data.get(name, []))
        assert counts.read == counts.accepted + counts.rejected + counts.collapsed
    return {"accepted": accepted, "rejected": rejected}, {
        name: counts.collapsed for name, counts in report.counts.items()
    }


def _shuffled(data: Dataset, seed: int) -> Dataset:
    generator = random.Random(seed)
    return {name: generator.sample(rows, len(rows)) for name, rows in data.items()}


def _with_copies(data: Dataset, seed: int) -> tuple[Dataset, dict[str, int]]:
    """Every row that has a key appears once more (rows without a key are never collapsed)."""
    generator = random.Random(seed)
    copied: Dataset = {}
    extra: dict[str, int] = {}
    for name, rows in data.items():
        key_columns = [TABLES[name].column_names.index(column) for column in TABLES[name].key]
        keyed = [row for row in rows if all(row[index] is not None for index in key_columns)]
        copied[name] = generator.sample(rows + keyed, len(rows) + len(keyed))
        extra[name] = len(keyed)
    return copied, extra


pytestmark = pytest.mark.slow


@settings(
    max_examples=10,
    deadline=None,
    # Each example runs the engine three times; shrinking would take many minutes.
    phases=(Phase.explicit, Phase.reuse, Phase.generate),
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(data=DATASETS, seed=st.integers(0, 1000))
def test_row_order_and_exact_copies_change_nothing(
    data: Dataset, seed: int, tmp_path_factory: pytest.TempPathFactory
) -> None:
    folder = tmp_path_factory.mktemp("case")
    original, collapsed = _validated(data, folder / "original")
    shuffled, _ = _validated(_shuffled(data, seed), folder / "shuffled")
    assert shuffled == original
    copies, extra = _with_copies(data, seed)
    doubled, doubled_collapsed = _validated(copies, folder / "copies")
    assert doubled == original
    for name, count in extra.items():
        assert doubled_collapsed[name] == collapsed[name] + count
