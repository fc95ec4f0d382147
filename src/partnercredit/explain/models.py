"""The shape of an explanation. Texts are message codes with parameters (see messages.py)."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass
from datetime import UTC, date, datetime
from decimal import Decimal
from fractions import Fraction
from typing import Any

from partnercredit.messages import Language, Message


@dataclass(frozen=True)
class Span:
    """What held for a link on the days first_day..last_day (inclusive)."""

    status: str
    first_day: date
    last_day: date
    params: dict[str, str]

    @property
    def days(self) -> int:
        return (self.last_day - self.first_day).days + 1


@dataclass(frozen=True)
class LinkExplanation:
    source_table: str
    source_id: str
    type: str
    partner_id: str | None
    credited_as: str | None
    """The partner credited for it: the partner itself, or its top parent under rollup."""
    scope: str
    scope_id: str
    workload: str | None
    source_from: date
    valid_from: date
    valid_to: date | None
    recorded_at: datetime
    spans: tuple[Span, ...]
    """Day by day within the line's month, merged where nothing changes. Under month_end and
    any_day proration, one span over the whole month where the link credits its partner for
    all of it."""


@dataclass(frozen=True)
class PolicyInForce:
    first_day: date
    last_day: date
    types: tuple[str, ...] | None
    """None: no policy in force on those days."""
    policy_from: date | None
    """The policy's own start (its `from` in the rules), often before the line's month."""


@dataclass(frozen=True)
class PartnersOnDays:
    """Under split credit: on the days first_day..last_day (inclusive), `partners` partners
    were credited, and each got an equal part of every one of those days."""

    first_day: date
    last_day: date
    partners: int


@dataclass(frozen=True)
class DaysShared:
    """`days` days of the month, on each of which `partners` partners shared the line."""

    days: int
    partners: int


@dataclass(frozen=True)
class SplitShare:
    """A split row's exact share of the line (SPEC 7.8-7.9): the sum of 1/(D * n_d) over its
    days, D the days of the month and n_d the partners credited on day d; credit_usd is
    amount_usd times `fraction`, rounded half to even to the cent (seat_credit likewise)."""

    parts: tuple[DaysShared, ...]
    """The row's days by how many partners shared them, fewest partners first."""
    fraction: Fraction


@dataclass(frozen=True)
class PartnerCredit:
    partner_id: str
    association_type: str
    days: int
    credit_usd: Decimal
    seat_credit: Decimal
    share: SplitShare | None
    """Under split credit, how credit_usd follows from the line's amount; None under full
    credit (there it is amount_usd * days / D)."""


@dataclass(frozen=True)
class Uncredited:
    reason: str
    days: int
    uncredited_usd: Decimal


@dataclass(frozen=True)
class ProgramExplanation:
    program: str
    kind: str
    credit: str
    proration: str
    proration_decision: Message
    """How the proration turns the days of the month into credit."""
    rollup: str
    category_excluded: bool
    policies: tuple[PolicyInForce, ...]
    partners_on_days: tuple[PartnersOnDays, ...]
    """Under split credit, how many partners shared the line on which days (the days with at
    least one, merged where the number stays the same; all partners count, whichever one
    was asked about); empty under full credit."""
    links: tuple[LinkExplanation, ...]
    partners: tuple[PartnerCredit, ...]
    """As the run's ledger has them."""
    partner_not_linked: bool
    """The one partner asked about has no association with the line at all."""
    partner_not_credited: bool
    """The one partner asked about has associations with the line but no credit in this
    program (the credit of the partners not asked about is not shown)."""
    uncredited: tuple[Uncredited, ...]
    organisation: str | None = None
    """Under rollup = "root", when the partner asked about is a location: its organisation,
    whose credit `partners` shows (earned by the links of all its locations)."""


@dataclass(frozen=True)
class LineExplanation:
    run_id: str
    line_id: str
    subscription_id: str
    customer_id: str
    category: str
    period: str
    first_day: date
    days_in_period: int
    product: str
    workload: str | None
    amount: Decimal
    currency: str
    usd_per_unit: Decimal
    amount_usd: Decimal
    quantity: int
    partner: str | None
    """The one partner asked about (its links and credits alone are shown), or None."""
    programs: tuple[ProgramExplanation, ...]
    type_labels: dict[str, dict[Language, str]]
    """Every declared association type's label by language."""

    def to_dict(self) -> dict[str, Any]:
        """Plain JSON types: dates as ISO text, times as ISO text in UTC (with its offset),
        numbers as decimal text, never with an exponent (USD with its two places, the line's
        amount with the decimals it has), exact shares as a fraction in text ("77/186", "1")."""
        plain: dict[str, Any] = _plain(dataclasses.asdict(self))
        return plain


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _plain(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_plain(item) for item in value]
    if isinstance(value, datetime) and value.tzinfo is None:
        return value.replace(tzinfo=UTC).isoformat()  # every time is UTC (SPEC 3)
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, Fraction):
        return str(value)
    return value
