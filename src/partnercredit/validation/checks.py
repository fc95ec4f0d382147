"""The per-row checks of SPEC section 5, as engine expressions in the order they apply."""

from __future__ import annotations

from dataclasses import dataclass

import ibis
import ibis.expr.operations as ops
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.contract import TableSpec
from partnercredit.validation.parse_values import value_rule

KEY = "_key"
DUPLICATE = "_dup"
CHECK = "_check"
VALUE = "_value"


@dataclass(frozen=True)
class Check:
    """One reason a row can be rejected: when it applies, and what the rejection says."""

    reason: str
    column: str
    code: str
    applies: ir.BooleanValue
    value: ir.Value | None


def key_value(table: ir.Table, spec: TableSpec) -> ir.StringValue:
    """The row's key as text: its id, or `period|currency`; null when any part is empty."""
    parts = [table[name] for name in spec.key]
    joined = parts[0]
    for part in parts[1:]:
        joined = joined.concat("|", part)
    missing = ibis.or_(*(part.isnull() for part in parts))
    return ibis.ifelse(missing, ibis.null("string"), joined)


def key_column(spec: TableSpec) -> str:
    return "|".join(spec.key)


def row_checks(table: ir.Table, spec: TableSpec, declared_types: frozenset[str]) -> list[Check]:
    """Duplicates, missing and bad values column by column, intervals, scope, unknown type."""
    checks = [
        Check(
            "duplicate_key",
            key_column(spec),
            "duplicate_key",
            table[DUPLICATE] == "duplicate_key",
            table[KEY],
        )
    ]
    for column in spec.columns:
        value = table[column.name]
        if column.required:
            checks.append(
                Check("missing_value", column.name, "missing_value", value.isnull(), None)
            )
        rule = value_rule(column.kind)
        if rule is not None:
            invalid = value.notnull() & ~rule.valid(value)
            checks.extend(
                Check(
                    "bad_value",
                    column.name,
                    code,
                    invalid if test is None else invalid & test(value),
                    value,
                )
                for test, code in rule.reasons
            )
    if spec.interval:
        start, end = (table[name] for name in spec.interval)
        checks.append(
            Check(
                "bad_interval",
                spec.interval[1],
                "bad_interval",
                end.notnull() & (end.try_cast("date") <= start.try_cast("date")),
                end,
            )
        )
    if spec.name == "associations":
        customer, subscription = table.customer_id, table.subscription_id
        checks += [
            Check(
                "missing_value",
                "customer_id",
                "missing_value.scope",
                customer.isnull() & subscription.isnull(),
                None,
            ),
            Check(
                "bad_value",
                "subscription_id",
                "bad_value.scope",
                customer.notnull() & subscription.notnull(),
                subscription,
            ),
            Check(
                "unknown_type",
                "type",
                "unknown_type",
                ~table.type.isin(sorted(declared_types)) if declared_types else ibis.literal(True),
                table.type,
            ),
        ]
    return checks


def first_failing(checks: list[Check]) -> ir.IntegerValue:
    """The index of the first check that applies, or null when the row passes all of them."""
    return ibis.cases(*((check.applies, index) for index, check in enumerate(checks)))


def failing_value(check_index: ir.IntegerValue, checks: list[Check]) -> ir.StringValue:
    """The text of the failing check's column: one branch per column, not per check."""
    indexes_by_value: dict[ops.Value, list[int]] = {}
    for index, check in enumerate(checks):
        if check.value is not None:
            indexes_by_value.setdefault(check.value.op(), []).append(index)
    return ibis.cases(
        *(
            (check_index.isin(indexes), value.to_expr().cast("string"))
            for value, indexes in indexes_by_value.items()
        ),
        else_=ibis.null("string"),
    )


def check_catalog(checks: list[Check]) -> ir.Table:
    """(_check, column, reason, message_code) of every check, to be joined by its index."""
    return ibis.memtable(
        pa.table(
            {
                CHECK: pa.array(range(len(checks)), pa.int64()),
                "column": pa.array([check.column for check in checks], pa.string()),
                "reason": pa.array([check.reason for check in checks], pa.string()),
                "message_code": pa.array([check.code for check in checks], pa.string()),
            }
        )
    )
