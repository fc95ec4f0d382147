"""One place for what differs between execution backends; every stage is plain Ibis."""

from __future__ import annotations

import os
import re
import tempfile
from abc import ABC, abstractmethod
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any, Literal, get_args

import duckdb
import ibis
import ibis.expr.types as ir
import pyarrow as pa
from ibis.backends.sql.datatypes import DuckDBType

from partnercredit.arguments import require_count, require_text
from partnercredit.engine.file_scans import files_in, literal, parquet_scan, sql_text
from partnercredit.errors import ResourceError, StructuralError, UnreadableData, UsageError
from partnercredit.paths import PathArg, as_path
from partnercredit.readers.open_table import NOT_UTF8, ROW_COLUMN, TableStream
from partnercredit.work_folders import (
    make_work_folder,
    remove_abandoned,
    remove_work_folder,
    why_not_made,
)

EngineName = Literal["duckdb", "spark"]
AfterSort = Callable[[ir.Table], ir.Table]
"""A select of sorted rows (see `Backend.write_parquet`)."""
_INVALID_PARQUET_TEXT = re.compile(r'Invalid string encoding found in Parquet file "(.*?)":')
_INTEGER_OVERFLOW = re.compile(r"Out of Range Error: Overflow in multiplication of INT64 ")
_NOT_IDENTIFIER = re.compile(r"[^A-Za-z0-9_]")
_TOO_LARGE = re.compile(r"to DECIMAL\(18,\d+\)(?: when casting from source column (\w+))?")
SCRATCH_PREFIX = "partnercredit-"


@dataclass(frozen=True, init=False)
class EngineOptions:
    """How the engine may use this machine.

    engine is "duckdb" (embedded, the default) or "spark". memory_limit is a size such as
    "8GB" or "512MiB" (units of 1000 or 1024, in any case), which DuckDB takes as is and Spark
    as its driver's heap; None means a limit that DuckDB sizes to the input (400 bytes per
    revenue line, at least 2 GB and at most 40% of the machine's memory) and Spark's own
    default. spill_dir is where intermediate data goes when it does not fit; None means the
    system's temporary folder. Each run works in a folder of its own there, removed at the end
    (or, after a run that was killed, by the next run in the same place). threads is how many
    threads the engine may use (None: one per core). lines_per_batch bounds how many revenue
    lines the credit stage works on at once: bigger inputs are credited in batches of
    customers, one after the other. A value no engine would take raises a `UsageError` here.
    """

    engine: EngineName
    memory_limit: str | None
    spill_dir: Path | None
    threads: int | None
    lines_per_batch: int

    def __init__(
        self,
        engine: EngineName = "duckdb",
        memory_limit: str | None = None,
        spill_dir: PathArg | None = None,
        threads: int | None = None,
        lines_per_batch: int = 16_000_000,
    ) -> None:
        if engine not in get_args(EngineName):
            raise UsageError(f"unknown engine {engine!r}; use duckdb or spark")
        if memory_limit is not None:
            require_text("memory_limit", memory_limit, "text such as '8GB'")
            memory_bytes(memory_limit)  # refuses what no engine would take
        if threads is not None:
            require_count("threads", threads, 1)
        require_count("lines_per_batch", lines_per_batch, 1)
        # Not dataclasses' own __init__, so that spill_dir may be given as text while the
        # field holds a Path; frozen, the fields are set the way that __init__ sets them.
        object.__setattr__(self, "engine", engine)
        object.__setattr__(self, "memory_limit", memory_limit)
        object.__setattr__(self, "spill_dir", as_path(spill_dir))
        object.__setattr__(self, "threads", threads)
        object.__setattr__(self, "lines_per_batch", lines_per_batch)

    def spill_parent(self) -> Path:
        """The folder that work folders are made in."""
        return self.spill_dir or Path(tempfile.gettempdir())


