"""The output tables of a run (SPEC 9): their columns, types and row order."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class OutKind(StrEnum):
    TEXT = "text"
    INT = "int"
    MONEY = "money"
    """Held as integer cents in the engine; DECIMAL(18,2) in Parquet, two places in CSV."""
    RATE = "rate"
    """A rate as written in the rules (text in the engine)."""
    BOOL = "bool"


@dataclass(frozen=True)
class OutputTable:
    name: str
    columns: tuple[tuple[str, OutKind], ...]
    parquet_order: tuple[str, ...] | None = None
    """Sort order for Parquet when it is not every column (credits: by partner for reading)."""

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(name for name, _ in self.columns)


T, I, M, R, B = OutKind.TEXT, OutKind.INT, OutKind.MONEY, OutKind.RATE, OutKind.BOOL

CREDITS = OutputTable(
    "credits",
    (
        ("program", T),
        ("partner_id", T),
        ("line_id", T),
        ("subscription_id", T),
        ("customer_id", T),
        ("period", T),
        ("product", T),
        ("workload", T),
        ("association_type", T),
        ("days", I),
        ("days_in_period", I),
        ("amount_usd", M),
        ("credit_usd", M),
        ("seat_credit", M),
    ),
    parquet_order=("program", "partner_id", "period", "line_id", "association_type"),
)
UNATTRIBUTED = OutputTable(
    "unattributed",
    (
        ("program", T),
        ("line_id", T),
        ("subscription_id", T),
        ("customer_id", T),
        ("period", T),
        ("reason", T),
        ("days", I),
        ("uncredited_usd", M),
    ),
)
ATTAINMENT = OutputTable(
    "attainment",
    (
        ("program", T),
        ("partner_id", T),
        ("target", T),
        ("area", T),
        ("level", T),
        ("as_of_period", T),
        ("window_start", T),
        ("window_end", T),
        ("revenue_usd", M),
        ("seats", M),
        ("customers", I),
        ("new_customers", I),
        ("attained", B),
    ),
)
PAYOUTS = OutputTable(
    "payouts",
    (
        ("program", T),
        ("partner_id", T),
        ("period", T),
        ("area", T),
        ("eligible_usd", M),
        ("rate", R),
        ("earned_usd", M),
        ("blocked_reason", T),
    ),
)
REJECTED = OutputTable(
    "rejected",
    (
        ("table", T),
        ("row_number", I),
        ("key", T),
        ("column", T),
        ("value", T),
        ("reason", T),
        ("message", T),
        ("message_code", T),
    ),
)

OUTPUT_TABLES: dict[str, OutputTable] = {
    table.name: table for table in (CREDITS, UNATTRIBUTED, ATTAINMENT, PAYOUTS, REJECTED)
}
