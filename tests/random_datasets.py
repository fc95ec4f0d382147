"""Random small but nasty datasets and rules (hypothesis strategies) for differential tests.

Every row is valid, so that the engine and the reference see the same inputs; what varies is
everything SPEC 7 and 8 talk about: partner trees, workloads, DPOR events with removals and
same-day changes, overlapping intervals, mid-month policies, non-retroactive and exclusive
types, negative amounts, both credit modes, all prorations and both rollups.
"""

from __future__ import annotations

import csv
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st

from partnercredit.contract import TABLES

Row = list[str | None]
PERIODS = ("2016-05", "2016-06", "2016-07")
FIRST_DAY = date(2016, 4, 20)
LAST_DAY = date(2016, 8, 10)
PARTNERS = [f"P{index}" for index in range(1, 7)]
CUSTOMERS = ["C1", "C2"]
SUBSCRIPTIONS = ["S1", "S2", "S3"]
TYPES = ("dpor", "transacting", "delegated_admin", "fasttrack", "pal", "advisor")


@dataclass(frozen=True)
class Dataset:
    rules: str
    tables: dict[str, list[Row]]

    def write(self, folder: Path) -> Path:
        folder.mkdir(parents=True)
        for name, rows in self.tables.items():
            with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
                writer = csv.writer(handle)
                writer.writerow(TABLES[name].column_names)
                writer.writerows(["" if value is None else value for value in row] for row in rows)
        (folder / "rules.toml").write_text(self.rules)
        return folder


HOT_DAYS = (date(2016, 5, 1), date(2016, 5, 14), date(2016, 6, 1), date(2016, 6, 20))


def _day(draw: st.DrawFn) -> date:
    """Any day around the periods, often one of a few shared days so that intervals overlap
    and ties need breaking."""
    if draw(st.booleans()):
        return draw(st.sampled_from(HOT_DAYS))
    return FIRST_DAY + timedelta(days=draw(st.integers(0, (LAST_DAY - FIRST_DAY).days)))


def _maybe_end(draw: st.DrawFn, start: date) -> str | None:
    if draw(st.booleans()):
        return None
    return (start + timedelta(days=draw(st.integers(1, 70)))).isoformat()


def _recorded(draw: st.DrawFn, start: date) -> str | None:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return None
    late = start + timedelta(days=draw(st.integers(0, 40)))
    hour = draw(st.integers(0, 23))
    return f"{late.isoformat()}T{hour:02d}:00:00" + ("Z" if choice == 1 else "+05:00")