_SIZE = re.compile(r"\s*([0-9]+(?:\.[0-9]+)?)\s*([kmgt]i?b|b)\s*", re.IGNORECASE)
_UNIT_BYTES = {
    "b": 1,
    **{f"{prefix}b": 1000 ** (power + 1) for power, prefix in enumerate("kmgt")},
    **{f"{prefix}ib": 1024 ** (power + 1) for power, prefix in enumerate("kmgt")},
}


def memory_bytes(size: str) -> int:
    """The bytes of a size as --memory-limit takes it (`8GB`, `512MiB`, `4000000000B`: units
    of 1000 or of 1024, in any case; DuckDB reads each of these the same way)."""
    match = _SIZE.fullmatch(size)
    count = int(float(match[1]) * _UNIT_BYTES[match[2].lower()]) if match else 0
    if count <= 0:
        raise UsageError(
            f"memory limit {size!r} is not a size of memory; write it like 8GB or 512MiB"
        )
    return count


def too_large_for_outputs(column: str | None = None) -> StructuralError:
    """A sum (of `column`, where the engine names it) beyond what the outputs hold."""
    of_column = f" of {column}" if column else ""
    return StructuralError(
        f"a sum{of_column} is too large for the outputs, which hold at most 16 digits before "
        "the point (DECIMAL(18, 2)): the inputs' amounts or quantities (or a payout's sum "
        "times its rate) add up beyond that"
    )


class Backend(ABC):
    """An open Ibis connection with a private scratch folder."""

    name: EngineName
    sorts_in_ranges: bool = True
    """Whether `write_parquet` sorts `ranges` one at a time (which spares the engine memory);
    callers need not number ranges for an engine that does not."""

    def __init__(self, options: EngineOptions) -> None:
        self.options = options
        base = options.spill_parent()
        try:
            base.mkdir(parents=True, exist_ok=True)
            remove_abandoned(base, SCRATCH_PREFIX)
            self.scratch = make_work_folder(base, SCRATCH_PREFIX)
        except OSError as error:
            raise UsageError(
                f"{base}: cannot make the engine's scratch folder there "
                f"({why_not_made(base, error)})"
            ) from None
        self.con: Any = None
        self._names = 0

    @abstractmethod
    def fit_memory_to(self, lines: int) -> None:
        """Size the engine's memory to an input of this many revenue lines, unless the user
        chose a limit."""

    def fresh_name(self, stem: str) -> str:
        """A new name for a table or file of this engine: `stem` (which may hold a program's
        name, in any characters) as an identifier every engine takes unquoted."""
        self._names += 1
        return f"pc_{_NOT_IDENTIFIER.sub('_', stem)}_{self._names}"

    @contextmanager
    def scratch_files(self, count: int, suffix: str) -> Iterator[list[Path]]:
        """Paths for `count` new files of the scratch folder, removed again at the end (each
        may also be removed sooner, or never written)."""
        paths = [self.scratch / f"{self.fresh_name('part')}{suffix}" for _ in range(count)]
        try:
            yield paths
        finally:
            for path in paths:
                path.unlink(missing_ok=True)

    def ingest(self, stream: TableStream) -> ir.Table:
        """Load a table being read into an engine table."""
        return self.ingest_batches(stream.spec.name, stream.reader())

    @abstractmethod
    def ingest_batches(self, stem: str, reader: pa.RecordBatchReader) -> ir.Table:
        """Load a stream of Arrow batches into an engine table."""

    def materialize(self, stem: str, expr: ir.Table) -> ir.Table:
        """Compute an expression once and keep the result as a table."""
        return self.con.create_table(self.fresh_name(stem), expr)

    def stash(self, stem: str, expr: ir.Table, partition_by: str | None = None) -> ir.Table:
        """Compute an expression once into a Parquet file of the scratch folder and read it
        from there: for large results that are read only a few times, which the engine need
        not hold (or spill uncompressed). `partition_by`: a column of few values by which
        the engine may file the rows apart, so that a filter on it reads only the rows it
        keeps."""
        path = self.scratch / f"{self.fresh_name(stem)}.parquet"
        self.write_scratch(expr, path)
        return self.read_parquet(path)

    def write_scratch(self, expr: ir.Table, path: Path) -> None:
        """Write a table that only this run reads again as Parquet."""
        self.write_parquet(expr, path)

    @staticmethod
    def local_name(table: ir.Table) -> str:
        """A table's name without its catalog and database."""
        return str(table.get_name()).rsplit(".", 1)[-1]

    def drop(self, table: ir.Table) -> None:
        """Forget a table made by `ingest` or `materialize` (a no-op for in-memory tables)."""
        name = self.local_name(table)
        if name.startswith("pc_"):
            self.con.drop_table(name, force=True)

    def count(self, table: ir.Table) -> int:
        return int(self.to_arrow(table.count().as_table()).column(0)[0].as_py())

    def count_rows(self, path: Path) -> int:
        """Rows of a Parquet file (or a folder of part files) that this engine wrote."""
        return self.count(self.read_parquet(path))

    def read_parquet(self, path: Path) -> ir.Table:
        return self.con.read_parquet(str(path), table_name=self.fresh_name(path.stem))

    @abstractmethod
    def to_arrow(self, expr: ir.Expr) -> pa.Table:
        """A (small) result as one Arrow table, with the types of the expression."""

    @abstractmethod
    def to_batches(self, expr: ir.Table) -> pa.RecordBatchReader:
        """A result as a stream of Arrow batches."""

    @abstractmethod
    def write_parquet(
        self,
        expr: ir.Table,
        path: Path,
        order_by: Sequence[str] = (),
        columns: Sequence[str] | None = None,
        after_sort: AfterSort | None = None,
        ranges: int = 1,
    ) -> None:
        """Write a table as Parquet with its declared types, sorted by `order_by` (ascending,
        nulls first); only `columns` (by default all), so that rows can be sorted by columns
        that are not written. `after_sort` makes the written columns from the sorted rows (a
        select, which keeps their order): rows of integer codes sort far faster than rows of
        the texts they stand for. Every column is optional (may hold nulls) in the file's
        schema, whatever its rows hold, so that the schema does not depend on the data.
        `ranges` > 1: the first key of `order_by` numbers ranges of the rows 0, 1, ...,
        `ranges` - 1, so that the engine may sort them one range at a time."""

    @abstractmethod
    def write_csv(self, expr: ir.Table, path: Path) -> None:
        """One CSV file with a header row, quoting only where needed, null as an empty
        field."""

    @contextmanager
    def resource_errors(self) -> Iterator[None]:
        """Turn the engine's out-of-memory and out-of-disk errors into a ResourceError."""
        yield

    def close(self) -> None:
        self.con.disconnect()
        remove_work_folder(self.scratch)

    def __enter__(self) -> Backend:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()


