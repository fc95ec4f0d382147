"""Open one table file as a stream of all-text Arrow batches with data row numbers."""

from __future__ import annotations

import codecs
import csv
import io
import sys
import threading
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
import pyarrow.csv as pa_csv
import pyarrow.parquet as pq

from partnercredit.contract import TableSpec
from partnercredit.errors import StructuralError
from partnercredit.readers.discover import SourceFile

ROW_COLUMN = "_row"
NOT_UTF8 = "not valid UTF-8 text"
"""What a structural error says of a file (after its path) that holds bytes that are not
UTF-8, whoever finds them."""
_CSV_BLOCK_BYTES = 16 << 20
_EMPTY_CSV = "Empty CSV file"
_PARQUET_BATCH_ROWS = 256 * 1024
_ROW_NUMBERS = "file_row_number"
"""The column DuckDB adds when it reads a Parquet file with its row numbers."""


@dataclass(frozen=True)
class MalformedRow:
    row_number: int
    text: str


@dataclass
class TableStream:
    """A table being read: its batches, and what reading found besides them."""

    spec: TableSpec
    source: SourceFile
    schema: pa.Schema
    batches: Iterator[pa.RecordBatch]
    malformed: list[MalformedRow] = field(default_factory=list)
    failure: StructuralError | None = None
    text_parquet_columns: list[str] | None = None
    """For a Parquet file whose contract columns are all plain text: those columns, so that an
    engine may read the file itself instead of the batches."""

    def reader(self) -> pa.RecordBatchReader:
        return pa.RecordBatchReader.from_batches(self.schema, self.batches)


def text_schema(spec: TableSpec) -> pa.Schema:
    return pa.schema(
        [pa.field(name, pa.string()) for name in spec.column_names]
        + [pa.field(ROW_COLUMN, pa.int64())]
    )


def open_table(source: SourceFile, spec: TableSpec) -> TableStream:
    """Check the file's header against the contract and return its batch stream.

    Structural problems found in the header raise at once; problems found while streaming
    (invalid UTF-8 further down) are kept in `failure` for the caller to raise.
    """
    stream = TableStream(spec, source, text_schema(spec), iter(()))
    opener = _open_csv if source.format == "csv" else _open_parquet
    stream.batches = opener(stream)
    return stream


def _check_header(source: SourceFile, spec: TableSpec, names: list[str]) -> list[str]:
    """The contract columns the file has; raises if a required one is missing or doubled."""
    for name in spec.column_names:
        if names.count(name) > 1:
            raise StructuralError(f"{source.path}: column {name} appears more than once")
    missing = [name for name in spec.required_columns if name not in names]
    if missing:
        raise StructuralError(
            f"{source.path}: missing required column{'s' if len(missing) > 1 else ''} "
            + ", ".join(missing)
            + _header_hint(source, names, missing)
        )
    return [name for name in spec.column_names if name in names]


def _header_hint(source: SourceFile, names: list[str], missing: list[str]) -> str:
    """What may explain the `missing` columns: another separator, or their names in other
    letter case."""
    separators = [mark for mark in ";\t|" if len(names) == 1 and mark in names[0]]
    if source.format == "csv" and separators:
        shown = "a tab" if separators[0] == "\t" else f"'{separators[0]}'"
        return f" (its header is one column: fields must be separated by commas, not {shown})"
    lower = {name.lower() for name in missing}
    other_case = [name for name in names if name.lower() in lower]
    if other_case:
        return f" (column names are case-sensitive: found {', '.join(other_case)})"
    return ""


def _complete_batch(
    spec: TableSpec, columns: dict[str, pa.Array], row_numbers: np.ndarray, num_rows: int
) -> pa.RecordBatch:
    arrays = [columns.get(name, pa.nulls(num_rows, pa.string())) for name in spec.column_names]
    arrays.append(pa.array(row_numbers, pa.int64()))
    return pa.RecordBatch.from_arrays(arrays, schema=text_schema(spec))


