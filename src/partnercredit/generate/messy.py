"""Bad rows for --messy: new rows that nothing refers to, each rejected for one known reason.

Good row number k (0-based, per table) is the template of a bad row when k is among the first
len(injections) rows, or when floor((k + 1) * messy) > floor(k * messy); the bad rows cycle
through the table's injections in order. Bad rows get keys of their own (an exact copy keeps
its template's), so no accepted row depends on them and no rejection cascades.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from typing import TypeAlias

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc

from partnercredit.contract import Kind, TableSpec
from partnercredit.generate import text
from partnercredit.generate.draws import Index
from partnercredit.generate.parameters import FileFormat
from partnercredit.generate.world import UNRATED_CURRENCY

Rekey = Callable[[pa.Table, str], pa.Table]  # gives rows a key that no other row has
# Templates, their row numbers and the injection's rekey -> the bad rows.
Build = Callable[[pa.Table, Index, Rekey], pa.Table]
Values: TypeAlias = pa.Array | pa.ChunkedArray
Value = Callable[[pa.Table, Index], Values | str | None]

_BAD_VALUES: dict[Kind, tuple[str, ...]] = {
    Kind.DATE: ("2016-02-30", "2016/02/15", "15.02.2016", "2016-2-15"),
    Kind.PERIOD: ("2016-13", "201601", "2016-1", "Jan 2016"),
    Kind.TIMESTAMP: ("2016-02-15T25:00:00Z", "2016-02-30T10:00:00Z", "yesterday", "15.02.2016"),
    Kind.AMOUNT: ("12,50", "1.2.3", "n/a", "1e3", "12.50 EUR"),
    Kind.RATE: ("0", "-1.25", "1,10", "abc"),
    Kind.QUANTITY: ("-5", "2.5", "ten", "+3"),
    Kind.COUNTRY: ("XX", "de", "GER", "D"),
    Kind.CURRENCY: ("EURO", "eur", "US$", "EUR "),  # values are not trimmed
}
# Bad values of a key column must stay distinct, so they are derived from the good value.
_BAD_KEY_VALUES: dict[Kind, tuple[Callable[[pa.Array], pa.Array], ...]] = {
    Kind.PERIOD: (
        lambda v: pc.replace_substring(v, "-", ""),
        lambda v: text.join(v, "01", separator="-"),
        lambda v: pc.replace_substring(v, "-", "/"),
    ),
    Kind.CURRENCY: (
        pc.utf8_lower,
        lambda v: text.join(v, "O", separator=""),
        lambda v: text.join(v, " ", separator=""),
    ),
}
# Two valid values per table that make two rows with one key conflict.
_CONFLICTS: dict[str, tuple[str, str | None, str]] = {
    "partners": ("name", "Conflicting Partner A", "Conflicting Partner B"),
    "customers": ("name", "Conflicting Customer A", "Conflicting Customer B"),
    "subscriptions": ("category", "paid", "trial"),
    "revenue": ("quantity", "1", "2"),
    "fx_rates": ("usd_per_unit", "1.5", "2.5"),
    "dpor_events": ("workload", None, "TEAMS"),
    "delegated_admin": ("recorded_at", None, "2016-01-01T00:00:00Z"),
    "fasttrack": ("workload", None, "TEAMS"),
    "associations": ("workload", None, "EXCHANGE"),
}
_UNKNOWN_IDS = {"partners": "P-404", "customers": "C-404", "subscriptions": "S-404"}
_SCOPES = ("customer_id", "subscription_id")  # of associations: exactly one is set
_INTERVAL_OVERLAPS = (0, 1, 30)  # days by which a bad end precedes the start


@dataclass(frozen=True)
class Injection:
    kind: str
    reason: str
    column: str | None
    build: Build
    rows: int = 1  # written per template
    rejected: int = 1
    collapsed: int = 0
    malformed: bool = False  # a raw CSV line, not a row


def _constant(value: str | None, size: int) -> pa.Array:
    return pa.repeat(pa.scalar(value, pa.string()), size)


def _assign(rows: pa.Table, column: str, values: Values | str | None) -> pa.Table:
    if not isinstance(values, pa.Array | pa.ChunkedArray):
        values = _constant(values, len(rows))
    return rows.set_column(rows.schema.get_field_index(column), column, values)


def _variant(numbers: Index, choices: list[pa.Array]) -> pa.Array:
    return pc.choose(pa.array(numbers % len(choices)), *choices)


def _shift_periods(periods: pa.ChunkedArray, months: int) -> pa.Array:
    year = pc.cast(pc.utf8_slice_codeunits(periods, 0, 4), pa.int64()).to_numpy()
    month = pc.cast(pc.utf8_slice_codeunits(periods, 5, 7), pa.int64()).to_numpy()
    shifted = ((year - 1970) * 12 + month - 1 + months).astype("datetime64[M]")
    return pa.array(np.datetime_as_string(shifted, unit="M"), pa.string())


def _days(dates: pa.ChunkedArray) -> Index:
    parsed = pc.cast(pc.strptime(dates, format="%Y-%m-%d", unit="s"), pa.date32())
    days: Index = parsed.to_numpy().astype(np.int64)
    return days


def _rekey(spec: TableSpec, tag: int, months: int) -> Rekey:
    if len(spec.key) == 1:
        key = spec.key[0]
        return lambda rows, part: _assign(
            rows, key, text.join(rows[key], f"x{tag:02d}{part}", separator="-")
        )
    # fx_rates: the same currency in a period after all generated ones
    return lambda rows, _part: _assign(
        rows, "period", _shift_periods(rows["period"], months * (tag + 1))
    )


def _setting(column: str, value: Value) -> Build:
    """A row with a fresh key and one column set: the usual shape of a bad row."""
    return lambda rows, numbers, rekey: _assign(rekey(rows, ""), column, value(rows, numbers))


def _pair(first: Build, second: Build) -> Build:
    """Two rows per template, template by template."""

    def build(rows: pa.Table, numbers: Index, rekey: Rekey) -> pa.Table:
        both = pa.concat_tables([first(rows, numbers, rekey), second(rows, numbers, rekey)])
        return both.take(pa.array(np.arange(2 * len(rows)).reshape(2, -1).T.ravel()))

    return build


def _exact_copy(rows: pa.Table, _numbers: Index, _rekey: Rekey) -> pa.Table:
    return rows


def _malformed(spec: TableSpec, surplus: bool) -> Build:
    def quoted(values: pa.ChunkedArray) -> pa.Array:
        escaped = text.join('"', pc.replace_substring(values, '"', '""'), '"', separator="")
        return pc.fill_null(escaped, "")

    def build(rows: pa.Table, _numbers: Index, rekey: Rekey) -> pa.Table:
        fields = [quoted(column) for column in rekey(rows, "").select(spec.column_names).columns]
        fields = [*fields, _constant('"surplus"', len(rows))] if surplus else fields[:-1]
        return pa.table({"line": text.join(*fields, separator=",")})

    return build


def _conflict(spec: TableSpec) -> Build:
    column, first, second = _CONFLICTS[spec.name]
    return _pair(_setting(column, lambda *_: first), _setting(column, lambda *_: second))


def _cycle(rows: pa.Table, numbers: Index, rekey: Rekey) -> pa.Table:
    """Two new partners, each the other's parent."""

    def member(own: str, other: str) -> Build:
        return lambda rows, _, rekey: _assign(
            rekey(rows, own), "parent_partner_id", rekey(rows, other)["partner_id"]
        )

    return _pair(member("a", "b"), member("b", "a"))(rows, numbers, rekey)


