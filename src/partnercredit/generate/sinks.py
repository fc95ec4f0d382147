"""Table files written in chunks, with the bad rows of --messy appended at the end."""

from __future__ import annotations

import shutil
from pathlib import Path

import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from partnercredit.contract import TableSpec
from partnercredit.generate.messy import Mess, Spawned
from partnercredit.generate.parameters import FileFormat

# Row groups have a fixed size, so that the chunk size does not show in a Parquet file.
ROW_GROUP_ROWS = 500_000


class _CsvFile:
    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self._writer = pa_csv.CSVWriter(path, schema)

    def write(self, rows: pa.Table) -> None:
        self._writer.write_table(rows)

    def close(self) -> None:
        self._writer.close()


class _ParquetFile:
    def __init__(self, path: Path, schema: pa.Schema) -> None:
        self._writer = pq.ParquetWriter(path, schema, compression="zstd")
        self._pending = schema.empty_table()

    def write(self, rows: pa.Table) -> None:
        self._pending = pa.concat_tables([self._pending, rows])
        while len(self._pending) >= ROW_GROUP_ROWS:
            self._writer.write_table(self._pending.slice(0, ROW_GROUP_ROWS))
            self._pending = self._pending.slice(ROW_GROUP_ROWS)

    def close(self) -> None:
        if len(self._pending):
            self._writer.write_table(self._pending)
        self._writer.close()


class TableOutput:
    """One table's file: good rows as they come, then the spooled bad rows, then (CSV) the
    malformed lines. Counts the templates of every injection."""

    def __init__(
        self, directory: Path, spool: Path, file_format: FileFormat, spec: TableSpec, mess: Mess
    ) -> None:
        self.spec = spec
        self.mess = mess
        self.path = directory / f"{spec.name}.{file_format}"
        self.good_rows = 0
        self.templates = [0] * len(mess.injections)
        self._schema = pa.schema([(name, pa.string()) for name in spec.column_names])
        opener = _CsvFile if file_format == "csv" else _ParquetFile
        self._file: _CsvFile | _ParquetFile = opener(self.path, self._schema)
        self._bad_path = spool / f"{spec.name}.arrows"
        self._bad: pa.ipc.RecordBatchStreamWriter | None = None
        self._lines_path = spool / f"{spec.name}.lines"

    def add(self, good: pa.Table) -> None:
        self._file.write(good.select(self.spec.column_names))
        spawned = self.mess.spawn(good, self.good_rows)
        self.good_rows += len(good)
        self.templates = [
            a + int(b) for a, b in zip(self.templates, spawned.templates, strict=True)
        ]
        self._spool(spawned)

    def _spool(self, spawned: Spawned) -> None:
        if spawned.rows is not None:
            if self._bad is None:
                self._bad = pa.ipc.new_stream(self._bad_path, self._schema)
            self._bad.write_table(spawned.rows.select(self.spec.column_names))
        if spawned.lines is not None:
            lines = pa.ListArray.from_arrays(
                pa.array([0, len(spawned.lines)], pa.int32()), spawned.lines
            )
            with self._lines_path.open("ab") as spool:
                spool.write(pc.binary_join(lines, "\n")[0].as_buffer())
                spool.write(b"\n")

    def finish(self) -> None:
        if self._bad is not None:
            self._bad.close()
            with pa.ipc.open_stream(self._bad_path) as reader:
                for batch in reader:
                    self._file.write(pa.Table.from_batches([batch]))
        self._file.close()
        if self._lines_path.exists():
            with self._lines_path.open("rb") as lines, self.path.open("ab") as target:
                shutil.copyfileobj(lines, target)
