"""Daily split credit divides exactly, line by line, or the run stops with one line."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from partnercredit import core
from partnercredit.errors import PartnerCreditError
from tests.conftest import TESTS

SCENARIO = TESTS / "scenarios" / "20_split_many_partners"


def write_csv(path: Path, header: list[str], rows: list[list[str]]) -> None:
    with path.open("w", newline="", encoding="utf-8") as handle:
        csv.writer(handle).writerows([header, *rows])


def test_a_line_whose_partners_change_too_often_stops_the_run(tmp_path: Path) -> None:
    """One line of 2016-03 with 7, 11, 13, 15, 16 and 17 partners on its first six days: its
    shares are whole multiples of 1 / (31 * 4,084,080), beyond exact division."""
    data = tmp_path / "data"
    data.mkdir()
    partners = [f"P{number:02d}" for number in range(1, 18)]
    first_day = {partner: 1 for partner in partners[:7]}
    for day, newcomers in enumerate(
        [partners[7:11], partners[11:13], partners[13:15], partners[15:16], partners[16:17]],
        start=2,
    ):
        first_day.update(dict.fromkeys(newcomers, day))
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
        [[f"R{p}", p, "C1", f"2016-03-{day:02d}"] for p, day in first_day.items()],
    )
    with pytest.raises(
        PartnerCreditError,
        match=r"programs\.split: on one revenue line .* "
        r"least common multiple is 4084080",
    ):
        core.run(data, tmp_path / "out", rules=SCENARIO / "rules.toml")
    assert not (tmp_path / "out").exists()
