"""The output tables of a run (SPEC 9): their columns, types and row order."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Literal

OutputFormat = Literal["parquet", "csv"]


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


TEXT, INT, MONEY, RATE, BOOL = (
    OutKind.TEXT,
    OutKind.INT,
    OutKind.MONEY,
    OutKind.RATE,
    OutKind.BOOL,
)

CREDITS = OutputTable(
    "credits",
    (
        ("program", TEXT),
        ("partner_id", TEXT),
        ("line_id", TEXT),
        ("subscription_id", TEXT),
        ("customer_id", TEXT),
        ("period", TEXT),
        ("product", TEXT),
        ("workload", TEXT),
        ("association_type", TEXT),
        ("days", INT),
        ("days_in_period", INT),
        ("amount_usd", MONEY),
        ("credit_usd", MONEY),
        ("seat_credit", MONEY),
    ),
    parquet_order=("program", "partner_id", "period", "line_id", "association_type"),
)
UNATTRIBUTED = OutputTable(
    "unattributed",
    (
        ("program", TEXT),
        ("line_id", TEXT),
        ("subscription_id", TEXT),
        ("customer_id", TEXT),
        ("period", TEXT),
        ("reason", TEXT),
        ("days", INT),
        ("uncredited_usd", MONEY),
    ),
)
ATTAINMENT = OutputTable(
    "attainment",
    (
        ("program", TEXT),
        ("partner_id", TEXT),
        ("target", TEXT),
        ("area", TEXT),
        ("level", TEXT),
        ("as_of_period", TEXT),
        ("window_start", TEXT),
        ("window_end", TEXT),
        ("revenue_usd", MONEY),
        ("seats", MONEY),
        ("customers", INT),
        ("new_customers", INT),
        ("attained", BOOL),
    ),
)
PAYOUTS = OutputTable(
    "payouts",
    (
        ("program", TEXT),
        ("partner_id", TEXT),
        ("period", TEXT),
        ("area", TEXT),
        ("eligible_usd", MONEY),
        ("rate", RATE),
        ("earned_usd", MONEY),
        ("blocked_reason", TEXT),
    ),
)
REJECTED = OutputTable(
    "rejected",
    (
        ("table", TEXT),
        ("row_number", INT),
        ("key", TEXT),
        ("column", TEXT),
        ("value", TEXT),
        ("reason", TEXT),
        ("message", TEXT),
    ),
)
REJECTION_CODES = "rejection_codes"
"""Kept under inputs/ beside the accepted rows: each rejection's message code (table,
row_number, message_code), which with its column, value and key is all a surface needs to
show the message in another language. Not an output table: SPEC 9 fixes rejected's columns."""

OUTPUT_TABLES: dict[str, OutputTable] = {
    table.name: table for table in (CREDITS, UNATTRIBUTED, ATTAINMENT, PAYOUTS, REJECTED)
}
