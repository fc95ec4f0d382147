"""Write one output table as Parquet (typed) or CSV (text that `diff` can compare), SPEC 9."""

from __future__ import annotations

import shutil
from collections.abc import Sequence
from pathlib import Path

import ibis
import ibis.expr.types as ir

from partnercredit.engine import Backend
from partnercredit.engine.backend import AfterSort
from partnercredit.engine.money import cents_to_money
from partnercredit.outputs.tables import OutKind, OutputFormat, OutputTable

RATE_TYPE = "decimal(18, 8)"
_COPY_BUFFER = 1 << 20


def write_table(
    backend: Backend,
    expr: ir.Table,
    table: OutputTable,
    folder: Path,
    fmt: OutputFormat,
    parquet_keys: Sequence[str] = (),
    decode: AfterSort | None = None,
    ranges: int = 1,
) -> Path:
    """Write `expr` (money as integer cents, rates as text) and return the file written.

    Rows are sorted by typed value (nulls first) before any value is turned into text.
    `parquet_keys`: columns of `expr` (written or not) that sort the Parquet file in the
    table's `parquet_order` (integers sort far faster than the texts they stand for).
    `decode`: makes the table's columns of `expr`'s (a select); the Parquet file's rows are
    decoded once they are sorted by `parquet_keys`, so that the sort moves the codes.
    `ranges`: the first of `parquet_keys` numbers ranges of the rows (see
    `Backend.write_parquet`), with or without `decode`. A CSV file is then written one range
    at a time too, each range sorted by every column: the caller numbers the ranges so that
    they follow that order as well (a key's rows all in one range).
    """
    path = folder / f"{table.name}.{fmt}"
    if fmt == "parquet" and decode is not None:
        backend.write_parquet(
            expr,
            path,
            order_by=parquet_keys,
            columns=table.column_names,
            after_sort=lambda rows: _typed_columns(decode(rows), table, fmt),
            ranges=ranges,
        )
        return path
    if decode is not None:
        expr = decode(expr)
    typed = _typed_columns(expr, table, fmt, parquet_keys)
    if fmt == "parquet":
        backend.write_parquet(
            typed,
            path,
            order_by=parquet_keys or table.parquet_order or table.column_names,
            columns=table.column_names,
            ranges=ranges,
        )
    elif ranges > 1:
        with backend.scratch_files(ranges, ".csv") as parts:
            for number, part in enumerate(parts):
                _write_csv(backend, typed.filter(typed[parquet_keys[0]] == number), table, part)
            _join_csv_files(parts, path)
    else:
        _write_csv(backend, typed, table, path)
    return path


def _write_csv(backend: Backend, typed: ir.Table, table: OutputTable, path: Path) -> None:
    """The table's rows sorted by every column, by typed value."""
    ordered = typed.order_by([ibis.asc(name, nulls_first=True) for name in table.column_names])
    backend.write_csv(
        # An empty text and a null are both an empty field in the contract's CSV.
        ordered.select(
            **{name: ordered[name].cast("string").nullif("") for name in table.column_names}
        ),
        path,
    )


def _join_csv_files(parts: Sequence[Path], path: Path) -> None:
    """The rows of `parts` in their order under the first part's header row (a header row
    holds the column names only: no line break inside it). Each part is removed once
    copied, so that the disk holds about one copy of the rows, not two."""
    with path.open("wb") as joined:
        for number, part in enumerate(parts):
            with part.open("rb") as rows:
                if number:
                    rows.readline()
                shutil.copyfileobj(rows, joined, _COPY_BUFFER)
            part.unlink()


def _typed_columns(
    expr: ir.Table, table: OutputTable, fmt: OutputFormat, keys: Sequence[str] = ()
) -> ir.Table:
    """The table's columns with their output types, and `keys` as they are."""
    return expr.select(
        *(key for key in keys if key not in table.column_names),
        **{name: _typed(expr[name], kind, fmt) for name, kind in table.columns},
    )


def _typed(value: ir.Value, kind: OutKind, fmt: OutputFormat) -> ir.Value:
    if kind is OutKind.MONEY:
        return cents_to_money(value)
    if kind is OutKind.RATE and fmt == "parquet":
        return value.cast(RATE_TYPE)
    return value