class DuckDBBackend(Backend):
    name: EngineName = "duckdb"

    def __init__(self, options: EngineOptions) -> None:
        super().__init__(options)
        config: dict[str, Any] = {
            "temp_directory": str(self.scratch / "spill"),
            # Insertion order is never relied upon; dropping it lets DuckDB stream and spill.
            "preserve_insertion_order": False,
        }
        self.memory_limit = options.memory_limit or default_memory_limit()
        config["memory_limit"] = self.memory_limit
        self._views: set[str] = set()
        if options.threads:
            config["threads"] = options.threads
        try:
            self.con = ibis.duckdb.connect(**config)
        except BaseException as error:
            remove_work_folder(self.scratch)
            if isinstance(error, duckdb.Error):
                reason = str(error).splitlines()[0]
                raise UsageError(
                    f"the engine refused its settings (memory limit "
                    f"{config['memory_limit']}): {reason}"
                ) from error
            raise

    def fit_memory_to(self, lines: int) -> None:
        if self.options.memory_limit is not None:
            return
        limit = fitted_memory_limit(lines)
        try:
            self.con.con.execute(f"SET memory_limit = '{limit}'")
        except duckdb.Error:
            return  # it holds more than that already: keep the limit it has
        self.memory_limit = limit

    def drop(self, table: ir.Table) -> None:
        name = self.local_name(table)
        if name in self._views:
            self._views.remove(name)
            self.con.drop_view(name, force=True)
        else:
            super().drop(table)

    @contextmanager
    def resource_errors(self) -> Iterator[None]:
        try:
            yield
        except duckdb.InvalidInputException as error:
            # Parquet inputs are read where they are used (see `ingest`).
            found = _INVALID_PARQUET_TEXT.search(str(error))
            if found is not None:
                raise StructuralError(f"{found.group(1)}: {NOT_UTF8}") from None
            if "parquet" not in str(error).lower():
                raise
            raise _unreadable(error) from error
        except duckdb.OutOfMemoryException as error:
            raise ResourceError.out_of_memory(self.memory_limit) from error
        except duckdb.ConversionException as error:
            # Only a sum can overflow: every input value is checked against its column's limit.
            found = _TOO_LARGE.search(str(error))
            if found is None:
                raise
            # The column is named where the cast is of one, not of an expression.
            raise too_large_for_outputs(found.group(1)) from error
        except duckdb.OutOfRangeException as error:
            # A payout's sum times its rate beyond 64-bit cents (far beyond the outputs).
            if not _INTEGER_OVERFLOW.match(str(error)):
                raise
            raise too_large_for_outputs() from error
        except duckdb.IOException as error:
            reason = str(error).splitlines()[0]
            raise ResourceError(
                f"the engine could not read or write a file: {reason} (if a disk is full: the "
                f"spill folder is {self.scratch / 'spill'}; choose another with --spill-dir)"
            ) from error
        except duckdb.Error as error:
            # DuckDB's plain Error and SerializationException come from data it cannot
            # decode, such as a damaged page of a Parquet file.
            if type(error) is not duckdb.Error and not isinstance(
                error, duckdb.SerializationException
            ):
                raise
            raise _unreadable(error) from error

    def ingest(self, stream: TableStream) -> ir.Table:
        if stream.text_parquet_columns is None:
            return super().ingest(stream)
        # DuckDB reads Parquet text columns faster, and in parallel, by itself; a view rather
        # than a copy, because validation reads each row once (and the keys once more), which
        # costs less than storing the table.
        name = self.fresh_name(stream.spec.name)
        self._views.add(name)
        present = set(stream.text_parquet_columns)
        columns = ", ".join(
            # An empty text is null, as an empty CSV field is.
            f'NULLIF("{column}", \'\') AS "{column}"'
            if column in present
            else f'NULL::VARCHAR AS "{column}"'
            for column in stream.spec.column_names
        )
        self.con.con.execute(
            f'CREATE VIEW "{name}" AS SELECT {columns}, file_row_number + 1 AS "{ROW_COLUMN}" '
            f"FROM {parquet_scan(stream.source.path, 'file_row_number = true')}"
        )
        return self.con.table(name)

    def read_parquet(self, path: Path) -> ir.Table:
        return self._view_of_parquet(self.fresh_name(path.stem), literal(path))

    def _view_of_parquet(self, name: str, files: str | list[str]) -> ir.Table:
        """A view (Ibis reads Parquet as one) of the files' own columns (see `file_scans`)."""
        self._views.add(name)
        return self.con.read_parquet(files, table_name=name, hive_partitioning=False)

    def ingest_batches(self, stem: str, reader: pa.RecordBatchReader) -> ir.Table:
        name = self.fresh_name(stem)
        raw = self.con.con
        raw.register(f"{name}_stream", reader)
        try:
            raw.execute(f'CREATE TABLE "{name}" AS SELECT * FROM "{name}_stream"')
        finally:
            raw.unregister(f"{name}_stream")
        return self.con.table(name)

    def to_arrow(self, expr: ir.Expr) -> pa.Table:
        return self.con.to_pyarrow(expr)

    def write_csv(self, expr: ir.Table, path: Path) -> None:
        self.con.to_csv(expr, str(path))

    def write_parquet(
        self,
        expr: ir.Table,
        path: Path,
        order_by: Sequence[str] = (),
        columns: Sequence[str] | None = None,
        after_sort: AfterSort | None = None,
        ranges: int = 1,
    ) -> None:
        """COPY with every column cast to its declared type: DuckDB widens sums of BIGINT to
        HUGEINT, which would otherwise reach the file as DOUBLE."""
        self.con._run_pre_execute_hooks(expr)  # registers in-memory tables with DuckDB
        if ranges > 1 and order_by:
            self._write_in_ranges(expr, path, order_by, columns, after_sort, ranges)
            return
        order = ", ".join(f'"{name}" ASC NULLS FIRST' for name in order_by)
        sorted_view = None
        if after_sort is not None and not order:
            expr = after_sort(expr)
        elif after_sort is not None:
            # A view of the sorted rows, so that the select runs after the sort: a select in
            # the sorting query would run before it. DuckDB keeps the order of a sort through
            # the selects above it.
            sorted_view = self.fresh_name("sorted")
            self.con.con.execute(
                f'CREATE TEMPORARY VIEW "{sorted_view}" AS SELECT * FROM '
                f"({self._declared_sql(expr)}) ORDER BY {order}"
            )
            expr, order = after_sort(self.con.table(sorted_view)), ""
        query = self._declared_sql(expr, columns, optional=True)
        if order:
            query += f" ORDER BY {order}"
        try:
            self._copy(query, path)
        finally:
            if sorted_view is not None:
                self.con.con.execute(f'DROP VIEW "{sorted_view}"')

    def _write_in_ranges(
        self,
        expr: ir.Table,
        path: Path,
        order_by: Sequence[str],
        columns: Sequence[str] | None,
        after_sort: AfterSort | None,
        ranges: int,
    ) -> None:
        """Each range sorted into a scratch file of its own, then the files copied into one
        in their order. One sort of every row at once spills most of them at 120M lines and
        has run out of memory there while it wrote its rows (BENCHMARKS.md); a range's sort
        fits in memory."""
        order = ", ".join(f'"{name}" ASC NULLS FIRST' for name in order_by)
        with self.scratch_files(ranges, ".parquet") as parts:
            for number, part in enumerate(parts):
                in_range = expr.filter(expr[order_by[0]] == number)
                self._copy(f"{self._declared_sql(in_range)} ORDER BY {order}", part)
            in_order = self._view_of_parquet(
                self.fresh_name("ranges"), [literal(part) for part in parts]
            )
            written = in_order if after_sort is None else after_sort(in_order)
            # Files read in the order listed, and their rows in the order written.
            self.con.con.execute("SET preserve_insertion_order = true")
            try:
                self._copy(self._declared_sql(written, columns, optional=True), path)
            finally:
                self.con.con.execute("SET preserve_insertion_order = false")
                self.drop(in_order)

    def stash(self, stem: str, expr: ir.Table, partition_by: str | None = None) -> ir.Table:
        if partition_by is None:
            return super().stash(stem, expr)
        name = self.fresh_name(stem)
        folder = self.scratch / name
        self.con._run_pre_execute_hooks(expr)
        self.con.con.execute(
            f"COPY ({self._declared_sql(expr)}) TO {sql_text(folder)} (FORMAT PARQUET, "
            f'PARTITION_BY ("{partition_by}"), WRITE_PARTITION_COLUMNS true)'
        )
        if not any(folder.glob("*/*.parquet")):
            return super().stash(stem, expr)  # no rows: one file, which keeps the schema
        # The files keep the partition's column: a filter on it skips the others' row groups.
        return self._view_of_parquet(name, files_in(folder, "*/*.parquet"))

    def write_scratch(self, expr: ir.Table, path: Path) -> None:
        self.con._run_pre_execute_hooks(expr)
        self._copy(self._declared_sql(expr), path)

    def _copy(self, query: str, path: Path) -> None:
        self.con.con.execute(f"COPY ({query}) TO {sql_text(path)} (FORMAT PARQUET)")

    @staticmethod
    def _declared_sql(
        expr: ir.Table, columns: Sequence[str] | None = None, *, optional: bool = False
    ) -> str:
        """The query of `columns` (by default all) cast to their declared types. DuckDB
        writes a column as required (never null) wherever it knows the rows hold no null:
        `optional` hides that from it."""
        schema = expr.schema()
        typed = {
            name: f'CAST("{name}" AS {DuckDBType.from_ibis(schema[name]).sql("duckdb")})'
            for name in (schema.names if columns is None else columns)
        }
        written = ", ".join(
            f'CASE WHEN "{name}" IS NULL THEN NULL ELSE {value} END AS "{name}"'
            if optional
            else f'{value} AS "{name}"'
            for name, value in typed.items()
        )
        return f"SELECT {written} FROM ({ibis.to_sql(expr, dialect='duckdb')})"

    def to_batches(self, expr: ir.Table) -> pa.RecordBatchReader:
        # Ibis 12 streams through a cursor method that DuckDB 2 no longer has.
        self.con._run_pre_execute_hooks(expr)  # registers in-memory tables with DuckDB
        sql = ibis.to_sql(expr, dialect="duckdb")
        return self.con.con.sql(sql).to_arrow_reader(256 * 1024)


