"""Attainment over revenue periods years apart: the work follows the data, not the span
between the first and the last period (SPEC 8)."""

from __future__ import annotations

import csv
from pathlib import Path

import ibis.expr.types as ir
import pytest

from partnercredit import core
from partnercredit.engine import EngineOptions
from partnercredit.engine.backend import DuckDBBackend
from partnercredit.targets.periods import as_of_months, as_of_table
from tests.conftest import read_csv

RULES = """
fiscal_year_start_month = 7
proration = "daily"

[association_types.dpor]
precedence = 1
exclusive = true
retroactive = true

[areas]
cloud_productivity = ["O365*"]

[programs.competency]
kind = "attainment"
credit = "full"
window_months = 3
rollup = "partner"
policies = [{ from = 1990-01-01, types = ["dpor"] }]
[[programs.competency.targets]]
name = "productivity_silver"
area = "cloud_productivity"
level = "silver"
customers = 2
new_customers = 2
"""


def write_inputs(folder: Path, first_period: str) -> Path:
    """P1 is the partner of record of C1 (S1) and C2 (S2): C1 pays 100.00 for 10 seats in
    `first_period`, then 50.00 for 6 seats in 2016-01; C2 pays 200.00 for 4 seats in 2016-02."""
    tables = {
        "partners": [["partner_id", "name"], ["P1", "Partner One"]],
        "customers": [["customer_id", "name"], ["C1", "One"], ["C2", "Two"]],
        "subscriptions": [["subscription_id", "customer_id"], ["S1", "C1"], ["S2", "C2"]],
        "dpor_events": [
            ["event_id", "subscription_id", "partner_id", "effective_date"],
            ["E1", "S1", "P1", "1990-01-01"],
            ["E2", "S2", "P1", "1990-01-01"],
        ],
        "revenue": [
            ["line_id", "subscription_id", "period", "product", "amount", "currency", "quantity"],
            ["L1", "S1", first_period, "O365-E3", "100.00", "USD", "10"],
            ["L2", "S1", "2016-01", "O365-E3", "50.00", "USD", "6"],
            ["L3", "S2", "2016-02", "O365-E3", "200.00", "USD", "4"],
        ],
    }
    folder.mkdir()
    for name, rows in tables.items():
        with (folder / f"{name}.csv").open("w", newline="", encoding="utf-8") as handle:
            csv.writer(handle).writerows(rows)
    (folder / "rules.toml").write_text(RULES, encoding="utf-8")
    return folder


def test_as_of_months_of_a_2000_year_span_are_the_months_near_revenue() -> None:
    """Revenue in 0016-07 and 2016-07 with a 12-month window: the twelve months from 0016-07
    on, and 2016-07 itself (the last revenue period ends the range)."""
    first, last = 16 * 12 + 6, 2016 * 12 + 6
    assert as_of_months([last, first], 12) == [*range(first, first + 12), last]


def test_as_of_months_of_overlapping_windows_are_listed_once() -> None:
    assert as_of_months([100, 101, 104], 3) == [100, 101, 102, 103, 104]


def test_no_table_of_the_run_grows_with_the_span(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The same lines with the first one 2 or 20 years before the others: every table the run
    materializes (customers counted in batches, as in a large run) has as many rows."""
    materialize = DuckDBBackend.materialize
    sizes: list[tuple[str, int]] = []

    def counting_materialize(backend: DuckDBBackend, stem: str, expr: ir.Table) -> ir.Table:
        table = materialize(backend, stem, expr)
        rows = backend.to_arrow(table.aggregate(rows=table.count())).column(0)[0].as_py()
        sizes.append((stem, rows))
        return table

    monkeypatch.setattr(DuckDBBackend, "materialize", counting_materialize)
    by_first_period = {}
    for first_period in ("2014-02", "1996-02"):
        sizes.clear()
        data = write_inputs(tmp_path / first_period, first_period)
        core.run(
            data,
            tmp_path / f"out-{first_period}",
            rules=data / "rules.toml",
            engine=EngineOptions(lines_per_batch=1),
        )
        by_first_period[first_period] = list(sizes)
    assert ("customer_counts", 5) in by_first_period["1996-02"]
    assert by_first_period["1996-02"] == by_first_period["2014-02"]


def test_attainment_of_lines_20_years_apart(tmp_path: Path) -> None:
    """Window of 3 months. 1996-02 .. 1996-04 hold C1's 100.00 (10 seats in 1996-02 alone);
    nothing until 2016-01, where C1 counts as new again (nothing in 2015-08 .. 2015-10), and
    2016-02 adds C2: two customers, both new, attain the target. No row for the 20 years
    between, none after 2016-02, the last revenue period."""
    data = write_inputs(tmp_path / "data", "1996-02")
    core.run(data, tmp_path / "out", rules=data / "rules.toml", output_format="csv")
    attainment = read_csv(tmp_path / "out" / "attainment.csv")
    rows = [
        [row[column] for column in ("as_of_period", "window_start", "revenue_usd", "seats")]
        + [row[column] for column in ("customers", "new_customers", "attained")]
        for row in attainment
    ]
    assert rows == [
        ["1996-02", "1995-12", "100.00", "10.00", "1", "1", "false"],
        ["1996-03", "1996-01", "100.00", "0.00", "1", "1", "false"],
        ["1996-04", "1996-02", "100.00", "0.00", "1", "1", "false"],
        ["2016-01", "2015-11", "50.00", "6.00", "1", "1", "false"],
        ["2016-02", "2015-12", "250.00", "4.00", "2", "2", "true"],
    ]
    assert {
        (row["program"], row["partner_id"], row["target"], row["area"], row["level"])
        for row in attainment
    } == {("competency", "P1", "productivity_silver", "cloud_productivity", "silver")}
    assert all(row["window_end"] == row["as_of_period"] for row in attainment)


def test_windows_start_no_earlier_than_the_first_period() -> None:
    """Revenue of 0001-03 in windows of 12 and 1200 months: windows that would reach back
    before year 1 start at 0001-01 (once written 0000-04 and -099-04)."""
    first = 1 * 12 + 2  # 0001-03
    for window in (12, 1200):
        rows = as_of_table([first, first + 1], window).to_pyarrow().to_pylist()
        assert [row["start_period"] for row in rows] == ["0001-01", "0001-01"]
    rows = as_of_table([2016 * 12 + 5], 12).to_pyarrow().to_pylist()
    assert rows[0]["start_period"] == "2015-07"