def _bad_interval(start: str, end: str) -> Build:
    def value(rows: pa.Table, numbers: Index) -> pa.Array:
        overlap = np.array(_INTERVAL_OVERLAPS)[numbers % len(_INTERVAL_OVERLAPS)]
        return text.dates(_days(rows[start]) - overlap)

    return _setting(end, value)


def _bad_value(spec: TableSpec, column: str, kind: Kind) -> Build:
    if column in spec.key:
        derived = _BAD_KEY_VALUES[kind]
        return lambda rows, numbers, _rekey: _assign(
            rows, column, _variant(numbers, [derive(rows[column]) for derive in derived])
        )
    values = text.labels(list(_BAD_VALUES[kind]))
    return _setting(column, lambda _rows, numbers: pc.take(values, numbers % len(values)))


def _bad_reference(spec: TableSpec, column: str, target: str) -> Build:
    unknown = _UNKNOWN_IDS[target]
    if spec.name == "associations" and column in _SCOPES:
        other = next(scope for scope in _SCOPES if scope != column)
        return lambda rows, _, rekey: _assign(
            _assign(rekey(rows, ""), other, None), column, unknown
        )
    return _setting(column, lambda *_: unknown)


def _column_injections(spec: TableSpec) -> list[Injection]:
    """missing_value, bad_value and bad_reference, column by column."""
    result = []
    for column in spec.columns:
        name = column.name
        # A composite key with an empty part would make an ambiguous duplicate check.
        if column.required and (name not in spec.key or len(spec.key) == 1):
            result.append(
                Injection("missing", "missing_value", name, _setting(name, lambda *_: None))
            )
        if column.kind != Kind.TEXT:
            result.append(
                Injection("bad_value", "bad_value", name, _bad_value(spec, name, column.kind))
            )
        if column.references is not None:
            build = _bad_reference(spec, name, column.references)
            result.append(Injection("unknown_reference", "bad_reference", name, build))
    return result


