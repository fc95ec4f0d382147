"""Keys ascend when each is above the key of the row numbered before it."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Iterator
from pathlib import Path

import ibis
import pytest

from partnercredit.engine import Backend, EngineOptions, open_backend
from partnercredit.readers import discover_tables
from partnercredit.validation import validate_inputs
from partnercredit.validation.keys_ascend import keys_ascend


@pytest.fixture(scope="module")
def backend() -> Iterator[Backend]:
    with open_backend(EngineOptions()) as opened:
        yield opened


def _ascend(backend: Backend, numbers: list[int], keys: list[str | None], block_rows: int) -> bool:
    table = ibis.memtable(
        {"_row": numbers, "_key": keys}, schema={"_row": "int64", "_key": "string"}
    )
    return keys_ascend(backend, table, "_key", "_row", block_rows)


@pytest.mark.parametrize(
    ("keys", "block_rows", "ascend"),
    [
        ([], 2, True),
        (["L1"], 2, True),
        (["L1", "L2", "L3", "L4", "L5"], 2, True),
        (["L1", "L2", "L3", "L4", "L5"], 2**20, True),
        # By text "L10" comes before "L2".
        (["L1", "L2", "L10"], 2**20, False),
        # A fall within one block; then between two blocks that each ascend (0-1 | 2-3).
        (["L1", "L3", "L2", "L4"], 4, False),
        (["L1", "L3", "L2", "L4"], 2, False),
        # Equal keys do not ascend: within one block, and as the last of one block and the
        # first of the next.
        (["L1", "L1"], 2, False),
        (["L1", "L1"], 1, False),
        # Rows without a key are left out: the keys around them still ascend, or not.
        (["L1", None, "L2", None], 2, True),
        ([None, None], 2, True),
        (["L2", None, "L1"], 4, False),
        (["L2", None, None, "L1"], 2, False),
    ],
)
def test_keys_ascend_only_when_each_is_above_the_one_before(
    backend: Backend, keys: list[str | None], block_rows: int, ascend: bool
) -> None:
    assert _ascend(backend, list(range(len(keys))), keys, block_rows) is ascend


def test_gaps_in_the_numbers_do_not_matter(backend: Backend) -> None:
    """Malformed rows leave gaps in the numbers of the rows read."""
    assert _ascend(backend, [3, 7, 8, 20], ["A", "B", "C", "D"], 4)


WORKED_EXAMPLE = Path(__file__).parents[1] / "scenarios" / "01_worked_example" / "data"


@pytest.mark.parametrize(
    ("reorder", "ascending", "collapsed"),
    [
        (lambda rows: rows, True, 0),
        (lambda rows: rows[::-1], False, 0),
        # An exact copy right after its row: the keys do not ascend, and it collapses.
        (lambda rows: rows[:1] + rows, False, 1),
    ],
)
def test_validation_knows_which_tables_ascend(
    backend: Backend,
    tmp_path: Path,
    reorder: Callable[[list[str]], list[str]],
    ascending: bool,
    collapsed: int,
) -> None:
    shutil.copytree(WORKED_EXAMPLE, tmp_path / "data")
    revenue = tmp_path / "data" / "revenue.csv"
    header, *rows = revenue.read_text(encoding="utf-8").splitlines()
    revenue.write_text("\n".join([header, *reorder(rows)]) + "\n", encoding="utf-8")
    inputs = validate_inputs(backend, discover_tables(tmp_path / "data"), ())
    assert ("revenue" in inputs.ascending_keys) is ascending
    assert "subscriptions" in inputs.ascending_keys
    counts = inputs.counts["revenue"]
    assert (counts.read, counts.accepted, counts.collapsed) == (
        len(rows) + collapsed,
        len(rows),
        collapsed,
    )
