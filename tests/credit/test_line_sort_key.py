"""The lines sort by number when their ids ascend with the numbers, else by id."""

from __future__ import annotations

from collections.abc import Iterator

import ibis
import pytest

from partnercredit.credit.line_sort_key import line_sort_key
from partnercredit.engine import Backend, EngineOptions, open_backend


@pytest.fixture(scope="module")
def backend() -> Iterator[Backend]:
    with open_backend(EngineOptions()) as opened:
        yield opened


@pytest.mark.parametrize(
    ("ids", "block_lines", "key"),
    [
        ([], 2, "line_no"),
        (["L1"], 2, "line_no"),
        (["L1", "L2", "L3", "L4", "L5"], 2, "line_no"),
        (["L1", "L2", "L3", "L4", "L5"], 2**20, "line_no"),
        # By text "L10" comes before "L2".
        (["L1", "L2", "L10"], 2**20, "line_id"),
        # A fall within one block; then between two blocks that each ascend (0-1 | 2-3).
        (["L1", "L3", "L2", "L4"], 4, "line_id"),
        (["L1", "L3", "L2", "L4"], 2, "line_id"),
        # Equal ids never occur in accepted lines, but they do not ascend: within one block,
        # and as the last of one block and the first of the next.
        (["L1", "L1"], 2, "line_id"),
        (["L1", "L1"], 1, "line_id"),
    ],
)
def test_the_key_is_the_number_only_when_the_ids_ascend_with_it(
    backend: Backend, ids: list[str], block_lines: int, key: str
) -> None:
    lines = ibis.memtable(
        {"line_no": list(range(len(ids))), "line_id": ids},
        schema={"line_no": "int64", "line_id": "string"},
    )
    assert line_sort_key(backend, lines, block_lines) == key


def test_gaps_in_the_numbers_do_not_matter(backend: Backend) -> None:
    """Rejected rows leave gaps in the numbers of the accepted lines."""
    lines = ibis.memtable({"line_no": [3, 7, 8, 20], "line_id": ["A", "B", "C", "D"]})
    assert line_sort_key(backend, lines, 4) == "line_no"
