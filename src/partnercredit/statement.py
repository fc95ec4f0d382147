"""One partner's statement from a finished run: its credit of the last 12 months by area and
association type, where it stands against every target, and its payouts."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import Any

import duckdb

from partnercredit.errors import UsageError
from partnercredit.outputs.manifest import read_manifest
from partnercredit.periods import period_text
from partnercredit.rules import REQUIREMENTS, Rules, parse_rules
from partnercredit.workspace import run_folder

STATEMENT_MONTHS = 12
INPUTS = "inputs"


@dataclass(frozen=True)
class AreaCredit:
    program: str
    area: str
    association_type: str
    credit_usd: Decimal
    seat_credit: Decimal
    lines: int


@dataclass(frozen=True)
class Requirement:
    key: str
    value: Decimal
    minimum: Decimal
    gap: Decimal
    """How much is missing (0 when the requirement holds)."""


@dataclass(frozen=True)
class TargetStanding:
    program: str
    target: str
    area: str
    level: str | None
    window_start: str
    window_end: str
    requirements: tuple[Requirement, ...]
    attained: bool


@dataclass(frozen=True)
class PayoutLine:
    program: str
    period: str
    area: str
    eligible_usd: Decimal
    rate: str
    """As written in the rules."""
    earned_usd: Decimal
    blocked_reason: str


@dataclass(frozen=True)
class PartnerStatement:
    partner_id: str
    name: str | None
    root_partner_id: str | None
    as_of_period: str
    first_period: str
    """The first period of the 12 months the credit covers."""
    fiscal_year_start_month: int
    credit: tuple[AreaCredit, ...]
    targets: tuple[TargetStanding, ...]
    payouts: tuple[PayoutLine, ...]


class _Run:
    def __init__(self, folder: Path) -> None:
        self.folder = folder
        self.connection = duckdb.connect()

    def rows(self, table: str, where: str, *params: object) -> list[dict[str, Any]]:
        path = self.folder / f"{table}.parquet"
        if not path.exists():
            path = self.folder / INPUTS / f"{table}.parquet"
        source = str(path).replace("'", "''")
        result = self.connection.execute(
            f"SELECT * FROM read_parquet('{source}') WHERE {where}", list(params)
        )
        names = [column[0] for column in result.description]
        return [dict(zip(names, row, strict=True)) for row in result.fetchall()]

    def last_period(self) -> str | None:
        source = str(self.folder / INPUTS / "revenue.parquet").replace("'", "''")
        found = self.connection.execute(f"SELECT max(period) FROM read_parquet('{source}')")
        row = found.fetchone()
        return None if row is None else row[0]


def partner_statement(run_dir: Path, partner_id: str, as_of: str | None = None) -> PartnerStatement:
    run_dir = run_folder(run_dir)
    run = _Run(run_dir)
    manifest = read_manifest(run_dir)
    rules = parse_rules(manifest["rules"]["text"], manifest["rules"]["source"])
    partner = run.rows("partners", "partner_id = ?", partner_id)
    if not partner:
        raise UsageError(f"partner {partner_id} is not in this run")
    root = run.rows("partner_roots", "partner_id = ?", partner_id)
    last = as_of or run.last_period()
    if last is None:
        raise UsageError(f"{run_dir}: the run has no revenue")
    if as_of is not None and not _is_period(as_of):
        raise UsageError(f"--as-of: expected a period YYYY-MM, not {as_of!r}")
    first = _months_before(last, STATEMENT_MONTHS - 1)
    credits = run.rows(
        "credits", "partner_id = ? AND period BETWEEN ? AND ?", partner_id, first, last
    )
    attainment = run.rows("attainment", "partner_id = ? AND as_of_period = ?", partner_id, last)
    payouts = run.rows("payouts", "partner_id = ? AND period <= ?", partner_id, last)
    rates = {
        (name, rate.area): rate.rate_text
        for name, program in rules.programs.items()
        for rate in program.rates
    }
    return PartnerStatement(
        partner_id=partner_id,
        name=partner[0]["name"],
        root_partner_id=root[0]["root_partner_id"] if root else None,
        as_of_period=last,
        first_period=first,
        fiscal_year_start_month=rules.fiscal_year_start_month,
        credit=_credit_by_area(rules, credits),
        targets=_standings(rules, attainment, last),
        payouts=tuple(
            PayoutLine(
                row["program"],
                row["period"],
                row["area"],
                row["eligible_usd"],
                rates.get((row["program"], row["area"]), str(row["rate"])),
                row["earned_usd"],
                row["blocked_reason"],
            )
            for row in sorted(payouts, key=lambda row: (row["program"], row["period"], row["area"]))
        ),
    )


def _is_period(text: str) -> bool:
    return len(text) == 7 and text[4] == "-" and text[:4].isdigit() and text[5:].isdigit()


def _months_before(period: str, months: int) -> str:
    number = int(period[:4]) * 12 + int(period[5:7]) - 1 - months
    return period_text(number)


def _credit_by_area(rules: Rules, credits: list[dict[str, Any]]) -> tuple[AreaCredit, ...]:
    totals: dict[tuple[str, str, str], list[Any]] = defaultdict(
        lambda: [Decimal("0.00"), Decimal("0.00"), 0]
    )
    for row in credits:
        for area in rules.areas_of(row["product"]) or ("(no area)",):
            total = totals[(row["program"], area, row["association_type"])]
            total[0] += row["credit_usd"]
            total[1] += row["seat_credit"]
            total[2] += 1
    return tuple(
        AreaCredit(program, area, link_type, credit, seats, lines)
        for (program, area, link_type), (credit, seats, lines) in sorted(totals.items())
    )


def _standings(
    rules: Rules, attainment: list[dict[str, Any]], as_of: str
) -> tuple[TargetStanding, ...]:
    found = {(row["program"], row["target"]): row for row in attainment}
    standings = []
    for name, program in rules.programs.items():
        for target in program.targets:
            row = found.get((name, target.name))
            values = {
                "revenue_usd": row["revenue_usd"] if row else Decimal("0.00"),
                "seats": row["seats"] if row else Decimal("0.00"),
                "customers": Decimal(row["customers"] if row else 0),
                "new_customers": Decimal(row["new_customers"] if row else 0),
            }
            requirements = tuple(
                Requirement(
                    key,
                    values[key],
                    Decimal(minimum),
                    max(Decimal(0), Decimal(minimum) - values[key]),
                )
                for key, minimum in target.requirements.items()
                if key in REQUIREMENTS
            )
            standings.append(
                TargetStanding(
                    name,
                    target.name,
                    target.area,
                    target.level,
                    row["window_start"]
                    if row
                    else _months_before(as_of, program.window_months - 1),
                    as_of,
                    requirements,
                    bool(row and row["attained"]),
                )
            )
    return tuple(standings)
