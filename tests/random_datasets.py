"""Random small but nasty datasets and rules (hypothesis strategies) for differential tests.

Every row is valid, so that the engine and the reference see the same inputs; what varies is
everything SPEC 7 and 8 talk about: partner trees, workloads, DPOR events with removals and
same-day changes, overlapping intervals, mid-month policies, non-retroactive and exclusive
types, negative amounts, both credit modes, all prorations and both rollups; and for targets and
payouts: a few revenue months scattered over two and a half years (gaps shorter and longer than
the window, as-of months far from the revenue), windows of 1 to 12 months, minimums with up to
three decimals around whole cents, fractional rates and any fiscal year start.
"""

from __future__ import annotations

import calendar
import csv
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

from hypothesis import strategies as st

from partnercredit.contract import TABLES

Row = list[str | None]
# 30 months (February 2016 has 29 days, two year ends) that a dataset's few periods come from.
SPAN = tuple(f"{2015 + (10 + k) // 12}-{(10 + k) % 12 + 1:02d}" for k in range(30))
PARTNERS = [f"P{index}" for index in range(1, 7)]
CUSTOMERS = ["C1", "C2"]
SUBSCRIPTIONS = ["S1", "S2", "S3"]
TYPES = ("dpor", "transacting", "delegated_admin", "fasttrack", "pal", "advisor")
DayDraw = Callable[[st.DrawFn], date]


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


def _periods(draw: st.DrawFn, window: int) -> list[str]:
    """One to four periods of SPAN, separated by gaps that are often just around the window
    (inside it or not) or twice the window (new customers or not)."""
    edges = sorted({window - 1, window, window + 1, 2 * window - 1, 2 * window} - {0})
    gap = st.one_of(st.sampled_from(edges), st.integers(1, 3), st.integers(1, len(SPAN) - 1))
    gaps = [draw(gap) for _ in range(draw(st.sampled_from([0, 1, 1, 2, 2, 3])))]
    while sum(gaps) >= len(SPAN):
        gaps.pop()
    index = draw(st.integers(0, len(SPAN) - 1 - sum(gaps)))
    chosen = [SPAN[index]]
    for gap in gaps:
        index += gap
        chosen.append(SPAN[index])
    return chosen


def _month(period: str) -> tuple[date, date]:
    year, month = int(period[:4]), int(period[5:7])
    return date(year, month, 1), date(year, month, calendar.monthrange(year, month)[1])


def _days(periods: list[str]) -> DayDraw:
    """Draws any day around the periods, often one of a few shared days (month starts and ends,
    mid-month, before all of them) so that intervals overlap and ties need breaking."""
    earliest = _month(periods[0])[0] - timedelta(days=60)
    hot = sorted(
        {earliest}
        | {
            day
            for first, last in map(_month, periods)
            for day in (first, first + timedelta(days=13), last, last + timedelta(days=1))
        }
    )
    latest = _month(periods[-1])[1] + timedelta(days=30)

    def day(draw: st.DrawFn) -> date:
        kind = draw(st.integers(0, 2))
        if kind == 0:
            return draw(st.sampled_from(hot))
        if kind == 1:
            first, last = _month(draw(st.sampled_from(periods)))
            return first + timedelta(days=draw(st.integers(-10, (last - first).days + 10)))
        return earliest + timedelta(days=draw(st.integers(0, (latest - earliest).days)))

    return day


def _maybe_end(draw: st.DrawFn, start: date) -> str | None:
    kind = draw(st.integers(0, 2))
    if kind == 0:
        return None
    longest = 70 if kind == 1 else 800
    return (start + timedelta(days=draw(st.integers(1, longest)))).isoformat()


def _recorded(draw: st.DrawFn, start: date) -> str | None:
    choice = draw(st.integers(0, 3))
    if choice == 0:
        return None
    late = start + timedelta(days=draw(st.integers(0, draw(st.sampled_from([40, 40, 400])))))
    hour = draw(st.integers(0, 23))
    return f"{late.isoformat()}T{hour:02d}:00:00" + ("Z" if choice == 1 else "+05:00")


def _decimal(units: int, places: int) -> str:
    """units / 10**places as a TOML number, e.g. 10001, 3 -> 10.001; 1500, 3 -> 1.5."""
    whole, fraction = divmod(units, 10**places)
    digits = f"{fraction:0{places}d}".rstrip("0") if places else ""
    return f"{whole}.{digits}" if digits else str(whole)


