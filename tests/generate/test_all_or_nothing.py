"""A generation that fails halfway leaves the folder as it was (the dataset is written beside
it and put in its place when complete)."""

from __future__ import annotations

import re
from pathlib import Path

import pyarrow as pa
import pytest

from partnercredit.errors import UsageError
from partnercredit.generate import dataset, generate_dataset


def test_a_failed_generation_leaves_the_earlier_dataset(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out_dir = tmp_path / "data"
    generate_dataset(out_dir, subscriptions=50, seed=1)
    before = {path.name: path.read_bytes() for path in out_dir.iterdir()}
    written = dataset.revenue_table
    chunks = []

    def failing_on_the_third_chunk(*args: object, **kwargs: object) -> pa.Table:
        chunks.append(1)
        if len(chunks) == 3:
            raise KeyboardInterrupt
        return written(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(dataset, "revenue_table", failing_on_the_third_chunk)
    with pytest.raises(KeyboardInterrupt):
        generate_dataset(out_dir, subscriptions=200, seed=2, chunk_subscriptions=20)
    assert len(chunks) == 3
    assert {path.name: path.read_bytes() for path in out_dir.iterdir()} == before
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data"]


def test_a_dataset_folder_holding_other_files_is_not_replaced(tmp_path: Path) -> None:
    out_dir = tmp_path / "data"
    generate_dataset(out_dir, subscriptions=20, seed=1)
    (out_dir / "NOTES.txt").write_text("mine")
    (out_dir / "runs").mkdir()
    with pytest.raises(
        UsageError,
        match=re.escape(
            "besides an earlier generated dataset the folder holds NOTES.txt, runs, which "
            "replacing it would delete"
        ),
    ):
        generate_dataset(out_dir, subscriptions=30, seed=2)
    assert (out_dir / "NOTES.txt").read_text() == "mine"
    assert (out_dir / "runs").is_dir()
