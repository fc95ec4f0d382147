"""The input data contract (SPEC section 4): tables, columns, keys, references, intervals.

Everything that reads or checks input is driven by these declarations, so a new column or
table is added here once.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Kind(StrEnum):
    """What a column's text must look like."""

    TEXT = "text"
    DATE = "date"
    PERIOD = "period"
    TIMESTAMP = "timestamp"
    AMOUNT = "amount"
    RATE = "rate"
    QUANTITY = "quantity"
    COUNTRY = "country"
    CURRENCY = "currency"


@dataclass(frozen=True)
class Column:
    name: str
    kind: Kind = Kind.TEXT
    required: bool = False
    references: str | None = None
    default: str | None = None


@dataclass(frozen=True)
class TableSpec:
    name: str
    columns: tuple[Column, ...]
    key: tuple[str, ...]
    required: bool = False
    interval: tuple[str, str] | None = None

    @property
    def column_names(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns)

    @property
    def required_columns(self) -> tuple[str, ...]:
        return tuple(column.name for column in self.columns if column.required)

    def column(self, name: str) -> Column:
        return next(column for column in self.columns if column.name == name)


def _table(
    name: str,
    *columns: Column,
    key: tuple[str, ...] | None = None,
    required: bool = False,
    interval: tuple[str, str] | None = None,
) -> TableSpec:
    return TableSpec(name, columns, key or (columns[0].name,), required, interval)


def _id(name: str, references: str | None = None, required: bool = True) -> Column:
    return Column(name, Kind.TEXT, required, references)


PARTNERS = _table(
    "partners",
    _id("partner_id"),
    Column("name", required=True),
    Column("country", Kind.COUNTRY),
    _id("parent_partner_id", "partners", required=False),
    required=True,
)
CUSTOMERS = _table(
    "customers",
    _id("customer_id"),
    Column("name", required=True),
    Column("country", Kind.COUNTRY),
    required=True,
)
SUBSCRIPTIONS = _table(
    "subscriptions",
    _id("subscription_id"),
    _id("customer_id", "customers"),
    Column("offer"),
    Column("category", default="paid"),
    required=True,
)
REVENUE = _table(
    "revenue",
    _id("line_id"),
    _id("subscription_id", "subscriptions"),
    Column("period", Kind.PERIOD, required=True),
    Column("product", required=True),
    Column("workload"),
    Column("amount", Kind.AMOUNT, required=True),
    Column("currency", Kind.CURRENCY, required=True),
    Column("quantity", Kind.QUANTITY, default="0"),
    _id("transacting_partner_id", "partners", required=False),
    required=True,
)
FX_RATES = _table(
    "fx_rates",
    Column("period", Kind.PERIOD, required=True),
    Column("currency", Kind.CURRENCY, required=True),
    Column("usd_per_unit", Kind.RATE, required=True),
    key=("period", "currency"),
)
DPOR_EVENTS = _table(
    "dpor_events",
    _id("event_id"),
    _id("subscription_id", "subscriptions"),
    Column("workload"),
    _id("partner_id", "partners", required=False),
    Column("effective_date", Kind.DATE, required=True),
    Column("recorded_at", Kind.TIMESTAMP),
)
DELEGATED_ADMIN = _table(
    "delegated_admin",
    _id("relationship_id"),
    _id("partner_id", "partners"),
    _id("customer_id", "customers"),
    Column("granted_on", Kind.DATE, required=True),
    Column("revoked_on", Kind.DATE),
    Column("recorded_at", Kind.TIMESTAMP),
    interval=("granted_on", "revoked_on"),
)
FASTTRACK = _table(
    "fasttrack",
    _id("engagement_id"),
    _id("partner_id", "partners"),
    _id("customer_id", "customers"),
    Column("workload"),
    Column("start_date", Kind.DATE, required=True),
    Column("end_date", Kind.DATE),
    Column("recorded_at", Kind.TIMESTAMP),
    interval=("start_date", "end_date"),
)
ASSOCIATIONS = _table(
    "associations",
    _id("association_id"),
    Column("type", required=True),
    _id("partner_id", "partners"),
    _id("customer_id", "customers", required=False),
    _id("subscription_id", "subscriptions", required=False),
    Column("workload"),
    Column("valid_from", Kind.DATE, required=True),
    Column("valid_to", Kind.DATE),
    Column("recorded_at", Kind.TIMESTAMP),
    interval=("valid_from", "valid_to"),
)

#: Every input table, in the order of SPEC section 4.
TABLES: dict[str, TableSpec] = {
    spec.name: spec
    for spec in (
        PARTNERS,
        CUSTOMERS,
        SUBSCRIPTIONS,
        REVENUE,
        FX_RATES,
        DPOR_EVENTS,
        DELEGATED_ADMIN,
        FASTTRACK,
        ASSOCIATIONS,
    )
}

#: The order in which tables are validated: every table after the tables it refers to
#: (revenue also needs the accepted fx rates for missing_fx).
VALIDATION_ORDER: tuple[str, ...] = (
    "fx_rates",
    "partners",
    "customers",
    "subscriptions",
    "revenue",
    "dpor_events",
    "delegated_admin",
    "fasttrack",
    "associations",
)

BASE_CURRENCY = "USD"
TRANSACTING = "transacting"
"""The association type of the partner a revenue line names as its transacting partner."""

REJECTION_REASONS = (
    "malformed",
    "duplicate_key",
    "missing_value",
    "bad_value",
    "bad_interval",
    "unknown_type",
    "cycle",
    "bad_reference",
    "missing_fx",
)
"""SPEC 5's reason codes, in the order its checks run."""