def _minimum(draw: st.DrawFn, most: int) -> str:
    """A revenue or seats minimum: whole, or with up to three decimals, often tiny or a whole
    number plus a little, so that the values just below and above it in whole cents occur
    (10.001 needs 10.01)."""
    kind = draw(st.sampled_from([0, 1, 2, 3, 3]))
    if kind == 0:
        return str(draw(st.integers(0, most)))
    if kind == 1:
        return _decimal(draw(st.integers(0, most * 1000)), 3)
    if kind == 2:
        return _decimal(draw(st.integers(0, 40)), 3)
    near = draw(st.sampled_from([1, 5, 9, 10, 11, 499, 500, 501, 990, 991, 995, 999]))
    return _decimal(1000 * draw(st.integers(0, 3)) + near, 3)


def _rate(draw: st.DrawFn) -> str:
    """A payout rate: often one that makes half cents, else one of up to 8 decimals (at least
    0.000001: tests.scenario_helpers would write a smaller Decimal as 1E-7)."""
    if draw(st.booleans()):
        return draw(
            st.sampled_from(["0.05", "0.125", "0.10", "0.5", "0.25", "1", "1.5", "0", "0.015"])
        )
    places = draw(st.integers(1, 8))
    return _decimal(draw(st.integers(10 ** max(places - 6, 0), 3 * 10**places)), places)


def _rules(draw: st.DrawFn, window: int, day: DayDraw) -> str:
    precedences = draw(st.permutations(range(1, len(TYPES) + 1)))
    proration = draw(st.sampled_from(["daily", "any_day", "month_end"]))
    # The outputs do not depend on the fiscal year; any start must give the same numbers.
    lines = [f'fiscal_year_start_month = {draw(st.integers(1, 12))}\nproration = "{proration}"']
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
    count = draw(st.sampled_from([0, 1, 1, 2, 2, 3]))
    starts = sorted({day(draw) for _ in range(count)})
    if starts and draw(st.sampled_from([True, True, True, False])):
        starts[0] = date(2000, 1, 1)
    policies = []
    for start in starts:
        types = draw(st.lists(st.sampled_from(TYPES), unique=True, min_size=1, max_size=5))
        if draw(st.booleans()):
            types = sorted({*types, "advisor"})
        policies.append(
            f"{{ from = {start.isoformat()}, types = [{', '.join(map(repr, types))}] }}".replace(
                "'", '"'
            )
        )
    categories = draw(st.lists(st.sampled_from(["trial", "internal"]), unique=True))
    lines.append(
        '[programs.competency]\nkind = "attainment"\n'
        f'credit = "{draw(st.sampled_from(["full", "split"]))}"\n'
        f"window_months = {window}\n"
        f'rollup = "{draw(st.sampled_from(["partner", "root"]))}"\n'
        f"exclude_categories = [{', '.join(f'{c!r}' for c in categories)}]\n".replace("'", '"')
        + f"policies = [{', '.join(policies)}]\n"
        '[[programs.competency.targets]]\nname = "cloud_silver"\narea = "cloud"\nlevel = "silver"\n'
        f"revenue_usd = {_minimum(draw, 3000)}\nseats = {_minimum(draw, 30)}\n"
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
        f'rates = [ {{ area = "platform", rate = {_rate(draw)} }}, '
        f'{{ area = "cloud", rate = {_rate(draw)} }} ]\n'
        f"requires_any = {requires}"
    )
    return "\n".join(lines) + "\n"


@st.composite
def datasets(draw: st.DrawFn) -> Dataset:
    window = draw(st.integers(1, 12))
    periods = _periods(draw, window)
    day = _days(periods)
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
    for index in range(draw(st.integers(len(periods), 8))):
        # Thousandths of a unit; small or whole ones make credits near the minimums' cents.
        amount = draw(
            st.one_of(
                st.integers(-50_000, 500_000),
                st.integers(-20, 3_000),
                st.sampled_from([0, 10, 1_000, 2_000, 3_000]),
            )
        )
        # Sometimes as a system that keeps money in floats writes it: 0.0011000000000000001.
        written_from_float = draw(st.booleans()) and draw(st.booleans())
        revenue.append(
            [
                f"L{index}",
                draw(st.sampled_from(SUBSCRIPTIONS)),
                periods[index] if index < len(periods) else draw(st.sampled_from(periods)),
                draw(st.sampled_from(["O365-E3", "AZURE-VM", "AZURE-SQL", "CRM-X"])),
                draw(st.sampled_from([None, "W1", "W2"])),
                repr(amount * 1.1 / 1000) if written_from_float else f"{amount / 1000:.3f}",
                draw(st.sampled_from(["USD", "EUR"])),
                str(draw(st.one_of(st.integers(0, 40), st.integers(0, 3)))),
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
        for period in periods
    ]
    dpor: list[Row] = []
    for index in range(draw(st.integers(0, 8))):
        effective = day(draw)
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
        granted = day(draw)
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
        begun = day(draw)
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
            valid_from = day(draw)
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
    return Dataset(_rules(draw, window, day), tables)
