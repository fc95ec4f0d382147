"""The figures a run reports at its end: what was credited, what nobody could be credited for,
who attains which target, and what is paid."""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal
from typing import Any

import ibis.expr.types as ir

from partnercredit.engine import Backend
from partnercredit.rules import Rules

CENT = Decimal("0.01")


@dataclass(frozen=True)
class ProgramSummary:
    program: str
    kind: str
    revenue_usd: Decimal
    """Every accepted line's amount in USD."""
    credited_usd: Decimal
    """Sum of the program's credit (under full credit several partners share one line)."""
    unattributed_usd: dict[str, Decimal]
    """Revenue credited to nobody, by reason."""
    partners: int
    attaining: dict[str, int] = field(default_factory=dict)
    """Partners attaining each target as of the last period."""
    eligible_usd: Decimal = Decimal(0)
    earned_usd: Decimal = Decimal(0)
    blocked_usd: Decimal = Decimal(0)
    """The part of eligible_usd that earned nothing: requires_any was not met."""


@dataclass(frozen=True)
class RunSummary:
    first_period: str | None
    last_period: str | None
    fiscal_year_start_month: int
    programs: tuple[ProgramSummary, ...]


def summarize_run(
    backend: Backend,
    rules: Rules,
    lines: ir.Table,
    credits: ir.Table,
    unattributed: ir.Table,
    attainment: ir.Table,
    payouts: ir.Table,
) -> RunSummary:
    """Output tables as written (money in DECIMAL(18, 2)); `lines` with amount_cents."""
    span = _rows(backend, lines.aggregate(first=lines.period.min(), last=lines.period.max()))[0]
    revenue = _rows(backend, lines.aggregate(cents=lines.amount_cents.sum()))[0]["cents"] or 0
    credited = _by(
        backend, credits, ["program"], credits.credit_usd.sum(), credits.partner_id.nunique()
    )
    missing = _by(backend, unattributed, ["program", "reason"], unattributed.uncredited_usd.sum())
    latest = attainment.filter(attainment.attained & (attainment.as_of_period == span["last"]))
    attaining = _by(backend, latest, ["program", "target"], latest.partner_id.nunique())
    blocked = payouts.blocked_reason.fill_null("") != ""
    paid = _by(
        backend,
        payouts,
        ["program"],
        payouts.eligible_usd.sum(),
        payouts.earned_usd.sum(),
        payouts.eligible_usd.sum(where=blocked),
    )
    programs = []
    for name, program in rules.programs.items():
        total, partners = credited.get((name,), (Decimal(0), 0))
        eligible, earned, blocked_eligible = paid.get((name,), (Decimal(0),) * 3)
        programs.append(
            ProgramSummary(
                program=name,
                kind=program.kind,
                revenue_usd=(Decimal(revenue) * CENT).quantize(CENT),
                credited_usd=_money(total),
                unattributed_usd={
                    reason: _money(values[0])
                    for (owner, reason), values in sorted(missing.items())
                    if owner == name
                },
                partners=int(partners),
                attaining={
                    target.name: int(attaining.get((name, target.name), (0,))[0])
                    for target in program.targets
                },
                eligible_usd=_money(eligible),
                earned_usd=_money(earned),
                blocked_usd=_money(blocked_eligible),
            )
        )
    return RunSummary(span["first"], span["last"], rules.fiscal_year_start_month, tuple(programs))


def _rows(backend: Backend, expr: ir.Table) -> list[dict[str, Any]]:
    result: list[dict[str, Any]] = backend.to_arrow(expr).to_pylist()
    return result


def _by(
    backend: Backend, table: ir.Table, keys: list[str], *values: ir.Value
) -> dict[tuple[str, ...], tuple[Any, ...]]:
    named = {f"_v{index}": value for index, value in enumerate(values)}
    rows = _rows(backend, table.group_by(keys).aggregate(**named))
    return {
        tuple(str(row[key]) for key in keys): tuple(row[name] for name in named) for row in rows
    }


def _money(value: object) -> Decimal:
    return Decimal(0).quantize(CENT) if value is None else Decimal(str(value)).quantize(CENT)
