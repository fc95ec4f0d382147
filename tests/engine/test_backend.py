"""The DuckDB engine: its memory limit (sized to the input unless the user chose one) and
what it writes."""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import ibis
import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from partnercredit.engine import EngineOptions, backend, open_backend
from partnercredit.engine.backend import (
    SMALLEST_MEMORY_LIMIT,
    default_memory_limit,
    fitted_memory_limit,
    memory_bytes,
)
from partnercredit.errors import UnreadableData, UsageError
from tests.conftest import damage_parquet_pages

DEFAULT_MB = int(default_memory_limit().removesuffix("MB"))


@pytest.mark.parametrize(
    ("lines", "expected_mb"),
    [
        (0, 2048),
        (1_000, 2048),
        (SMALLEST_MEMORY_LIMIT // 400, 2048),
        (11_746_483, 4480),  # the 1M-subscription benchmark: 4.70e9 bytes
        (10**9, DEFAULT_MB),
    ],
)
def test_the_fitted_limit_grows_with_the_lines_between_its_bounds(
    lines: int, expected_mb: int
) -> None:
    assert fitted_memory_limit(lines) == f"{min(expected_mb, DEFAULT_MB)}MB"


def _limit_as_reported(limit: str) -> str:
    with duckdb.connect(config={"memory_limit": limit}) as connection:
        row = connection.execute("SELECT current_setting('memory_limit')").fetchone()
    assert row is not None
    return str(row[0])


def _engine_limit(options: EngineOptions, lines: int, spill: Path) -> str:
    options = EngineOptions(memory_limit=options.memory_limit, spill_dir=spill)
    with open_backend(options) as backend:
        backend.fit_memory_to(lines)
        row = backend.con.con.execute("SELECT current_setting('memory_limit')").fetchone()
    return str(row[0])


def test_without_a_limit_the_engine_takes_the_fitted_one(tmp_path: Path) -> None:
    assert _engine_limit(EngineOptions(), 1_000, tmp_path) == _limit_as_reported("2048MB")


def test_a_limit_the_user_chose_is_kept(tmp_path: Path) -> None:
    assert _engine_limit(EngineOptions(memory_limit="3GB"), 1_000, tmp_path) == (
        _limit_as_reported("3GB")
    )


def test_rows_are_decoded_after_the_sort_in_order_and_with_declared_types(
    tmp_path: Path,
) -> None:
    names = ibis.literal(["b", "a", "c"], type="array<string>")
    rows = ibis.memtable(
        {"code": [0, 1, 2, 0, 1], "rank": [5, 2, 4, 1, 3], "days": [1, 2, 3, 4, 5]}
    )
    # A sum of BIGINT, which DuckDB widens to HUGEINT: still BIGINT in the file.
    summed = rows.group_by(["code", "rank"]).aggregate(days=rows.days.sum())
    path = tmp_path / "decoded.parquet"
    with open_backend(EngineOptions(spill_dir=tmp_path)) as backend:
        backend.write_parquet(
            summed,
            path,
            order_by=("rank",),
            columns=("name", "days"),
            after_sort=lambda sorted_rows: sorted_rows.select(
                name=names[sorted_rows.code], days=sorted_rows.days
            ),
        )
    written = pq.read_table(path)
    assert written.to_pydict() == {"name": ["b", "a", "a", "c", "b"], "days": [4, 2, 5, 3, 1]}
    assert written.schema.field("days").type == pa.int64()


def test_every_column_is_optional_although_no_row_holds_a_null(tmp_path: Path) -> None:
    """DuckDB would write a column that it knows to hold no null as required; the file's
    schema would then depend on the data. Scratch files need not hide it."""
    with open_backend(EngineOptions(spill_dir=tmp_path)) as backend:
        table = backend.materialize("full", ibis.memtable({"code": [2, 1], "name": ["b", "a"]}))
        backend.write_parquet(table, tmp_path / "plain.parquet")
        backend.write_parquet(table, tmp_path / "sorted.parquet", order_by=("code",))
        backend.write_parquet(
            table,
            tmp_path / "decoded.parquet",
            order_by=("code",),
            columns=("name",),
            after_sort=lambda rows: rows.select("name"),
        )
        backend.write_scratch(table, tmp_path / "scratch.parquet")
    for name in ("plain", "sorted", "decoded"):
        schema = pq.read_schema(tmp_path / f"{name}.parquet")
        assert all(field.nullable for field in schema), name
    assert pq.read_table(tmp_path / "sorted.parquet").to_pydict() == {
        "code": [1, 2],
        "name": ["a", "b"],
    }
    assert not any(field.nullable for field in pq.read_schema(tmp_path / "scratch.parquet"))


@pytest.mark.parametrize("rows", [0, 1, 40_000])
def test_a_partitioned_stash_holds_every_row_with_its_types(tmp_path: Path, rows: int) -> None:
    numbers = ibis.memtable({"value": list(range(rows))}, schema={"value": "int64"})
    table = numbers.mutate(
        part=(numbers.value % 3).cast("int16"), text=numbers.value.cast("string")
    )
    with open_backend(EngineOptions(spill_dir=tmp_path)) as backend:
        stashed = backend.stash("parts", table, partition_by="part")
        assert stashed.schema() == table.schema()
        read = backend.to_arrow(stashed.order_by("value")).to_pydict()
        in_part = backend.count(stashed.filter(stashed.part == 1))
    assert read == _rows_with_parts(rows)
    assert in_part == len(range(1, rows, 3))


def _rows_with_parts(rows: int) -> dict[str, list[object]]:
    return {
        "value": list(range(rows)),
        "part": [value % 3 for value in range(rows)],
        "text": [str(value) for value in range(rows)],
    }


def test_rows_sorted_range_by_range_make_one_sorted_file(tmp_path: Path) -> None:
    """Ranges 0, 1 and 3 hold rows (2 none), each in many rows of both threads' batches;
    the file holds them in the order of one sort, decoded after it."""
    count = 300_000
    keys = [(value * 7_919) % count for value in range(count)]
    rows = ibis.memtable({"key": keys}, schema={"key": "int64"})
    ranged = rows.mutate(
        part=ibis.cases((rows.key >= 200_000, 3), (rows.key >= 100_000, 1), else_=0).cast("int16")
    )
    path = tmp_path / "sorted.parquet"
    with open_backend(EngineOptions(spill_dir=tmp_path)) as backend:
        stashed = backend.stash("ranged", ranged, partition_by="part")
        backend.write_parquet(
            stashed,
            path,
            order_by=("part", "key"),
            columns=("text",),
            after_sort=lambda sorted_rows: sorted_rows.select(text=sorted_rows.key.cast("string")),
            ranges=4,
        )
        left = list(backend.scratch.glob("pc_range_*"))
    assert pq.read_table(path).column("text").to_pylist() == [str(key) for key in range(count)]
    assert left == []


@pytest.mark.parametrize(
    ("size", "expected"),
    [
        ("8GB", 8 * 10**9),
        ("512MiB", 512 * 2**20),
        ("1.5 gib", 3 * 2**29),
        ("4000000000B", 4 * 10**9),
        ("2tb", 2 * 10**12),
        (" 64kB ", 64_000),
    ],
)
def test_memory_sizes(size: str, expected: int) -> None:
    assert memory_bytes(size) == expected


@pytest.mark.parametrize("size", ["lots", "", "0", "0GB", "3000000000", "8 G", "-1GB", "1e9B"])
def test_what_is_not_a_memory_size_is_refused_before_any_engine(size: str) -> None:
    """One line (exit 2) rather than whatever each engine makes of it: DuckDB's parser
    error, or a JVM that does not start (a traceback)."""
    with pytest.raises(UsageError, match="is not a size of memory; write it like 8GB"):
        EngineOptions(memory_limit=size)


@pytest.mark.parametrize(
    ("settings", "error", "problem"),
    [
        ({"memory_limit": 1_000_000_000}, TypeError, "memory_limit must be text such as '8GB'"),
        ({"engine": "DuckDB"}, UsageError, "unknown engine 'DuckDB'; use duckdb or spark"),
        ({"threads": 0}, UsageError, "threads must be at least 1, not 0"),
        ({"threads": -1}, UsageError, "threads must be at least 1, not -1"),
        ({"threads": "2"}, TypeError, "threads must be a whole number, not '2'"),
        ({"lines_per_batch": 0}, UsageError, "lines_per_batch must be at least 1, not 0"),
        ({"lines_per_batch": True}, TypeError, "lines_per_batch must be a whole number, not True"),
    ],
    ids=lambda value: str(value) if isinstance(value, dict) else "",
)
def test_settings_no_engine_would_take_are_refused_when_given(
    settings: dict[str, object], error: type[Exception], problem: str
) -> None:
    """Not later, by the engine (naming settings the caller did not give) or as a division
    by zero in the credit stage. A value of the wrong kind is a TypeError, as Python's own."""
    with pytest.raises(error, match=re.escape(problem)):
        EngineOptions(**settings)  # type: ignore[arg-type]


def test_only_data_the_engine_cannot_decode_is_an_unreadable_file(tmp_path: Path) -> None:
    """A damaged Parquet file is the user's (one line, exit 2); an engine error about
    anything else is not passed off as one."""
    path = tmp_path / "t.parquet"
    pq.write_table(pa.table({"a": ["x"] * 1000}), path)
    damage_parquet_pages(path)
    with open_backend(EngineOptions()) as backend:
        with (
            pytest.raises(UnreadableData, match=r"^a file could not be read: "),
            backend.resource_errors(),
        ):
            backend.con.con.execute(f"SELECT * FROM read_parquet('{path}')").fetchall()
        with pytest.raises(duckdb.InvalidInputException), backend.resource_errors():
            backend.con.con.execute("SELECT strptime('x', '%Y')").fetchall()


@pytest.mark.parametrize(
    ("groups", "limit_file", "limit", "expected_mb"),
    [
        ("0::/box\n", "box/memory.max", "4294967296\n", 1638),
        ("4:memory:/box\n0::/\n", "memory/box/memory.limit_in_bytes", "2147483648\n", 819),
        ("0::/box\n", "box/memory.max", "max\n", None),
        ("garbled\n", "box/memory.max", "1024\n", None),
    ],
    ids=["cgroup_v2", "cgroup_v1", "no_limit", "unreadable"],
)
def test_the_default_limit_is_a_share_of_a_containers_memory(
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    groups: str,
    limit_file: str,
    limit: str,
    expected_mb: int | None,
) -> None:
    """A container's memory limit, not the machine's, is what a run may take 40% of."""
    (tmp_path / "cgroup").write_text(groups)
    (tmp_path / "root" / limit_file).parent.mkdir(parents=True)
    (tmp_path / "root" / limit_file).write_text(limit)
    monkeypatch.setattr(backend, "PROCESS_CGROUPS", tmp_path / "cgroup")
    monkeypatch.setattr(backend, "CGROUP_ROOT", tmp_path / "root")
    assert default_memory_limit() == f"{expected_mb or DEFAULT_MB}MB"
