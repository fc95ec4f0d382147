"""PySpark as the engine, for data that outgrows one machine's DuckDB.

Inputs are staged as Parquet files (Spark reads files, not Python streams); Parquet outputs
are folders of part files, as Spark writes them. CSV outputs are single files, written the
same way as on DuckDB (SPEC 9), so that runs on either engine can be compared with `diff`.

Results come back to Python through Spark's own Arrow transfer, not through pandas (which
Ibis uses, and which would turn nullable integers into floats).
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any, TypeVar

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.schema as sch
import ibis.expr.types as ir
import pyarrow as pa
import pyarrow.parquet as pq
from ibis.formats.pyarrow import PyArrowData

from partnercredit import interrupts
from partnercredit.engine.backend import (
    AfterSort,
    Backend,
    EngineName,
    EngineOptions,
    memory_bytes,
    too_large_for_outputs,
)
from partnercredit.errors import PartnerCreditError, ResourceError, UsageError
from partnercredit.work_folders import remove_work_folder

try:
    from ibis.backends.pyspark import Backend as IbisPySpark
    from ibis.backends.pyspark.datatypes import PySparkSchema
    from pyspark.sql import SparkSession, functions
    from pyspark.sql.pandas.types import from_arrow_schema
    from pyspark.sql.types import TimestampType
except ImportError:
    raise UsageError("the spark engine needs PySpark: pip install 'partnercredit[spark]'") from None

SESSION_SETTINGS: dict[str, str] = {
    "spark.sql.session.timeZone": "UTC",
    # Exact decimals: fail rather than silently drop digits.
    "spark.sql.decimalOperations.allowPrecisionLoss": "false",
    "spark.sql.ansi.enabled": "true",
    # Standard Parquet timestamps rather than the deprecated INT96.
    "spark.sql.parquet.outputTimestampType": "TIMESTAMP_MICROS",
}
"""What every query of a run relies on; set on a session this engine starts or borrows."""

_BATCH_ROWS = 256 * 1024
_LEAST_DRIVER_MEBIBYTES = 512
"""Spark refuses to start below about 450 MiB of heap (300 MiB it reserves, times 1.5); its
own default is 1 GiB."""
_CODE_GENERATOR = "org.apache.spark.sql.catalyst.expressions.codegen.CodeGenerator"
_LOG_CONFIG = Path(__file__).with_name("spark_log4j2.properties").as_uri()
"""(A URI: a path with spaces would be cut into several of the JVM's options.)"""


class SparkBackend(Backend):
    """Spark in this process: a local session of its own, or the session the application
    already runs (a notebook, a cluster job, a test suite), which it borrows and leaves
    running, with the session settings it changed put back."""

    name: EngineName = "spark"
    sorts_in_ranges = False  # its sort cuts the rows into ranges by itself

    def __init__(self, options: EngineOptions) -> None:
        active = SparkSession.getActiveSession()
        if active is None and not (os.environ.get("JAVA_HOME") or shutil.which("java")):
            raise UsageError("the spark engine needs Java 17 or later (java on PATH, or JAVA_HOME)")
        super().__init__(options)
        self._views: list[str] = []
        self._restore: dict[str, str | None] = {}
        self._owns_session = active is None
        self._forget_jobs: Callable[[], None] | None = None
        try:
            if active is None:
                self.session = self._start_session(SparkSession.builder, options)
                _quiet_logs(self.session)
            else:
                self.session = active
                self._restore = {key: active.conf.get(key, None) for key in SESSION_SETTINGS}
            if interrupts.installed():
                self._forget_jobs = interrupts.cancel_on_interrupt(
                    self.session.sparkContext.cancelAllJobs
                )
            for key, value in SESSION_SETTINGS.items():
                self.session.conf.set(key, value)
            self.con = _Connection().connect(self.session)
        except BaseException:
            self._stop_cancelling()
            remove_work_folder(self.scratch)
            raise

    def _start_session(self, builder: Any, options: EngineOptions) -> Any:
        builder = (
            builder.master(f"local[{options.threads or '*'}]")
            .appName("partnercredit")
            .config("spark.ui.enabled", "false")
            .config("spark.ui.showConsoleProgress", "false")
            .config("spark.sql.shuffle.partitions", "8")
            .config("spark.sql.warehouse.dir", str(self.scratch / "warehouse"))
            .config("spark.driver.extraJavaOptions", f"-Dlog4j2.configurationFile={_LOG_CONFIG}")
        )
        if options.spill_dir is not None:
            # Spark makes (and removes) its own folders in it. Not the run's scratch folder:
            # Spark keeps its first spill folder for the life of the JVM, which may outlast
            # this run, and would make it again after the run removed it.
            builder = builder.config("spark.local.dir", str(options.spill_dir))
        if options.memory_limit:
            # The JVM's own notation: whole mebibytes.
            mebibytes = memory_bytes(options.memory_limit) >> 20
            if mebibytes < _LEAST_DRIVER_MEBIBYTES:
                raise UsageError(
                    f"memory limit {options.memory_limit}: the spark engine needs at least "
                    f"{_LEAST_DRIVER_MEBIBYTES}MiB"
                )
            builder = builder.config("spark.driver.memory", f"{mebibytes}m")
        # Started on the main thread, Spark's context would replace the command's interrupt
        # handler with its own, which raises KeyboardInterrupt inside py4j's calls (a
        # traceback, not "interrupted"); the command's handler cancels the jobs.
        start = _off_main_thread if interrupts.installed() else _on_this_thread
        try:
            session = start(builder.getOrCreate)
        except PartnerCreditError:
            raise
        except Exception as error:
            # Java's own reason, if any, is printed above by Java.
            text = str(error).strip()
            reason = text.splitlines()[0] if text else repr(error)
            raise UsageError(f"the spark engine did not start: {reason}") from error
        return session

    def _stop_cancelling(self) -> None:
        if self._forget_jobs is not None:
            self._forget_jobs()
            self._forget_jobs = None

    def fresh_name(self, stem: str) -> str:
        name = super().fresh_name(stem)
        self._views.append(name)
        return name

    def fit_memory_to(self, lines: int) -> None:
        """Nothing to do: the driver's memory is fixed when the session starts."""

    @contextmanager
    def resource_errors(self) -> Iterator[None]:
        try:
            yield
        except Exception as error:
            text = str(error)
            if "OutOfMemoryError" in text:
                limit = self.options.memory_limit or "Spark's default of 1g"
                raise ResourceError.out_of_memory(limit) from error
            if "NUMERIC_VALUE_OUT_OF_RANGE" in text or "ARITHMETIC_OVERFLOW" in text:
                raise too_large_for_outputs() from error
            if "No space left on device" in text:
                raise ResourceError(
                    f"the engine ran out of disk space (its scratch folder is {self.scratch}; "
                    "choose another place with --spill-dir)"
                ) from error
            raise

    def ingest_batches(self, stem: str, reader: pa.RecordBatchReader) -> ir.Table:
        name = self.fresh_name(stem)
        path = self.scratch / "staged" / f"{name}.parquet"
        path.parent.mkdir(parents=True, exist_ok=True)
        with pq.ParquetWriter(path, reader.schema) as writer:
            for batch in reader:
                writer.write_batch(batch)
        return self._view(name, path, from_arrow_schema(reader.schema))

    def materialize(self, stem: str, expr: ir.Table) -> ir.Table:
        name = self.fresh_name(stem)
        path = self.scratch / "materialized" / name
        frame = self._dataframe(expr)
        frame.write.parquet(str(path))
        return self._view(name, path, frame.schema)

    def stash(self, stem: str, expr: ir.Table, partition_by: str | None = None) -> ir.Table:
        # Spark keeps every materialized table in Parquet already.
        return self.materialize(stem, expr)

    def read_parquet(self, path: Path) -> ir.Table:
        """A Parquet file or folder of this run, typed from its footer."""
        parts = _parquet_files(path)
        schema = pq.read_schema(parts[0]) if parts else None
        return self._view(
            self.fresh_name(path.stem),
            path,
            None if schema is None else from_arrow_schema(schema, prefer_timestamp_ntz=True),
        )

    def _view(self, name: str, path: Path, schema: Any) -> ir.Table:
        """A view of Parquet that this run wrote, of a known schema: left to itself, Spark
        runs a job on every read just to learn the schema."""
        reader = self.session.read if schema is None else self.session.read.schema(schema)
        # Read as named: Hadoop would take `*`, `?`, `[`, `{` and `\\` as a glob (a folder
        # `s[1]` read as `s1`), and escaping them fails where the path also holds a `:`. The
        # option is Spark's internal DataSource.GLOB_PATHS_KEY (Spark 4.0, as pinned); the
        # Spark tests read such paths.
        reader.option("__globPaths__", "false").parquet(str(path)).createOrReplaceTempView(name)
        return self.con.table(name)

    def count_rows(self, path: Path) -> int:
        """From the Parquet footers, without a Spark job."""
        return sum(pq.ParquetFile(part).metadata.num_rows for part in _parquet_files(path))

    def drop(self, table: ir.Table) -> None:
        """Forget the view, and the files behind it when they are this engine's own."""
        name = self.local_name(table)
        if not name.startswith("pc_"):
            return
        self.session.catalog.dropTempView(name)
        for folder in ("materialized", "staged"):
            for path in (self.scratch / folder / name, self.scratch / folder / f"{name}.parquet"):
                if path.is_dir():
                    shutil.rmtree(path, ignore_errors=True)
                elif path.exists():
                    path.unlink()

    def _dataframe(self, expr: ir.Expr) -> Any:
        self.con._run_pre_execute_hooks(expr)  # registers in-memory tables with Spark
        return self.session.sql(self.con.compile(expr))

    def to_arrow(self, expr: ir.Expr) -> pa.Table:
        table_expr = expr.as_table()
        table = self._dataframe(table_expr).toArrow()
        return expr.__pyarrow_result__(PyArrowData.convert_table(table, table_expr.schema()))

    def to_batches(self, expr: ir.Table) -> pa.RecordBatchReader:
        table = self.to_arrow(expr)
        return pa.RecordBatchReader.from_batches(
            table.schema, table.to_batches(max_chunksize=_BATCH_ROWS)
        )

    def write_parquet(
        self,
        expr: ir.Table,
        path: Path,
        order_by: Sequence[str] = (),
        columns: Sequence[str] | None = None,
        after_sort: AfterSort | None = None,
        ranges: int = 1,
    ) -> None:
        """A folder of part files (sorted: the parts follow each other in name order), with
        the column types DuckDB writes. Spark's sort cuts the rows into ranges by itself."""
        if order_by:
            expr = expr.order_by([ibis.asc(name, nulls_first=True) for name in order_by])
        if after_sort is not None:
            expr = after_sort(expr)
        if columns is not None:
            expr = expr.select(*columns)
        _as_written_by_duckdb(self._dataframe(expr)).write.parquet(str(path))

    def write_csv(self, expr: ir.Table, path: Path) -> None:
        """One CSV file, as DuckDB writes it: a header row, quoting only where needed, null
        as an empty field. Spark writes the rows as Parquet part files in order, which are
        then streamed into the file, so that no table has to fit in memory."""
        parts = self.scratch / "csv" / self.fresh_name(path.stem)
        self._dataframe(expr).write.parquet(str(parts))
        try:
            schema = expr.schema().to_pyarrow()
            with path.open("w", encoding="utf-8", newline="") as handle:
                handle.write(_csv_row(schema.names))
                for batch in _batches_in_order(parts, schema):
                    columns = [column.to_pylist() for column in batch.columns]
                    handle.writelines(_csv_row(row) for row in zip(*columns, strict=True))
        finally:
            shutil.rmtree(parts, ignore_errors=True)

    def close(self) -> None:
        self._stop_cancelling()
        try:
            if self._owns_session:
                if interrupts.installed():
                    # What Spark logs while the command's session stops (tasks of cancelled
                    # jobs that still report back) is no news: errors reached the run as
                    # exceptions. (The level is the JVM's: a host application keeps its own.)
                    self.session.sparkContext.setLogLevel("OFF")
                self.session.stop()
            else:
                for name in [*self._views, *self.con.memtable_views]:
                    self.session.catalog.dropTempView(name)
                for key, value in self._restore.items():
                    if value is None:
                        self.session.conf.unset(key)
                    else:
                        self.session.conf.set(key, value)
        finally:
            remove_work_folder(self.scratch)


class _Connection(IbisPySpark):  # type: ignore[misc]
    """Ibis's PySpark backend, with two corrections:

    - the timestamps of Spark tables are typed as what they are, microsecond timestamps
      (`timestamp(6)`), as DuckDB's and Arrow's are; Ibis leaves their precision unset, which
      makes them a different type from the same column computed from Arrow data or cast
      explicitly (a union of the two fails);
    - in-memory tables reach Spark as Arrow data; Ibis sends them through pandas, which
      turns a text column without values into floats, and its nulls into the text "NaN".
    """

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.memtable_views: list[str] = []

    def get_schema(
        self, table_name: str, *, catalog: str | None = None, database: str | None = None
    ) -> sch.Schema:
        schema = super().get_schema(table_name, catalog=catalog, database=database)
        return sch.Schema({name: _microseconds(dtype) for name, dtype in schema.items()})

    def _register_in_memory_table(self, op: Any) -> None:
        frame = self._session.createDataFrame(
            op.data.to_pyarrow(op.schema), schema=PySparkSchema.from_ibis(op.schema)
        )
        frame.createOrReplaceTempView(op.name)
        self.memtable_views.append(op.name)


def _microseconds(dtype: dt.DataType) -> dt.DataType:
    if dtype.is_timestamp() and dtype.scale is None:
        return dtype.copy(scale=6)
    return dtype


def _parquet_files(path: Path) -> list[Path]:
    """A Parquet file, or the part files of a folder Spark wrote, in order."""
    return [path] if path.is_file() else sorted(path.glob("part-*.parquet"))


def _as_written_by_duckdb(frame: Any) -> Any:
    """Timestamps as DuckDB writes them: the UTC date and time without a zone (Spark's own
    timestamps are instants, which readers show in their local time zone). Every column
    optional, as DuckDB declares them: Spark declares required what it knows to hold no null
    (a column made from a literal), and a file's schema is not to depend on that."""
    return frame.select(*(_optional(frame, field) for field in frame.schema.fields))


def _optional(frame: Any, field: Any) -> Any:
    column = frame[field.name]
    if isinstance(field.dataType, TimestampType):
        column = column.cast("timestamp_ntz")
    # A condition that always holds but that Spark cannot fold away (the partition id is no
    # constant to it), so the column is one that may hold a null. Every column: the frame's
    # schema may call one optional that the optimised plan, which the writer follows, knows
    # to hold no null (`program` of the credits).
    return functions.when(functions.spark_partition_id() >= 0, column).alias(field.name)


def _batches_in_order(folder: Path, schema: pa.Schema) -> Iterator[pa.RecordBatch]:
    """The rows of a folder of Parquet part files, part after part (Spark numbers the parts
    of a sorted result in order)."""
    for part in _parquet_files(folder):
        for batch in pq.ParquetFile(part).iter_batches(batch_size=_BATCH_ROWS):
            yield batch.cast(schema)


_NEEDS_QUOTES = frozenset(',"\n\r#')
"""What DuckDB's CSV writer quotes a field for: `#` too (it would start a comment)."""


def _csv_row(values: Sequence[object]) -> str:
    return ",".join(_csv_field(value) for value in values) + "\n"


def _csv_field(value: object) -> str:
    if value is None:
        return ""
    text = str(value)
    if _NEEDS_QUOTES.isdisjoint(text):
        return text
    return '"' + text.replace('"', '""') + '"'


_Result = TypeVar("_Result")


def _on_this_thread(call: Callable[[], _Result]) -> _Result:
    return call()


def _quiet_logs(session: Any) -> None:
    """For the command's own session, as `_LOG_CONFIG` has it, in a JVM that an earlier
    session of this process started (which read no such file): warnings about plans are for
    Spark developers (errors still reach the run); a generated method beyond Java's 64 KB is
    compiled no further and interpreted instead, with the same results, so its compiler's
    error (hundreds of lines) is no news either."""
    session.sparkContext.setLogLevel("ERROR")
    jvm = session.sparkContext._jvm
    jvm.org.apache.logging.log4j.core.config.Configurator.setLevel(
        _CODE_GENERATOR, jvm.org.apache.logging.log4j.Level.OFF
    )


def _off_main_thread(call: Callable[[], _Result]) -> _Result:
    """`call()` on a thread of its own. The thread is a daemon: an interrupt that stops the
    command while Spark starts does not wait for Spark to finish starting."""
    results: list[_Result] = []
    failures: list[BaseException] = []

    def target() -> None:
        try:
            results.append(call())
        except BaseException as failure:
            failures.append(failure)

    thread = threading.Thread(target=target, name="partnercredit-spark-start", daemon=True)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]
    return results[0]