def _no_scope(rows: pa.Table, _numbers: Index, rekey: Rekey) -> pa.Table:
    return _assign(_assign(rekey(rows, ""), "customer_id", None), "subscription_id", None)


def _both_scopes(rows: pa.Table, _numbers: Index, rekey: Rekey) -> pa.Table:
    both = _assign(rekey(rows, ""), "customer_id", rows["_customer_id"])
    return _assign(both, "subscription_id", rows["_subscription_id"])


def _interval_injections(spec: TableSpec) -> list[Injection]:
    if spec.interval is None:
        return []
    build = _bad_interval(*spec.interval)
    return [Injection("end_before_start", "bad_interval", spec.interval[1], build)]


def _special_injections(spec: TableSpec) -> list[Injection]:
    if spec.name == "partners":
        return [Injection("cycle", "cycle", "parent_partner_id", _cycle, rows=2, rejected=2)]
    if spec.name == "revenue":
        currency = _setting("currency", lambda *_: UNRATED_CURRENCY)
        return [Injection("unrated_currency", "missing_fx", "currency", currency)]
    if spec.name == "associations":
        return [
            Injection("no_scope", "missing_value", "customer_id", _no_scope),
            Injection("both_scopes", "bad_value", "subscription_id", _both_scopes),
            Injection(
                "undeclared_type", "unknown_type", "type", _setting("type", lambda *_: "advisor")
            ),
        ]
    return []


def injections(spec: TableSpec, file_format: FileFormat) -> tuple[Injection, ...]:
    """Every kind of bad row that fits the table, the first kind of each reason first: a
    table with fewer good rows than kinds (see `Mess`) still gets every reason."""
    malformed = [
        Injection(
            "too_few_fields", "malformed", None, _malformed(spec, surplus=False), malformed=True
        ),
        Injection(
            "too_many_fields", "malformed", None, _malformed(spec, surplus=True), malformed=True
        ),
    ]
    kinds = [
        *(malformed if file_format == "csv" else []),
        # Before the exact copy, which is collapsed rather than rejected.
        Injection("conflicting_copy", "duplicate_key", None, _conflict(spec), rows=2, rejected=2),
        Injection("exact_copy", "duplicate_key", None, _exact_copy, rejected=0, collapsed=1),
        *_column_injections(spec),
        *_interval_injections(spec),
        *_special_injections(spec),
    ]
    first_of_reason: dict[str, Injection] = {}
    for kind in kinds:
        first_of_reason.setdefault(kind.reason, kind)
    firsts = list(first_of_reason.values())
    return (*firsts, *(kind for kind in kinds if all(kind is not first for first in firsts)))


@dataclass(frozen=True)
class Spawned:
    rows: pa.Table | None  # well-formed bad rows, in the order of their templates
    lines: pa.Array | None  # malformed CSV lines, without line ends
    templates: Index  # per injection, how many templates it had


@dataclass(frozen=True)
class Mess:
    """The bad rows of one table: `messy` is the share of good rows that get a bad copy."""

    spec: TableSpec
    injections: tuple[Injection, ...]
    messy: float
    months: int  # generated periods: the fresh fx_rates keys lie beyond them

    def _injection_of(self, number: Index) -> Index:
        """Which injection a good row is the template of, or -1."""
        count = len(self.injections)
        if self.messy == 0 or count == 0:
            return np.full(len(number), -1, np.int64)
        first = number < count
        step = np.floor((number + 1) * self.messy) > np.floor(number * self.messy)
        later = count + np.floor(number * self.messy) - np.floor(count * self.messy)
        ordinal = np.where(first, number, later.astype(np.int64))
        return np.where(first | step, ordinal % count, -1)

    def spawn(self, good: pa.Table, first_row: int) -> Spawned:
        number = first_row + np.arange(len(good), dtype=np.int64)
        chosen = self._injection_of(number)
        built: dict[bool, list[tuple[pa.Table, Index]]] = {False: [], True: []}
        for tag, injection in enumerate(self.injections):
            templates = np.flatnonzero(chosen == tag)
            if templates.size:
                rekey = _rekey(self.spec, tag, self.months)
                rows = injection.build(good.take(pa.array(templates)), number[templates], rekey)
                built[injection.malformed].append((rows, np.repeat(templates, injection.rows)))
        rows, lines = (_in_template_order(built[malformed]) for malformed in (False, True))
        counts = np.bincount(chosen[chosen >= 0], minlength=len(self.injections))
        return Spawned(rows, None if lines is None else lines["line"].combine_chunks(), counts)


def _in_template_order(parts: list[tuple[pa.Table, Index]]) -> pa.Table | None:
    if not parts:
        return None
    order = np.argsort(np.concatenate([where for _, where in parts]), kind="stable")
    return pa.concat_tables([rows for rows, _ in parts]).take(pa.array(order))