def _open_csv(stream: TableStream) -> Iterator[pa.RecordBatch]:
    source, spec = stream.source, stream.spec

    def on_invalid_row(row: pa_csv.InvalidRow) -> str:
        if row.number is None or _ends_inside_quotes(row.text):
            stream.failure = StructuralError(
                f"{source.path}: not valid CSV: the file ends inside a quoted field that is "
                "never closed"
            )
            return "error"
        # pyarrow numbers rows from the header (1) and skips blank lines, as SPEC 5 does.
        stream.malformed.append(MalformedRow(row.number - 1, row.text))
        return "skip"

    try:
        with _UNDECODABLE_ROWS.watching(on_invalid_row, stream):
            # One thread keeps row numbers known to the invalid-row handler, and batches in
            # order.
            reader = pa_csv.open_csv(
                source.path,
                read_options=pa_csv.ReadOptions(use_threads=False, block_size=_CSV_BLOCK_BYTES),
                parse_options=pa_csv.ParseOptions(
                    newlines_in_values=True, invalid_row_handler=on_invalid_row
                ),
                convert_options=_csv_convert_options(source, spec),
            )
    except (pa.ArrowInvalid, OSError) as error:
        if _EMPTY_CSV in str(error):
            return iter(())  # a header row without a line break after it: no rows
        raise _csv_failure(stream, error) from None
    return _number_csv_rows(stream, _decoded(stream, reader, on_invalid_row))


class _UndecodableRows:
    """A malformed row that is not UTF-8 either: pyarrow fails to decode it for the
    invalid-row handler, and Python would print that error with its traceback (an error in a
    callback cannot be raised). The file is not UTF-8: that is the error to report, and the
    reading fails on its own right after.

    pyarrow calls a handler on a thread of its own, so the handlers being watched are known
    by identity; the process-wide hook is installed while any file is read and passes
    everything else on to the hook it replaced."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._streams: dict[int, tuple[object, TableStream]] = {}
        self._previous = sys.unraisablehook

    @contextmanager
    def watching(self, handler: object, stream: TableStream) -> Iterator[None]:
        with self._lock:
            if not self._streams:
                self._previous = sys.unraisablehook
                sys.unraisablehook = self._hook
            self._streams[id(handler)] = (handler, stream)
        try:
            yield
        finally:
            with self._lock:
                del self._streams[id(handler)]
                if not self._streams and sys.unraisablehook == self._hook:
                    sys.unraisablehook = self._previous

    def _hook(self, unraisable: sys.UnraisableHookArgs) -> None:
        with self._lock:
            handler, stream = self._streams.get(id(unraisable.object), (None, None))
        if (
            stream is not None
            and handler is unraisable.object
            and isinstance(unraisable.exc_value, UnicodeDecodeError)
        ):
            stream.failure = stream.failure or _not_utf8(stream.source.path)
        else:
            self._previous(unraisable)


_UNDECODABLE_ROWS = _UndecodableRows()


def _decoded(
    stream: TableStream, reader: pa_csv.CSVStreamingReader, handler: object
) -> Iterator[pa.RecordBatch]:
    """The reader's batches, each read watching `handler` for rows it cannot be given."""
    while True:
        with _UNDECODABLE_ROWS.watching(handler, stream):
            batch = next(reader, None)
        if batch is None:
            return
        yield batch


def _ends_inside_quotes(text: str) -> bool:
    """Whether a line that pyarrow could not split ends inside a quoted field (only a field
    left open at the end of the file does); a quote inside an unquoted field is a character
    like any other."""
    try:
        for _ in csv.reader(io.StringIO(text, newline=""), strict=True):
            pass
    except csv.Error as error:
        return "unexpected end of data" in str(error)
    return False


def _csv_convert_options(source: SourceFile, spec: TableSpec) -> pa_csv.ConvertOptions:
    names = _header_names(source)
    _check_header(source, spec, names)
    # Every column is read, those the contract ignores too: the whole file must be UTF-8, and
    # only a column read as text is checked.
    return pa_csv.ConvertOptions(
        column_types=dict.fromkeys(names, pa.string()),
        strings_can_be_null=True,
        quoted_strings_can_be_null=True,
        null_values=[""],
    )


