"""A clean dataset: every row valid, every reference resolved, and it looks like the real thing."""

from __future__ import annotations

import json
import re
from collections import Counter
from fnmatch import fnmatchcase
from functools import cache
from pathlib import Path

from partnercredit.contract import TABLES
from tests.generate.conftest import MONTHS, SUBSCRIPTIONS, Generate
from tests.generate.oracle import read_table, verdicts

# The areas of the built-in default rules (SPEC 6).
AREA_PATTERNS = ("AZURE*", "O365*", "EMS*", "INTUNE*", "CRM*", "DYNAMICS*")
ID_PREFIXES = {
    "partners": "P",
    "customers": "C",
    "subscriptions": "S",
    "revenue": "L",
    "dpor_events": "E",
    "delegated_admin": "R",
    "fasttrack": "F",
    "associations": "A",
}
Rows = list[dict[str, str]]


@cache
def _rows(data_dir: Path, name: str) -> Rows:
    header, lines = read_table(data_dir / f"{name}.csv")
    assert header == list(TABLES[name].column_names)
    return [dict(zip(header, line, strict=True)) for line in lines]


def test_nothing_to_reject(clean_csv: Path) -> None:
    rejected, collapsed, read = verdicts(clean_csv)
    assert not rejected and not +collapsed
    report = json.loads((clean_csv / "generate.json").read_text())
    assert {name: table["rows"] for name, table in report["tables"].items()} == read
    assert report["parameters"]["subscriptions"] == read["subscriptions"] == SUBSCRIPTIONS
    assert report["periods"] == {"first": "2016-03", "last": "2017-04"}


def test_ids_are_unique_and_prefixed(clean_csv: Path) -> None:
    for name, prefix in ID_PREFIXES.items():
        ids = [row[TABLES[name].key[0]] for row in _rows(clean_csv, name)]
        assert len(set(ids)) == len(ids)
        assert all(re.fullmatch(prefix + r"\d{6,}", value) for value in ids)


def test_fx_rates_cover_every_period_and_currency(clean_csv: Path) -> None:
    rates = {(row["period"], row["currency"]) for row in _rows(clean_csv, "fx_rates")}
    periods = {period for period, _ in rates}
    currencies = {currency for _, currency in rates}
    assert len(periods) == MONTHS and "USD" not in currencies
    assert currencies >= {"EUR", "GBP", "CHF", "SEK", "JPY", "AUD"}
    assert rates == {(p, c) for p in periods for c in currencies}


def test_products_fall_in_areas_but_a_few(clean_csv: Path) -> None:
    products = Counter(row["product"] for row in _rows(clean_csv, "revenue"))
    outside = {p for p in products if not any(fnmatchcase(p, a) for a in AREA_PATTERNS)}
    assert outside == {"POWERBI-PRO", "PROJECT-ONLINE", "VISIO-ONLINE"}
    assert sum(products[p] for p in outside) < 0.15 * sum(products.values())
    assert len(products) == 13


def test_revenue_looks_real(clean_csv: Path) -> None:
    lines = _rows(clean_csv, "revenue")
    months = {(row["subscription_id"], row["period"]) for row in lines}
    assert 0.75 < len(lines) / (SUBSCRIPTIONS * MONTHS) < 1.2
    assert 1.1 < len(lines) / len(months) < 1.5  # some O365 lines split by workload
    amounts = [row["amount"] for row in lines]
    assert all(re.fullmatch(r"-?\d+\.\d\d", amount) for amount in amounts)
    assert 0 < sum(amount.startswith("-") for amount in amounts) < 0.01 * len(lines)
    assert {row["workload"] for row in lines} == {"", "EXCHANGE", "SHAREPOINT", "TEAMS"}
    assert not any(row["workload"] for row in lines if row["product"].startswith("AZURE"))
    transacted = sum(bool(row["transacting_partner_id"]) for row in lines)
    assert 0.7 < transacted / len(lines) < 0.95
    # Subscriptions end: fewer lines in the last period than their peak.
    per_period = Counter(row["period"] for row in lines)
    assert len(per_period) == MONTHS


