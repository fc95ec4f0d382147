"""Read every input table, check every row, and keep the accepted rows typed (SPEC 4 and 5)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.contract import BASE_CURRENCY, TABLES, VALIDATION_ORDER, Kind, TableSpec
from partnercredit.engine import Backend
from partnercredit.engine.money import exact_usd
from partnercredit.errors import StructuralError
from partnercredit.readers import MalformedRow, SourceFile, TableStream, open_table
from partnercredit.readers.open_table import ROW_COLUMN, text_schema
from partnercredit.validation.checks import (
    CHECK,
    DUPLICATE,
    KEY,
    VALUE,
    Check,
    check_catalog,
    failing_value,
    first_failing,
    key_value,
    row_checks,
)
from partnercredit.validation.find_duplicates import find_duplicates
from partnercredit.validation.keys_ascend import keys_ascend
from partnercredit.validation.message_column import message_column
from partnercredit.validation.parse_values import (
    AMOUNT_TYPE,
    LONG_AMOUNT,
    WIDE_AMOUNT_TYPE,
    typed_value,
)
from partnercredit.validation.resolve_hierarchy import resolve_hierarchy

REJECTED_COLUMNS = (
    "table",
    "row_number",
    "key",
    "column",
    "value",
    "reason",
    "message",
    "message_code",
)
_UNRESOLVED = "bad_reference.?"
SOURCE_ROW = "source_row"
"""Kept beside every accepted row: its data row number in the input file."""
_REFERENCED = frozenset(
    column.references for spec in TABLES.values() for column in spec.columns if column.references
)


@dataclass(frozen=True)
class TableCounts:
    """An input table's rows: read = accepted + rejected + collapsed (exact duplicates of an
    accepted row)."""

    read: int
    accepted: int
    rejected: int
    collapsed: int


@dataclass
class ValidatedInputs:
    """The outcome of reading and checking a data directory."""

    sources: dict[str, SourceFile]
    accepted: dict[str, ir.Table]
    """The accepted rows, typed, with their `source_row`."""
    rejected: ir.Table
    counts: dict[str, TableCounts]
    partner_roots: ir.Table
    """(partner_id, root_partner_id) for every accepted partner."""
    engine_tables: list[ir.Table]
    """What the engine holds for the tables above, for `release`."""
    ascending_keys: frozenset[str]
    """The tables whose keys strictly ascend with their rows in the file: their
    `source_row` sorts the accepted rows as their keys do."""

    def release(self, backend: Backend) -> None:
        """Free the engine of the rows behind `accepted` once they are kept elsewhere."""
        for table in self.engine_tables:
            backend.drop(table)
        self.engine_tables.clear()


def validate_inputs(
    backend: Backend, sources: dict[str, SourceFile], declared_types: Iterable[str]
) -> ValidatedInputs:
    """`sources`: the data directory's tables (`discover_tables`). Every structural problem
    raises before any row is checked, except text that is not UTF-8 in a Parquet file that
    the engine reads itself: that raises when it is read."""
    streams = {name: open_table(source, TABLES[name]) for name, source in sources.items()}
    raw = {name: _ingest(backend, stream) for name, stream in streams.items()}
    for name, spec in TABLES.items():
        raw.setdefault(name, ibis.memtable(text_schema(spec).empty_table()))
    _require_fx_rates(backend, raw["revenue"], sources)
    read = {name: backend.count(table) for name, table in raw.items()}

    validation = _Validation(backend, raw, frozenset(declared_types))
    for name in VALIDATION_ORDER:
        validation.check_table(TABLES[name])
    malformed = {name: stream.malformed for name, stream in streams.items()}
    rejected = backend.materialize(
        "rejected", _with_messages(ibis.union(_malformed_rows(malformed), *validation.rejections))
    )
    counts = _count(backend, read, validation.checked, rejected)
    engine_tables = [*validation.checked.values(), *validation.raw.values()]
    return ValidatedInputs(
        sources,
        validation.accepted,
        rejected,
        counts,
        validation.roots,
        engine_tables,
        frozenset(validation.ascending_keys),
    )


def _ingest(backend: Backend, stream: TableStream) -> ir.Table:
    try:
        return backend.ingest(stream)
    except Exception:
        if stream.failure is not None:
            raise stream.failure from None
        raise


def _require_fx_rates(backend: Backend, revenue: ir.Table, sources: dict[str, SourceFile]) -> None:
    if "fx_rates" in sources:
        return
    foreign = revenue.filter(revenue.currency.notnull() & (revenue.currency != BASE_CURRENCY))
    example = backend.to_arrow(foreign.select("currency", ROW_COLUMN).limit(1)).to_pylist()
    if example:
        raise StructuralError(
            f"{sources['revenue'].path}: row {example[0][ROW_COLUMN]} is in "
            f"{example[0]['currency']}, but there is no fx_rates table to convert it to USD"
        )


class _Validation:
    """Checks tables in dependency order, keeping the accepted rows later tables refer to."""

    def __init__(
        self, backend: Backend, raw: dict[str, ir.Table], declared_types: frozenset[str]
    ) -> None:
        self.backend = backend
        self.raw = raw
        self.declared_types = declared_types
        self.checked: dict[str, ir.Table] = {}
        self.accepted: dict[str, ir.Table] = {}
        self.rejections: list[ir.Table] = []
        self.roots = _roots_table({})
        self.ascending_keys: set[str] = set()
        self.amount_type = _amount_type(backend, raw["revenue"])

    def check_table(self, spec: TableSpec) -> None:
        raw = self.raw[spec.name]
        keyed = raw.mutate(**{KEY: key_value(raw, spec)})
        if keys_ascend(self.backend, keyed, KEY, ROW_COLUMN):
            # No key occurs twice: the search for duplicates, a group-by of every key, is moot.
            self.ascending_keys.add(spec.name)
            table = keyed.mutate(**{DUPLICATE: ibis.null("string")})
        else:
            table = keyed.left_join(find_duplicates(keyed, spec), ROW_COLUMN).drop(
                f"{ROW_COLUMN}_right"
            )
        if spec.name == "partners":
            table = self._join_hierarchy(table)
        table = self._join_references(table, spec)
        if spec.name == "revenue":
            table = self._join_fx(table)
        checks = self._checks(table, spec)

        collapsed = table[DUPLICATE] == "collapsed"
        table = table.mutate(
            **{CHECK: ibis.ifelse(collapsed, ibis.null("int64"), first_failing(checks))}
        )
        checked = table.select(
            ROW_COLUMN,
            KEY,
            DUPLICATE,
            CHECK,
            **{VALUE: failing_value(table[CHECK], checks)},
            **{
                column.name: _typed(table, spec, column.name, self.amount_type)
                for column in spec.columns
            },
        )
        checked = self.backend.materialize(f"checked_{spec.name}", checked)
        if spec.name not in _REFERENCED:
            # Nothing refers to this table's raw rows any more: free them for what follows.
            self.backend.drop(raw)
            del self.raw[spec.name]
        self.checked[spec.name] = checked
        self.accepted[spec.name] = checked.filter(is_accepted(checked)).select(
            *spec.column_names, **{SOURCE_ROW: checked[ROW_COLUMN]}
        )
        self.rejections.append(self._rejections(checked, spec, checks))

    def _checks(self, table: ir.Table, spec: TableSpec) -> list[Check]:
        """Every check of the table in SPEC 5 order, on the table with its lookups joined."""
        checks = row_checks(table, spec, self.declared_types)
        if spec.name == "partners":
            parent = table.parent_partner_id
            checks.append(
                Check("cycle", "parent_partner_id", "cycle", table._chain == "cycle", parent)
            )
            checks.append(
                Check(
                    "bad_reference",
                    "parent_partner_id",
                    _UNRESOLVED,
                    table._chain == "broken",
                    parent,
                )
            )
        for column in _foreign_references(spec):
            value = table[column]
            unresolved = value.notnull() & table[f"_found_{column}"].isnull()
            checks.append(Check("bad_reference", column, _UNRESOLVED, unresolved, value))
        if spec.name == "revenue":
            missing = (table.currency != BASE_CURRENCY) & table._fx_rate.isnull()
            checks.append(Check("missing_fx", "currency", "missing_fx", missing, table.currency))
            # Last, as it needs the rate: beyond this, the credit's divisions are not exact.
            checks.append(
                Check(
                    "bad_value",
                    "amount",
                    "bad_value.amount_usd",
                    _usd_value(table, self.amount_type) >= LARGEST_USD_AMOUNT,
                    table.amount,
                )
            )
        return checks

    def _join_hierarchy(self, table: ir.Table) -> ir.Table:
        """Cycles and broken parent chains among the partners that passed the row checks."""
        checks = row_checks(table, TABLES["partners"], self.declared_types)
        # Collapsed copies stand for a row that is checked on its own: they are not partners.
        passing = table.filter(first_failing(checks).isnull() & ~collapsed_in(table))
        rows = self.backend.to_arrow(
            passing.select(ROW_COLUMN, "partner_id", "parent_partner_id")
        ).to_pylist()
        hierarchy = resolve_hierarchy({row["partner_id"]: row["parent_partner_id"] for row in rows})
        self.roots = _roots_table(hierarchy.roots)
        verdicts = {
            row[ROW_COLUMN]: "cycle" if row["partner_id"] in hierarchy.cyclic else "broken"
            for row in rows
            if row["partner_id"] in hierarchy.cyclic or row["partner_id"] in hierarchy.broken
        }
        verdict_table = ibis.memtable(
            pa.table(
                {
                    "_chain_row": pa.array(list(verdicts), pa.int64()),
                    "_chain": pa.array(list(verdicts.values()), pa.string()),
                }
            )
        )
        return table.left_join(verdict_table, table[ROW_COLUMN] == verdict_table._chain_row)

    def _join_references(self, table: ir.Table, spec: TableSpec) -> ir.Table:
        for column in _foreign_references(spec):
            target = spec.column(column).references
            assert target is not None
            found = f"_found_{column}"
            accepted = self.accepted[target].select(**{found: TABLES[target].key[0]})
            table = table.left_join(accepted, table[column] == accepted[found])
        return table

    def _join_fx(self, table: ir.Table) -> ir.Table:
        accepted = self.accepted["fx_rates"]
        rates = accepted.select(
            _fx_period="period",
            _fx_currency="currency",
            # Rounded once per rate rather than on every line: all the bound needs.
            _fx_rate=accepted.usd_per_unit.cast("decimal(38, 12)"),
        )
        return table.left_join(
            rates, [table.period == rates._fx_period, table.currency == rates._fx_currency]
        )

    def _rejections(self, checked: ir.Table, spec: TableSpec, checks: list[Check]) -> ir.Table:
        failed = checked.filter(checked[CHECK].notnull())
        catalog = check_catalog(checks)
        joined = failed.join(catalog, failed[CHECK] == catalog[CHECK])
        rows = joined.select(
            table=ibis.literal(spec.name),
            row_number=joined[ROW_COLUMN],
            key=joined[KEY],
            column=joined.column,
            value=joined[VALUE],
            reason=joined.reason,
            message_code=joined.message_code,
        )
        return self._name_reference_problems(rows, spec)

    def _name_reference_problems(self, rows: ir.Table, spec: TableSpec) -> ir.Table:
        """A reference is "unknown" when the key was never read, else "rejected"."""
        for column in spec.columns:
            target = column.references
            if target is None:
                continue
            known = self.raw[target].select(_known=TABLES[target].key[0]).distinct()
            joined = rows.left_join(
                known,
                (rows.message_code == _UNRESOLVED)
                & (rows.column == column.name)
                & (rows.value == known._known),
            )
            rows = joined.mutate(
                message_code=ibis.cases(
                    (
                        (joined.message_code != _UNRESOLVED) | (joined.column != column.name),
                        joined.message_code,
                    ),
                    (joined._known.isnull(), "bad_reference.unknown"),
                    else_="bad_reference.rejected",
                )
            ).drop("_known")
        return rows


LARGEST_USD_AMOUNT = 90_000_000_000_000
"""Revenue lines are worth less than this in USD: below 2**53 cents, with room for rounding
and for the decimals of a rate after its 12th, which the check rounds away."""


def _usd_value(revenue: ir.Table, amount_type: str) -> ir.DecimalValue:
    """|amount| rounded to 6 decimals in USD at its rate rounded to 12 decimals (within half
    a dollar of the exact value); null when the amount or its rate is."""
    rate = ibis.ifelse(
        revenue.currency == BASE_CURRENCY, ibis.literal(1, "decimal(38, 12)"), revenue._fx_rate
    )
    return exact_usd(typed_value(Kind.AMOUNT, revenue.amount, amount_type), rate)


def _foreign_references(spec: TableSpec) -> list[str]:
    """Columns that refer to another table (a partner's parent is checked as a chain)."""
    return [
        column.name
        for column in spec.columns
        if column.references is not None and column.references != spec.name
    ]


def collapsed_in(checked: ir.Table) -> ir.BooleanValue:
    return (checked[DUPLICATE] == "collapsed").fill_null(False)


def is_accepted(checked: ir.Table) -> ir.BooleanValue:
    return checked[CHECK].isnull() & ~collapsed_in(checked)


def _roots_table(roots: dict[str, str]) -> ir.Table:
    return ibis.memtable(
        pa.table(
            {
                "partner_id": pa.array(list(roots), pa.string()),
                "root_partner_id": pa.array(list(roots.values()), pa.string()),
            }
        )
    )


def _amount_type(backend: Backend, revenue: ir.Table) -> str:
    """The type of the revenue's amounts: the narrow one unless an amount may need more than 6
    decimals (a quick scan for one with 7 or more places after its point)."""
    long = revenue.filter(revenue.amount.like(LONG_AMOUNT)).select("amount").limit(1)
    return WIDE_AMOUNT_TYPE if backend.to_arrow(long).num_rows else AMOUNT_TYPE


def _typed(table: ir.Table, spec: TableSpec, name: str, amount_type: str) -> ir.Value:
    column = spec.column(name)
    value = typed_value(column.kind, table[name], amount_type)
    if column.default is not None:
        value = value.fill_null(typed_value(column.kind, ibis.literal(column.default)))
    return value


def _malformed_rows(malformed: dict[str, list[MalformedRow]]) -> ir.Table:
    rows = [(table, row) for table, found in malformed.items() for row in found]
    return ibis.memtable(
        pa.table(
            {
                "table": pa.array([table for table, _ in rows], pa.string()),
                "row_number": pa.array([row.row_number for _, row in rows], pa.int64()),
                "key": pa.nulls(len(rows), pa.string()),
                "column": pa.nulls(len(rows), pa.string()),
                "value": pa.array([row.text for _, row in rows], pa.string()),
                "reason": pa.array(["malformed"] * len(rows), pa.string()),
                "message_code": pa.array(["malformed"] * len(rows), pa.string()),
            }
        )
    )


def _with_messages(rejections: ir.Table) -> ir.Table:
    message = message_column(
        rejections.message_code,
        {"column": rejections.column, "value": rejections.value, "key": rejections.key},
    )
    return rejections.mutate(message=message).select(*REJECTED_COLUMNS)


def _count(
    backend: Backend,
    read: dict[str, int],
    checked: dict[str, ir.Table],
    rejected: ir.Table,
) -> dict[str, TableCounts]:
    """Each number is counted on its own, so that read = accepted + rejected + collapsed is a
    real check that no row was lost or doubled on the way."""
    rejected_by_table = {
        row["table"]: row["rows"]
        for row in backend.to_arrow(
            rejected.group_by("table").aggregate(rows=ibis._.count())
        ).to_pylist()
    }
    malformed_by_table = {
        row["table"]: row["rows"]
        for row in backend.to_arrow(
            rejected.filter(rejected.reason == "malformed")
            .group_by("table")
            .aggregate(rows=ibis._.count())
        ).to_pylist()
    }
    counts = {}
    for name in TABLES:
        table = checked[name]
        summary = backend.to_arrow(
            table.aggregate(
                accepted=is_accepted(table).cast("int64").sum().fill_null(0),
                collapsed=collapsed_in(table).cast("int64").sum().fill_null(0),
            )
        ).to_pylist()[0]
        counts[name] = TableCounts(
            read=read[name] + malformed_by_table.get(name, 0),
            accepted=summary["accepted"],
            rejected=rejected_by_table.get(name, 0),
            collapsed=summary["collapsed"],
        )
    return counts