def _header_names(source: SourceFile) -> list[str]:
    """The header row's names, read with Python's csv module (handles quoting and the BOM)."""
    try:
        with source.path.open(encoding="utf-8-sig", newline="") as handle:
            for names in csv.reader(handle):
                if names:
                    return names
    except UnicodeDecodeError:
        # Python decodes ahead of the header row: the bytes may lie in a later row.
        raise _not_utf8(source.path) from None
    except OSError as error:
        raise StructuralError(f"{source.path}: cannot be read ({error.strerror})") from None
    raise StructuralError(f"{source.path}: the file is empty (no header row)")


def _number_csv_rows(
    stream: TableStream, batches: Iterator[pa.RecordBatch]
) -> Iterator[pa.RecordBatch]:
    """Give every accepted line its data row number, counting the malformed lines around it.

    The k-th well-formed row (1-based) is data row k + #{j : m_j - j < k}, where m_1 < m_2 < ...
    are the malformed rows' numbers. Malformed rows after a batch cannot change its numbers,
    so the handler having seen every malformed row up to the end of the batch is enough.
    """
    seen = 0
    try:
        for batch in batches:
            ordinals = np.arange(seen + 1, seen + 1 + batch.num_rows, dtype=np.int64)
            thresholds = np.array(
                [row.row_number - j for j, row in enumerate(stream.malformed, start=1)],
                dtype=np.int64,
            )
            rows = ordinals + np.searchsorted(thresholds, ordinals, side="left")
            seen += batch.num_rows
            present = set(batch.schema.names)
            columns = {
                name: batch.column(name) for name in stream.spec.column_names if name in present
            }
            yield _complete_batch(stream.spec, columns, rows, batch.num_rows)
    except (pa.ArrowInvalid, OSError) as error:
        stream.failure = _csv_failure(stream, error)
        raise stream.failure from None


def _csv_failure(stream: TableStream, error: Exception) -> StructuralError:
    if stream.failure is not None:
        return stream.failure
    if _is_utf8_error(error):
        return _not_utf8(stream.source.path)
    return StructuralError(f"{stream.source.path}: {_describe_csv_error(error)}")


def _not_utf8(path: Path) -> StructuralError:
    """The error for a text file that is not UTF-8, naming where its first bad byte is (a scan
    of the file, made only once it has failed)."""
    try:
        with path.open("rb") as handle:
            for number, line in enumerate(handle, start=1):
                try:
                    line.decode("utf-8")
                except UnicodeDecodeError as error:
                    # A byte order mark is not part of the header's text.
                    bom = number == 1 and line.startswith(codecs.BOM_UTF8)
                    byte = error.start + 1 - (len(codecs.BOM_UTF8) if bom else 0)
                    where = f"line {number}, byte {byte} of the line"
                    # Most often a spreadsheet's CSV in its older, local encoding.
                    return StructuralError(f"{path}: {NOT_UTF8} ({where}); save it as UTF-8")
    except OSError:
        pass
    return StructuralError(f"{path}: {NOT_UTF8}")


def _is_utf8_error(error: Exception) -> bool:
    text = str(error)
    return "UTF8" in text or "utf8" in text or "UTF-8" in text


def _describe_csv_error(error: Exception) -> str:
    text = str(error)
    if _EMPTY_CSV in text:
        return "the file is empty (no header row)"
    if isinstance(error, OSError) and error.strerror:
        return f"cannot be read ({error.strerror})"
    return f"not a valid CSV file ({text.splitlines()[0] if text else type(error).__name__})"


def _engine_reads_alike(names: list[str]) -> bool:
    """Whether an engine reading the file itself finds the columns by these names: DuckDB
    takes names regardless of case (of `Customer_ID` and `customer_id` it reads the first)
    and adds a column of its own for the row numbers."""
    folded = [name.casefold() for name in names]
    return len(set(folded)) == len(folded) and _ROW_NUMBERS not in folded