def test_customers_and_partners(clean_csv: Path) -> None:
    countries = Counter(row["country"] for row in _rows(clean_csv, "customers"))
    assert countries.most_common(1)[0][0] == "DE" and len(countries) > 10
    partners = _rows(clean_csv, "partners")
    assert len(partners) == SUBSCRIPTIONS // 40
    assert any(row["parent_partner_id"] for row in partners)
    for table in (partners, _rows(clean_csv, "customers")):
        assert len({row["name"] for row in table}) == len(table)
    categories = Counter(row["category"] for row in _rows(clean_csv, "subscriptions"))
    assert set(categories) == {"", "paid", "trial", "internal", "benefit", "government"}
    assert categories[""] + categories["paid"] > 0.75 * SUBSCRIPTIONS


def test_a_few_giant_partners_and_a_long_tail(generate: Generate) -> None:
    data_dir = generate(subscriptions=20_000)
    assert len(_rows(data_dir, "partners")) == 500
    dpor = Counter(row["partner_id"] for row in _rows(data_dir, "dpor_events") if row["partner_id"])
    counts = sorted(dpor.values(), reverse=True)
    assert counts[0] > 30 * counts[len(counts) // 2]
    assert sum(counts[: len(counts) // 10]) > 0.4 * sum(counts)
    assert counts[-1] <= 3  # the smallest partners have a customer or two


def test_dpor_events_have_every_shape(clean_csv: Path) -> None:
    events = _rows(clean_csv, "dpor_events")
    assert any(not row["partner_id"] for row in events)  # removals
    assert any(row["workload"] for row in events)
    same_day = Counter((row["subscription_id"], row["effective_date"]) for row in events)
    assert max(same_day.values()) > 1
    recorded = [row for row in events if row["recorded_at"]]
    late = [row for row in recorded if row["recorded_at"][:10] > row["effective_date"]]
    assert 0 < len(late) < 0.2 * len(recorded) and len(recorded) < len(events)
    changes = Counter(row["subscription_id"] for row in events)
    assert max(changes.values()) >= 3


def test_links_over_time(clean_csv: Path) -> None:
    admins = _rows(clean_csv, "delegated_admin")
    assert 0 < sum(bool(row["revoked_on"]) for row in admins) < len(admins)
    engagements = _rows(clean_csv, "fasttrack")
    assert 0 < sum(bool(row["workload"]) for row in engagements) < len(engagements)
    links = _rows(clean_csv, "associations")
    assert {row["type"] for row in links} == {"pal"}
    assert all(bool(row["customer_id"]) != bool(row["subscription_id"]) for row in links)
    assert any(row["customer_id"] for row in links) and any(row["subscription_id"] for row in links)


def test_refunds_are_lines_of_their_own_after_the_charge(clean_csv: Path) -> None:
    lines = _rows(clean_csv, "revenue")
    refunds = [n for n, row in enumerate(lines) if row["amount"].startswith("-")]
    assert refunds
    for n in refunds:
        charge, refund = lines[n - 1], lines[n]
        key = ("subscription_id", "period", "product", "workload", "currency")
        assert [charge[k] for k in key] == [refund[k] for k in key]
        assert 0 < -float(refund["amount"]) <= float(charge["amount"])
        assert refund["quantity"] == "0"


def test_trials_end_within_three_months(clean_csv: Path) -> None:
    trials = {
        row["subscription_id"]
        for row in _rows(clean_csv, "subscriptions")
        if row["category"] == "trial"
    }
    months = Counter(
        row["subscription_id"] for row in _rows(clean_csv, "revenue") if not row["workload"]
    )
    billed = [months[subscription] for subscription in trials if subscription in months]
    assert billed and max(billed) <= 3
    assert all(
        row["amount"] == "0.00"
        for row in _rows(clean_csv, "revenue")
        if row["subscription_id"] in trials
    )


def test_workload_links_match_lines_of_that_workload(clean_csv: Path) -> None:
    """A FastTrack engagement or PAL limited to a workload is one of a customer (or
    subscription) billed by workload: it can apply to some line."""
    customer_of = {
        row["subscription_id"]: row["customer_id"] for row in _rows(clean_csv, "subscriptions")
    }
    billed = {
        key
        for row in _rows(clean_csv, "revenue")
        if row["workload"]
        for key in (("C", customer_of[row["subscription_id"]]), ("S", row["subscription_id"]))
    }
    limited = [row for row in _rows(clean_csv, "fasttrack") if row["workload"]]
    limited += [row for row in _rows(clean_csv, "associations") if row["workload"]]
    assert limited
    for row in limited:
        scope = (
            ("S", row["subscription_id"])
            if row.get("subscription_id")
            else ("C", row["customer_id"])
        )
        assert scope in billed