def _rules(draw: st.DrawFn) -> str:
    precedences = draw(st.permutations(range(1, len(TYPES) + 1)))
    proration = draw(st.sampled_from(["daily", "any_day", "month_end"]))
    lines = [f'fiscal_year_start_month = 7\nproration = "{proration}"']
    for name, precedence in zip(TYPES, precedences, strict=True):
        exclusive = (
            draw(st.sampled_from([True, True, False]))
            if name in ("dpor", "advisor", "pal")
            else False
        )
        retroactive = draw(st.booleans())
        lines.append(
            f"[association_types.{name}]\nprecedence = {precedence}\n"
            f"exclusive = {str(exclusive).lower()}\nretroactive = {str(retroactive).lower()}"
        )
    lines.append('[areas]\ncloud = ["O365*", "AZURE*"]\nplatform = ["AZURE*"]')
    policies = []
    start = date(2000, 1, 1)
    for _ in range(draw(st.sampled_from([0, 1, 1, 2, 2, 3]))):
        types = draw(st.lists(st.sampled_from(TYPES), unique=True, min_size=1, max_size=5))
        if draw(st.booleans()):
            types = sorted({*types, "advisor"})
        policies.append(
            f"{{ from = {start.isoformat()}, types = [{', '.join(map(repr, types))}] }}".replace(
                "'", '"'
            )
        )
        start = max(start, date(2016, 5, 1)) + timedelta(days=draw(st.integers(1, 45)))
    categories = draw(st.lists(st.sampled_from(["trial", "internal"]), unique=True))
    lines.append(
        '[programs.competency]\nkind = "attainment"\n'
        f'credit = "{draw(st.sampled_from(["full", "split"]))}"\n'
        f"window_months = {draw(st.integers(1, 3))}\n"
        f'rollup = "{draw(st.sampled_from(["partner", "root"]))}"\n'
        f"exclude_categories = [{', '.join(f'{c!r}' for c in categories)}]\n".replace("'", '"')
        + f"policies = [{', '.join(policies)}]\n"
        '[[programs.competency.targets]]\nname = "cloud_silver"\narea = "cloud"\nlevel = "silver"\n'
        f"revenue_usd = {draw(st.integers(0, 3000))}\nseats = {draw(st.integers(0, 30))}\n"
        '[[programs.competency.targets]]\nname = "platform_new"\narea = "platform"\n'
        f"customers = {draw(st.integers(0, 2))}\nnew_customers = {draw(st.integers(0, 2))}"
    )
    requires = draw(
        st.sampled_from(
            [
                "[]",
                '["competency.cloud_silver"]',
                '["competency.platform_new", "competency.cloud_silver"]',
            ]
        )
    )
    lines.append(
        '[programs.incentives]\nkind = "payout"\n'
        f'credit = "{draw(st.sampled_from(["full", "split"]))}"\n'
        f'rollup = "{draw(st.sampled_from(["partner", "root"]))}"\n'
        'policies = [ { from = 2000-01-01, types = ["dpor", "pal"] } ]\n'
        'rates = [ { area = "platform", rate = 0.05 }, { area = "cloud", rate = 0.125 } ]\n'
        f"requires_any = {requires}"
    )
    return "\n".join(lines) + "\n"


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    partners: list[Row] = []
    for index, partner in enumerate(PARTNERS):
        parent = draw(st.sampled_from([None, *PARTNERS[:index]]))
        partners.append([partner, f"Partner {partner}", "DE", parent])
    customers: list[Row] = [[customer, f"Customer {customer}", "DE"] for customer in CUSTOMERS]
    subscriptions: list[Row] = [
        [
            subscription,
            draw(st.sampled_from(CUSTOMERS)),
            "E3",
            draw(st.sampled_from([None, "paid", "trial", "internal"])),
        ]
        for subscription in SUBSCRIPTIONS
    ]
    revenue: list[Row] = []
    for index in range(draw(st.integers(1, 8))):
        amount = draw(st.integers(-50_000, 500_000))
        # Sometimes as a system that keeps money in floats writes it: 0.0011000000000000001.
        written_from_float = draw(st.booleans()) and draw(st.booleans())
        revenue.append(
            [
                f"L{index}",
                draw(st.sampled_from(SUBSCRIPTIONS)),
                draw(st.sampled_from(PERIODS)),
                draw(st.sampled_from(["O365-E3", "AZURE-VM", "CRM-X"])),
                draw(st.sampled_from([None, "W1", "W2"])),
                repr(amount * 1.1 / 1000) if written_from_float else f"{amount / 1000:.3f}",
                draw(st.sampled_from(["USD", "EUR"])),
                str(draw(st.integers(0, 40))),
                draw(st.sampled_from([None, *PARTNERS, *PARTNERS])),
            ]
        )
    fx_rates: list[Row] = [
        [
            period,
            "EUR",
            draw(
                st.sampled_from(
                    [
                        "1.1",
                        "1.0875",
                        "0.999999",
                        "1.0869565217391304",
                        "0.909090909090909090909091",
                    ]
                )
            ),
        ]
        for period in PERIODS
    ]
    dpor: list[Row] = []
    for index in range(draw(st.integers(0, 8))):
        effective = _day(draw)
        dpor.append(
            [
                f"E{index}",
                draw(st.sampled_from(SUBSCRIPTIONS)),
                draw(st.sampled_from([None, None, "W1"])),
                draw(st.sampled_from([None, *PARTNERS, *PARTNERS])),
                effective.isoformat(),
                _recorded(draw, effective),
            ]
        )
    admins: list[Row] = []
    for index in range(draw(st.integers(0, 3))):
        granted = _day(draw)
        admins.append(
            [
                f"R{index}",
                draw(st.sampled_from(PARTNERS)),
                draw(st.sampled_from(CUSTOMERS)),
                granted.isoformat(),
                _maybe_end(draw, granted),
                _recorded(draw, granted),
            ]
        )
    fasttrack: list[Row] = []
    for index in range(draw(st.integers(0, 2))):
        begun = _day(draw)
        fasttrack.append(
            [
                f"F{index}",
                draw(st.sampled_from(PARTNERS)),
                draw(st.sampled_from(CUSTOMERS)),
                draw(st.sampled_from([None, "W1"])),
                begun.isoformat(),
                _maybe_end(draw, begun),
                _recorded(draw, begun),
            ]
        )
    associations: list[Row] = []
    # Groups of links of one type on one scope, so that exclusive types have contests to settle.
    for _ in range(draw(st.integers(0, 4))):
        link_type = draw(st.sampled_from(["pal", "advisor"]))
        by_customer = draw(st.booleans())
        scope = draw(st.sampled_from(CUSTOMERS if by_customer else SUBSCRIPTIONS))
        for _ in range(draw(st.integers(1, 3))):
            valid_from = _day(draw)
            associations.append(
                [
                    f"A{len(associations) + 1}",
                    link_type,
                    draw(st.sampled_from(PARTNERS)),
                    scope if by_customer else None,
                    None if by_customer else scope,
                    draw(st.sampled_from([None, None, "W1"])),
                    valid_from.isoformat(),
                    _maybe_end(draw, valid_from),
                    _recorded(draw, valid_from),
                ]
            )
    tables = {
        "partners": partners,
        "customers": customers,
        "subscriptions": subscriptions,
        "revenue": revenue,
        "fx_rates": fx_rates,
        "dpor_events": dpor,
        "delegated_admin": admins,
        "fasttrack": fasttrack,
        "associations": associations,
    }
    return Dataset(_rules(draw), tables)
