"""A plain-Python reading of SPEC 5 for generated CSV data: what must be rejected, and why.

Independent of the generator's own bookkeeping, so that generate.json can be checked against it.
"""

from __future__ import annotations

import csv
import re
from collections import Counter
from collections.abc import Callable
from datetime import date, datetime
from pathlib import Path

import pyarrow.parquet as pq

from partnercredit.contract import TABLES, VALIDATION_ORDER, Kind, TableSpec
from partnercredit.iso import country_codes, currency_codes

DECLARED_TYPES = frozenset({"dpor", "transacting", "delegated_admin", "fasttrack", "pal"})
Row = dict[str, str | None]
Verdicts = Counter[tuple[str, str]]  # (table, reason) -> rows
Content = tuple[str | None, ...]

_NUMBER = re.compile(r"^[+-]?[0-9]+(\.[0-9]+)?$")
_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_PERIOD = re.compile(r"^\d{4}-(0[1-9]|1[0-2])$")
_TIMESTAMP = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}(\.\d+)?(Z|[+-]\d{2}:\d{2})?$")


def _is_date(text: str) -> bool:
    try:
        return bool(_DATE.match(text)) and date.fromisoformat(text) is not None
    except ValueError:
        return False


def _is_timestamp(text: str) -> bool:
    try:
        return bool(_TIMESTAMP.match(text)) and datetime.fromisoformat(text) is not None
    except ValueError:
        return False


VALID: dict[Kind, Callable[[str], bool]] = {
    Kind.TEXT: lambda _: True,
    Kind.DATE: _is_date,
    Kind.PERIOD: lambda v: bool(_PERIOD.match(v)),
    Kind.TIMESTAMP: _is_timestamp,
    Kind.AMOUNT: lambda v: bool(_NUMBER.match(v)),
    Kind.RATE: lambda v: bool(_NUMBER.match(v)) and float(v) > 0,
    Kind.QUANTITY: lambda v: v.isascii() and v.isdigit(),
    Kind.COUNTRY: lambda v: v in country_codes(),
    Kind.CURRENCY: lambda v: v in currency_codes(),
}


def read_table(path: Path) -> tuple[list[str], list[list[str]]]:
    """Header and data lines of a CSV or Parquet table, null as the empty text."""
    if path.suffix == ".parquet":
        table = pq.read_table(path)
        return table.column_names, [
            [value or "" for value in row.values()] for row in table.to_pylist()
        ]
    with path.open(newline="", encoding="utf-8") as file:
        header, *lines = csv.reader(file)
    return header, lines


def _key(spec: TableSpec, row: Row) -> str | None:
    parts = [row[name] for name in spec.key]
    return None if any(part is None for part in parts) else "|".join(map(str, parts))


def _first_problem(spec: TableSpec, row: Row) -> str | None:
    for column in spec.columns:
        value = row[column.name]
        if value is None:
            if column.required:
                return "missing_value"
        elif not VALID[column.kind](value):
            return "bad_value"
    if spec.interval:
        start, end = (row[name] for name in spec.interval)
        if end is not None and date.fromisoformat(str(end)) <= date.fromisoformat(str(start)):
            return "bad_interval"
    if spec.name == "associations":
        scopes = [row["customer_id"], row["subscription_id"]]
        if scopes.count(None) == 2:
            return "missing_value"
        if scopes.count(None) == 0:
            return "bad_value"
        if row["type"] not in DECLARED_TYPES:
            return "unknown_type"
    return None


def _partners_on_cycles(rows: list[Row]) -> set[str]:
    parent = {str(row["partner_id"]): row["parent_partner_id"] for row in rows}
    on_cycle: set[str] = set()
    for start in parent:
        seen: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in seen:
            seen.append(node)
            node = parent[node]
        if node is not None and node in seen:
            on_cycle.update(seen[seen.index(node) :])
    return on_cycle


def _partners_with_known_roots(rows: list[Row]) -> set[str]:
    """Partners whose chain of parents ends at an accepted root."""
    parent = {str(row["partner_id"]): row["parent_partner_id"] for row in rows}
    accepted: set[str] = set()
    for start in parent:
        chain: list[str] = []
        node: str | None = start
        while node is not None and node in parent and node not in chain:
            chain.append(node)
            node = parent[node]
        if node is None:
            accepted.update(chain)
    return accepted


def verdicts(data_dir: Path) -> tuple[Verdicts, Counter[str], Counter[str]]:
    """Rejections per (table, reason), exact copies collapsed and data rows read, per table."""
    rejected: Verdicts = Counter()
    collapsed: Counter[str] = Counter()
    read: Counter[str] = Counter()
    accepted: dict[str, list[Row]] = {}
    for name in VALIDATION_ORDER:
        spec = TABLES[name]
        header, lines = read_table(next(data_dir.glob(f"{name}.*")))
        read[name] = len(lines)
        rows = [
            {column: value or None for column, value in zip(header, line, strict=True)}
            for line in lines
            if len(line) == len(header)
        ]
        rejected[name, "malformed"] = len(lines) - len(rows)
        kept, contents = _collapse(spec, rows)
        collapsed[name] = len(rows) - len(kept)
        survivors = []
        for row in kept:
            key = _key(spec, row)
            problem = "duplicate_key" if key is not None and len(contents[key]) > 1 else None
            problem = problem or _first_problem(spec, row)
            if problem:
                rejected[name, problem] += 1
            else:
                survivors.append(row)
        accepted[name] = _resolve(spec, survivors, accepted, rejected)
    return +rejected, collapsed, read


def _collapse(spec: TableSpec, rows: list[Row]) -> tuple[list[Row], dict[str, set[Content]]]:
    """Rows without exact copies (rows without a key are all kept), and the contents per key."""
    kept: list[Row] = []
    contents: dict[str, set[Content]] = {}
    for row in rows:
        key = _key(spec, row)
        content = tuple(row[column] for column in spec.column_names)
        if key is None or content not in contents.setdefault(key, set()):
            kept.append(row)
        if key is not None:
            contents[key].add(content)
    return kept, contents


def _resolve(
    spec: TableSpec, rows: list[Row], accepted: dict[str, list[Row]], rejected: Verdicts
) -> list[Row]:
    """Cycles, references and fx rates: the rows that pass them."""
    if spec.name == "partners":
        on_cycle = _partners_on_cycles(rows)
        rejected["partners", "cycle"] += len(on_cycle)
        rows = [row for row in rows if row["partner_id"] not in on_cycle]
        rooted = _partners_with_known_roots(rows)
        rejected["partners", "bad_reference"] += len(rows) - len(rooted)
        return [row for row in rows if row["partner_id"] in rooted]
    known: dict[str, set[str | None]] = {
        target: {row[TABLES[target].key[0]] for row in accepted[target]}
        for target in ("partners", "customers", "subscriptions")
        if target in accepted
    }
    rates = {(row["period"], row["currency"]) for row in accepted.get("fx_rates", [])}
    passed = []
    for row in rows:
        if any(
            column.references and row[column.name] is not None
            and row[column.name] not in known[column.references]
            for column in spec.columns
        ):  # fmt: skip
            rejected[spec.name, "bad_reference"] += 1
        elif (
            spec.name == "revenue"
            and row["currency"] != "USD"
            and ((row["period"], row["currency"]) not in rates)
        ):
            rejected[spec.name, "missing_fx"] += 1
        else:
            passed.append(row)
    return passed