def _open_parquet(stream: TableStream) -> Iterator[pa.RecordBatch]:
    source, spec = stream.source, stream.spec
    try:
        parquet = pq.ParquetFile(source.path)
    except (pa.ArrowInvalid, OSError) as error:
        raise _not_parquet(source.path, error) from None
    names = parquet.schema_arrow.names
    present = _check_header(source, spec, names)
    types = [parquet.schema_arrow.field(name).type for name in present]
    if all(pa.types.is_string(field_type) for field_type in types) and _engine_reads_alike(names):
        stream.text_parquet_columns = present
    for name in present:
        field_type = parquet.schema_arrow.field(name).type
        if not (
            pa.types.is_primitive(field_type)
            or pa.types.is_decimal(field_type)
            or pa.types.is_null(field_type)
            or pa.types.is_string(field_type)
            or pa.types.is_large_string(field_type)
            or pa.types.is_binary(field_type)
            or pa.types.is_large_binary(field_type)
            or pa.types.is_dictionary(field_type)
        ):
            raise StructuralError(
                f"{source.path}: column {name} has type {field_type}; expected text or a scalar"
            )
    return _number_parquet_rows(stream, parquet, present)


def _number_parquet_rows(
    stream: TableStream, parquet: pq.ParquetFile, present: list[str]
) -> Iterator[pa.RecordBatch]:
    seen = 0
    try:
        for batch in parquet.iter_batches(batch_size=_PARQUET_BATCH_ROWS, columns=present):
            rows = np.arange(seen + 1, seen + 1 + batch.num_rows, dtype=np.int64)
            seen += batch.num_rows
            columns = {name: _as_text(batch.column(name)) for name in present}
            if not all(_is_utf8(column) for column in columns.values()):
                stream.failure = StructuralError(f"{stream.source.path}: {NOT_UTF8}")
                raise stream.failure
            yield _complete_batch(stream.spec, columns, rows, batch.num_rows)
    except (pa.ArrowInvalid, pa.ArrowNotImplementedError, OSError) as error:
        stream.failure = _not_parquet(stream.source.path, error)
        raise stream.failure from None


def _is_utf8(column: pa.Array) -> bool:
    """Parquet readers hand text columns over without checking their bytes."""
    try:
        column.validate(full=True)
    except pa.ArrowInvalid:
        return False
    return True


def _as_text(column: pa.Array) -> pa.Array:
    """The column as text; an empty text is null, as an empty CSV field is."""
    if pa.types.is_dictionary(column.type):
        column = column.dictionary_decode()
    # Text as bytes (what writers that mark no column as UTF-8 write): taken as text here,
    # its bytes checked with every other text column's.
    if pa.types.is_binary(column.type):
        column = column.view(pa.string())
    elif pa.types.is_large_binary(column.type):
        column = column.view(pa.large_string())
    if pa.types.is_decimal(column.type) or pa.types.is_floating(column.type):
        column = _plain_text(column)
    elif not pa.types.is_string(column.type):
        column = column.cast(pa.string())
    return pc.if_else(pc.equal(column, ""), pa.scalar(None, pa.string()), column)


def _plain_text(column: pa.Array) -> pa.Array:
    """Numbers in plain notation, as a CSV file would hold them: Arrow writes some with an
    exponent (0 of decimal(36, 24) as 0E-24, the double 12345678901.25 as 1.234567890125e+10),
    which the number check refuses. The few such values are written again in plain notation,
    with the same digits."""
    text = column.cast(pa.string())
    exponent = pc.fill_null(pc.match_substring(text, "e", ignore_case=True), False)
    if not pc.any(exponent).as_py():
        return text
    plain = [format(Decimal(value), "f") for value in text.filter(exponent).to_pylist()]
    return pc.replace_with_mask(text, exponent, pa.array(plain, pa.string()))


def damaged_parquet(sources: Iterable[SourceFile]) -> StructuralError | None:
    """The first of the Parquet `sources` that cannot be read whole, as the error to show."""
    for source in sources:
        if source.format != "parquet":
            continue
        try:
            for _batch in pq.ParquetFile(source.path).iter_batches(_PARQUET_BATCH_ROWS):
                pass
        except (pa.ArrowException, OSError) as error:
            return _not_parquet(source.path, error)
    return None


def _not_parquet(path: Path, error: Exception) -> StructuralError:
    reason = " ".join(str(error).split())  # on one line
    return StructuralError(f"{path}: not a valid Parquet file ({reason})")
