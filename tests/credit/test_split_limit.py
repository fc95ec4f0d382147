"""Daily split credit divides exactly, line by line, however often the number of partners
sharing a line changes within its month; only a base beyond 2**53 stops the run."""

from __future__ import annotations

import csv
from decimal import Decimal
from fractions import Fraction
from itertools import pairwise
from pathlib import Path

import pytest

from partnercredit import core
from partnercredit.errors import PartnerCreditError
from tests.conftest import TESTS

SCENARIO = TESTS / "scenarios" / "20_split_many_partners"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])


def one_line_of_march(data: Path, arrivals: list[int]) -> list[str]:
    """One line of 100.00 USD in 2016-03 (31 days) whose customer has arrivals[k] partners
    with delegated admin rights from day k + 1 on (arrivals[0] from the 1st)."""
    data.mkdir()
    partners = [f"P{number:03d}" for number in range(1, sum(arrivals) + 1)]
    grants, first = [], 0
    for day, arriving in enumerate(arrivals, start=1):
        grants += [[f"R{p}", p, "C1", f"2016-03-{day:02d}"] for p in partners[first:][:arriving]]
        first += arriving
    write_csv(data / "partners.csv", ["partner_id", "name"], [[p, p] for p in partners])
    write_csv(data / "customers.csv", ["customer_id", "name"], [["C1", "C1"]])
    write_csv(data / "subscriptions.csv", ["subscription_id", "customer_id"], [["S1", "C1"]])
    write_csv(
        data / "revenue.csv",
        ["line_id", "subscription_id", "period", "product", "amount", "currency"],
        [["L1", "S1", "2016-03", "O365-E3", "100.00", "USD"]],
    )
    write_csv(
        data / "delegated_admin.csv",
        ["relationship_id", "partner_id", "customer_id", "granted_on"],
        grants,
    )
    return partners


def test_a_line_whose_partners_change_often_is_split_exactly(tmp_path: Path) -> None:
    """7, 11, 13, 15, 16 and 17 partners on the first six days of 2016-03 and 17 on the other
    25: the shares are whole multiples of 1 / (31 * 4,084,080), beyond 64-bit products of
    remainders (the run used to stop here). A partner there from the 1st gets
    10000 cents * (1/7 + 1/11 + 1/13 + 1/15 + 1/16 + 26/17) / 31 = 635.2476... cents."""
    arrivals = [7, 4, 2, 2, 1, 1]
    partners = one_line_of_march(tmp_path / "data", arrivals)
    core.run(
        tmp_path / "data", tmp_path / "out", rules=SCENARIO / "rules.toml", output_format="csv"
    )
    with (tmp_path / "out" / "credits.csv").open(encoding="utf-8") as handle:
        credit = {row["partner_id"]: Decimal(row["credit_usd"]) for row in csv.DictReader(handle)}

    counts = [7, 11, 13, 15, 16] + [17] * 26
    first_days = [day for day, arriving in enumerate(arrivals) for _ in range(arriving)]
    expected = {
        partner: Decimal(round(Fraction(10000, 31) * sum(Fraction(1, n) for n in counts[day:])))
        / 100
        for partner, day in zip(partners, first_days, strict=True)
    }
    assert expected["P001"] == Decimal("6.35")
    assert credit == expected


def test_a_line_whose_base_exceeds_exact_division_stops_the_run(tmp_path: Path) -> None:
    """23, 29, 31, ..., 61 partners on the first ten days: their least common multiple (the
    product of ten primes, about 1.2e16) times 31 days is beyond 2**53."""
    primes = [23, 29, 31, 37, 41, 43, 47, 53, 59, 61]
    one_line_of_march(tmp_path / "data", [23] + [b - a for a, b in pairwise(primes)])
    with pytest.raises(
        PartnerCreditError,
        match=r"programs\.split: on revenue line 'L1' \(subscription 'S1'\) the number .* least "
        r"common multiple is 1[0-9]{16}\)",
    ):
        core.run(tmp_path / "data", tmp_path / "out", rules=SCENARIO / "rules.toml")
    assert not (tmp_path / "out").exists()