def open_backend(options: EngineOptions | None = None) -> Backend:
    options = options or EngineOptions()
    if options.engine == "duckdb":
        return DuckDBBackend(options)
    from partnercredit.engine.spark import SparkBackend

    return SparkBackend(options)


def default_memory_limit() -> str:
    """40% of this machine's memory. DuckDB's own default (80%) lets the process grow to
    most of the machine before it spills; at 40% a run's peak stays near half the memory,
    leaving room for the operating system's file cache, Python and other work. Less is not
    the most a run may take because at 120M lines, 20% (4.8 GB of 24 GiB) ran out of memory
    in the sort of the unattributed rows (BENCHMARKS.md)."""
    return f"{_machine_share() >> 20}MB"


MEMORY_PER_LINE = 400
"""Bytes of engine memory per revenue line when the limit is sized to the input."""
SMALLEST_MEMORY_LIMIT = 2 << 30


def fitted_memory_limit(lines: int) -> str:
    """MEMORY_PER_LINE bytes per revenue line, at least 2 GiB and at most the default.

    DuckDB fills whatever limit it has with cached and buffered data, so a limit of 40% of
    the machine makes a run of 12M lines peak at 8-10 GB where 4 GB does the same work a few
    percent slower (BENCHMARKS.md); inputs of 24M lines and more still get the full 40%."""
    fitted = min(_machine_share(), max(SMALLEST_MEMORY_LIMIT, lines * MEMORY_PER_LINE))
    return f"{fitted >> 20}MB"


def _machine_share() -> int:
    total = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES")
    return int(min([total, *_container_limits()]) * 0.4)


PROCESS_CGROUPS = Path("/proc/self/cgroup")
CGROUP_ROOT = Path("/sys/fs/cgroup")


def _container_limits() -> list[int]:
    """The memory limits of the control groups this process runs in (a container's limit,
    cgroup v2 or v1), which the machine's physical memory does not show."""
    try:
        groups = PROCESS_CGROUPS.read_text().splitlines()
    except OSError:
        return []
    limits = []
    for line in groups:
        if line.count(":") < 2:
            continue
        _, controllers, path = line.split(":", 2)
        if controllers == "":
            files = [CGROUP_ROOT / path.lstrip("/") / "memory.max"]
        elif "memory" in controllers.split(","):
            files = [CGROUP_ROOT / "memory" / path.lstrip("/") / "memory.limit_in_bytes"]
        else:
            continue
        for file in files:
            try:
                value = file.read_text().strip()
            except OSError:
                continue
            if value.isdigit():
                limits.append(int(value))
    return limits


def _unreadable(error: duckdb.Error) -> UnreadableData:
    reason = " ".join(str(error).split()) or type(error).__name__
    return UnreadableData(f"a file could not be read: {reason}")
