"""The benchmarks' two yardsticks on a small generated dataset: the pandas baseline credits what
the engine credits (BENCHMARKS.md says so), and the floor joins every line with every
association row of its subscription and customer."""

from __future__ import annotations

from collections import Counter, defaultdict
from decimal import Decimal
from pathlib import Path

import pyarrow.compute as pc
import pyarrow.parquet as pq
import pytest

from benchmarks import floor, pandas_baseline
from partnercredit import run
from partnercredit.generate import generate_dataset


@pytest.fixture(scope="module")
def data_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    folder = tmp_path_factory.mktemp("bench-data")
    generate_dataset(folder, subscriptions=400, seed=3, file_format="parquet")
    return folder


def test_the_pandas_baseline_credits_the_engines_pairs_within_float_rounding(
    data_dir: Path, tmp_path: Path
) -> None:
    run(data_dir, tmp_path / "run")
    credits = pq.read_table(tmp_path / "run" / "credits.parquet")
    competency = credits.filter(pc.equal(credits["program"], "competency"))
    engine: defaultdict[tuple[str, str], Decimal] = defaultdict(Decimal)
    rows: Counter[tuple[str, str]] = Counter()
    for row in competency.select(["line_id", "partner_id", "credit_usd"]).to_pylist():
        pair = (row["line_id"], row["partner_id"])
        engine[pair] += row["credit_usd"]
        rows[pair] += 1

    baseline = pandas_baseline.compute(data_dir)
    pandas = {
        (line, partner): Decimal(str(credit))
        for line, partner, credit in baseline.itertuples(index=False)
    }

    assert len(pandas) == len(baseline)
    assert pandas.keys() == engine.keys()
    # The engine rounds each association type's row to cents, the baseline each pair, in floats.
    off = {
        pair for pair in pandas if abs(pandas[pair] - engine[pair]) > Decimal("0.01") * rows[pair]
    }
    assert not off


def test_the_floor_writes_each_line_once_per_association_row_of_its_subscription_and_customer(
    data_dir: Path, tmp_path: Path
) -> None:
    def table(name: str) -> list[dict[str, str]]:
        return pq.read_table(data_dir / f"{name}.parquet").to_pylist()

    customer_of = {row["subscription_id"]: row["customer_id"] for row in table("subscriptions")}
    by_subscription = Counter(row["subscription_id"] for row in table("dpor_events"))
    by_customer = Counter(
        row["customer_id"] for name in ("delegated_admin", "fasttrack") for row in table(name)
    )
    for row in table("associations"):
        if row["subscription_id"] is not None:
            by_subscription[row["subscription_id"]] += 1
        if row["customer_id"] is not None:
            by_customer[row["customer_id"]] += 1
    expected = sum(
        by_subscription[line["subscription_id"]] + by_customer[customer_of[line["subscription_id"]]]
        for line in table("revenue")
    )

    out = tmp_path / "floor.parquet"
    assert floor.main([str(data_dir), str(out)]) == 0
    assert pq.read_metadata(out).num_rows == expected > 0
