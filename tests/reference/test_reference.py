"""The reference implementation on the SPEC's worked example and on hand-computed cases.

Unless said otherwise a case uses June 2016 (30 days) and 300 USD lines, so one day is 10.00.
"""

from __future__ import annotations

from datetime import UTC, date, datetime
from decimal import Decimal
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from .reference import ReferenceResult, Row, Tables, reference_run

# SPEC section 6, verbatim.
SPEC_RULES = """\
fiscal_year_start_month = 7
proration = "daily"                 # daily | any_day | month_end

[association_types.dpor]
precedence = 1                      # lower wins; unique
exclusive = true                    # at most one association of this type per line and day
retroactive = true                  # false: counts only from the day it was recorded
label = { en = "Digital partner of record", de = "Digital Partner of Record" }
[association_types.transacting]
precedence = 2
[association_types.delegated_admin]
precedence = 3
[association_types.fasttrack]
precedence = 4

[areas]                             # case-sensitive shell-style product patterns; a product may be in several
cloud_platform = ["AZURE*"]
cloud_productivity = ["O365*", "EMS*"]

[programs.competency]
kind = "attainment"
credit = "full"                     # full | split
window_months = 12
rollup = "partner"                  # partner | root: credit the partner itself, or its top parent
exclude_categories = ["trial", "internal", "benefit"]
policies = [
  { from = 2000-01-01, types = ["dpor"] },
  { from = 2016-06-01, types = ["dpor", "transacting", "delegated_admin"] },
  { from = 2016-07-01, types = ["dpor", "transacting", "delegated_admin", "fasttrack"] },
]
[[programs.competency.targets]]
name = "cloud_platform_silver"
area = "cloud_platform"
level = "silver"
revenue_usd = 15000                 # requirement keys: revenue_usd, seats, customers, new_customers
[[programs.competency.targets]]
name = "smb_cloud_silver"
area = "cloud_productivity"
level = "silver"
seats = 40
new_customers = 4                   # every requirement of a target must hold

[programs.incentives]
kind = "payout"
credit = "full"
exclude_categories = ["trial", "internal", "benefit"]
policies = [ { from = 2000-01-01, types = ["dpor"] } ]
rates = [ { area = "cloud_productivity", rate = 0.10 }, { area = "cloud_platform", rate = 0.05 } ]
requires_any = []                   # e.g. ["competency.cloud_platform_silver"]
"""  # noqa: E501

TYPES = """
[association_types.dpor]
precedence = 1
exclusive = true
[association_types.transacting]
precedence = 2
[association_types.delegated_admin]
precedence = 3
[association_types.fasttrack]
precedence = 4
"""
ALL = '["dpor", "transacting", "delegated_admin", "fasttrack"]'


def rules(
    *,
    counted: str = ALL,
    proration: str = "daily",
    credit: str = "full",
    types: str = TYPES,
    program: str = "",
    extra: str = "",
    since: str = "2000-01-01",
) -> str:
    """One attainment program `p`; `program` adds keys to it, `extra` adds tables after it."""
    return f"""proration = "{proration}"
{types}
[areas]
cloud_platform = ["AZURE*"]
cloud_productivity = ["O365*"]
[programs.p]
kind = "attainment"
credit = "{credit}"
exclude_categories = ["trial"]
policies = [{{ from = {since}, types = {counted} }}]
{program}
{extra}
"""


def line(
    line_id: str,
    period: str = "2016-06",
    amount: str = "300",
    *,
    sub: str = "S1",
    product: str = "O365-E3",
    workload: str | None = None,
    quantity: int = 0,
    currency: str = "USD",
    transacting: str | None = None,
) -> Row:
    return {
        "line_id": line_id,
        "subscription_id": sub,
        "period": period,
        "product": product,
        "workload": workload,
        "amount": Decimal(amount),
        "currency": currency,
        "quantity": quantity,
        "transacting_partner_id": transacting,
    }


def dpor(
    event_id: str,
    partner: str | None,
    effective: date,
    *,
    sub: str = "S1",
    recorded_at: datetime | None = None,
) -> Row:
    return {
        "event_id": event_id,
        "subscription_id": sub,
        "workload": None,
        "partner_id": partner,
        "effective_date": effective,
        "recorded_at": recorded_at,
    }


def admin(
    rid: str, partner: str, start: date, end: date | None = None, customer: str = "C1"
) -> Row:
    return {
        "relationship_id": rid,
        "partner_id": partner,
        "customer_id": customer,
        "granted_on": start,
        "revoked_on": end,
        "recorded_at": None,
    }


def fasttrack(eid: str, partner: str, start: date, end: date | None = None) -> Row:
    return {
        "engagement_id": eid,
        "partner_id": partner,
        "customer_id": "C1",
        "workload": None,
        "start_date": start,
        "end_date": end,
        "recorded_at": None,
    }


def assoc(
    aid: str,
    type_: str,
    partner: str,
    start: date,
    *,
    customer: str | None = None,
    sub: str | None = None,
    workload: str | None = None,
    recorded_at: datetime | None = None,
) -> Row:
    return {
        "association_id": aid,
        "type": type_,
        "partner_id": partner,
        "customer_id": customer,
        "subscription_id": sub,
        "workload": workload,
        "valid_from": start,
        "valid_to": None,
        "recorded_at": recorded_at,
    }


def world(
    revenue: list[Row],
    *,
    parents: dict[str, str] | None = None,
    trial: bool = False,
    **tables: list[Row],
) -> Tables:
    """Customers C1 (subscription S1) and C2 (S2, a trial if `trial`), partners P1..P9."""
    parents = parents or {}
    names = [f"P{i}" for i in range(1, 10)] + list(parents) + list(parents.values())
    partners = [
        {"partner_id": p, "name": p, "country": None, "parent_partner_id": parents.get(p)}
        for p in dict.fromkeys(names)
    ]
    return {
        "partners": partners,
        "customers": [{"customer_id": c, "name": c, "country": None} for c in ("C1", "C2")],
        "subscriptions": [
            {"subscription_id": "S1", "customer_id": "C1", "offer": None, "category": "paid"},
            {
                "subscription_id": "S2",
                "customer_id": "C2",
                "offer": None,
                "category": "trial" if trial else "paid",
            },
        ],
        "revenue": revenue,
        **tables,
    }


def credited(result: ReferenceResult, program: str = "p") -> set[tuple[Any, ...]]:
    """(partner, line, type, days, credit_usd, seat_credit) with money as text."""
    return {
        (c.partner_id, c.line_id, c.association_type, c.days, str(c.credit_usd), str(c.seat_credit))
        for c in result.credits
        if c.program == program
    }


def uncredited(result: ReferenceResult, program: str = "p") -> set[tuple[Any, ...]]:
    return {
        (u.line_id, u.reason, u.days, str(u.uncredited_usd))
        for u in result.unattributed
        if u.program == program
    }


def d(month: int, day: int, year: int = 2016) -> date:
    return date(year, month, day)


# ---------------------------------------------------------------- SPEC section 10


MONTHS = ["2016-04", "2016-05", "2016-06", "2016-07", "2016-08", "2016-09"]
DAYS = {"2016-04": 30, "2016-05": 31, "2016-06": 30, "2016-07": 31, "2016-08": 31, "2016-09": 30}


def section_10(p2_also_admin: bool = False) -> Tables:
    admins = [admin("R1", "P3", d(3, 15))]
    if p2_also_admin:
        admins.append(admin("R2", "P2", d(1, 1)))
    return world(
        [line(f"L{m}", m, "1000", transacting="P2") for m in MONTHS],
        dpor_events=[dpor("E1", "P1", d(1, 1)), dpor("E2", "P5", d(9, 11))],
        delegated_admin=admins,
        fasttrack=[fasttrack("F1", "P4", d(5, 1))],
    )


def expected_section_10_credits() -> set[tuple[Any, ...]]:
    # P1 is DPOR all along; in September it keeps days 1..10: 1000 * 10/30 = 333.33,
    # and P5 days 11..30: 1000 * 20/30 = 666.666.. = 666.67.
    # Transacting and delegated_admin count from 2016-06, fasttrack from 2016-07.
    rows: set[tuple[Any, ...]] = set()
    for m in MONTHS:
        n = DAYS[m]
        if m == "2016-09":
            rows |= {
                ("P1", f"L{m}", "dpor", 10, "333.33", "0.00"),
                ("P5", f"L{m}", "dpor", 20, "666.67", "0.00"),
            }
        else:
            rows.add(("P1", f"L{m}", "dpor", n, "1000.00", "0.00"))
        if m >= "2016-06":
            rows |= {
                ("P2", f"L{m}", "transacting", n, "1000.00", "0.00"),
                ("P3", f"L{m}", "delegated_admin", n, "1000.00", "0.00"),
            }
        if m >= "2016-07":
            rows.add(("P4", f"L{m}", "fasttrack", n, "1000.00", "0.00"))
    return rows


def test_section_10_competency_credits() -> None:
    result = reference_run(SPEC_RULES, section_10())
    assert credited(result, "competency") == expected_section_10_credits()
    assert {c.amount_usd for c in result.credits} == {Decimal("1000.00")}
    assert {c.days_in_period for c in result.credits if c.period == "2016-09"} == {30}
    # P1 (then P5) covers every day, so nothing is left unattributed in either program.
    assert result.unattributed == []


def test_section_10_incentives() -> None:
    result = reference_run(SPEC_RULES, section_10())
    # DPOR only: P1 1000 a month, then 333.33 / 666.67 in September.
    assert credited(result, "incentives") == {
        r for r in expected_section_10_credits() if r[2] == "dpor"
    }
    # 10% (cloud_productivity holds O365-E3): 100.00; 33.333 -> 33.33; 66.667 -> 66.67.
    payouts = {
        (
            p.partner_id,
            p.period,
            p.area,
            str(p.eligible_usd),
            str(p.rate),
            str(p.earned_usd),
            p.blocked_reason,
        )
        for p in result.payouts
    }
    assert payouts == {
        *{("P1", m, "cloud_productivity", "1000.00", "0.10", "100.00", "") for m in MONTHS[:-1]},
        ("P1", "2016-09", "cloud_productivity", "333.33", "0.10", "33.33", ""),
        ("P5", "2016-09", "cloud_productivity", "666.67", "0.10", "66.67", ""),
    }


def test_section_10_attainment() -> None:
    result = reference_run(SPEC_RULES, section_10())
    # Only smb_cloud_silver (cloud_productivity) has ledger rows. Revenue accumulates in the
    # 12-month window; seats are 0 (quantity 0) so it is never attained; C1 is the one
    # customer, new since nothing was credited in the 12 months before the window.
    running = {
        "P1": ["1000.00", "2000.00", "3000.00", "4000.00", "5000.00", "5333.33"],
        "P2": ["1000.00", "2000.00", "3000.00", "4000.00"],
        "P3": ["1000.00", "2000.00", "3000.00", "4000.00"],
        "P4": ["1000.00", "2000.00", "3000.00"],
        "P5": ["666.67"],
    }
    expected = {
        (
            partner,
            "smb_cloud_silver",
            "cloud_productivity",
            "silver",
            e,
            f"{int(e[:4]) - 1}-{int(e[5:]) + 1:02d}",
            e,
            revenue,
            "0.00",
            1,
            1,
            False,
        )
        for partner, revenues in running.items()
        for e, revenue in zip(MONTHS[-len(revenues) :], revenues, strict=True)
    }
    assert {
        (
            a.partner_id,
            a.target,
            a.area,
            a.level,
            a.as_of_period,
            a.window_start,
            a.window_end,
            str(a.revenue_usd),
            str(a.seats),
            a.customers,
            a.new_customers,
            a.attained,
        )
        for a in result.attainment
    } == expected
    assert {a.program for a in result.attainment} == {"competency"}


def test_section_10_p2_also_delegated_admin_changes_nothing() -> None:
    plain = reference_run(SPEC_RULES, section_10())
    # P2 is credited once, as transacting (precedence 2 beats delegated_admin's 3).
    both = reference_run(SPEC_RULES, section_10(p2_also_admin=True))
    for table in ("credits", "unattributed", "attainment", "payouts"):
        assert set(getattr(both, table)) == set(getattr(plain, table))


# ---------------------------------------------------------------- association sources


def test_same_day_dpor_events() -> None:
    # S1: E2 (09:00) sorts before E1 (10:00), so E1's P1 is the one in force.
    # S2: no recorded_at, so both sort on the day's start; "X9" > "X10" as text -> P3.
    tables = world(
        [line("L1"), line("L2", sub="S2")],
        dpor_events=[
            dpor("E1", "P1", d(6, 1), recorded_at=datetime(2016, 6, 1, 10, tzinfo=UTC)),
            dpor("E2", "P2", d(6, 1), recorded_at=datetime(2016, 6, 1, 9, tzinfo=UTC)),
            dpor("X9", "P3", d(6, 1), sub="S2"),
            dpor("X10", "P4", d(6, 1), sub="S2"),
        ],
    )
    result = reference_run(rules(), tables)
    assert credited(result) == {
        ("P1", "L1", "dpor", 30, "300.00", "0.00"),
        ("P3", "L2", "dpor", 30, "300.00", "0.00"),
    }
    assert result.unattributed == []


def test_dpor_removal_leaves_nobody_until_the_next_event() -> None:
    # P1 days 1..10 = 100.00; removal: days 11..20 nobody = 100.00; P2 days 21..30 = 100.00.
    tables = world(
        [line("L1")],
        dpor_events=[
            dpor("E1", "P1", d(1, 1)),
            dpor("E2", None, d(6, 11)),
            dpor("E3", "P2", d(6, 21)),
        ],
    )
    result = reference_run(rules(), tables)
    assert credited(result) == {
        ("P1", "L1", "dpor", 10, "100.00", "0.00"),
        ("P2", "L1", "dpor", 10, "100.00", "0.00"),
    }
    assert uncredited(result) == {("L1", "no_association", 10, "100.00")}


def test_late_dpor_change_leaves_a_gap_when_not_retroactive() -> None:
    # P2 takes over on 06-11 but was recorded 06-20 23:30 UTC: P2 counts from 06-20 and P1
    # still ends on 06-11. P1 days 1..10 = 100.00, gap 11..19 = 90.00, P2 20..30 = 110.00.
    types = TYPES.replace("exclusive = true", "exclusive = true\nretroactive = false")
    tables = world(
        [line("L1")],
        dpor_events=[
            dpor("E1", "P1", d(1, 1)),
            dpor("E2", "P2", d(6, 11), recorded_at=datetime(2016, 6, 20, 23, 30, tzinfo=UTC)),
        ],
    )
    result = reference_run(rules(types=types), tables)
    assert credited(result) == {
        ("P1", "L1", "dpor", 10, "100.00", "0.00"),
        ("P2", "L1", "dpor", 11, "110.00", "0.00"),
    }
    assert uncredited(result) == {("L1", "no_association", 9, "90.00")}


PAL = (
    TYPES.replace("precedence = 2", "precedence = 2\nexclusive = true")
    + """
[association_types.pal]
precedence = 5
exclusive = true
"""
)


def test_exclusive_tie_breaking() -> None:
    # Line L1 has workload W1 and transacting partner P7. Type pal, exclusive:
    #   days 1..5   A9 (subscription+W1) beats A11 (subscription, later start), A2, A1 P9 50.00
    #   days 6..10  A2 (customer+W1) beats A1 (customer)                            P2 50.00
    #   days 11..15 A3 (subscription) beats A2, A1                                  P3 50.00
    #   days 16..20 A4, A5 start later than A3; A4 recorded later than A5           P5 50.00
    #   days 21..30 A6, A10 start latest, same recorded_at; "A6" > "A10" as text    P6 100.00
    #   A8 is for workload W2: never.
    # Type transacting, exclusive: the line's own P7 beats T1 (subscription) although T1
    # starts later: P7 300.00 every day.
    late = datetime(2016, 6, 16, 12, tzinfo=UTC)
    tables = world(
        [line("L1", workload="W1", transacting="P7")],
        associations=[
            assoc("A1", "pal", "P1", d(6, 1), customer="C1"),
            assoc("A2", "pal", "P2", d(6, 1), customer="C1", workload="W1"),
            assoc("A3", "pal", "P3", d(6, 11), sub="S1"),
            assoc("A4", "pal", "P5", d(6, 16), sub="S1", recorded_at=late),
            assoc("A5", "pal", "P4", d(6, 16), sub="S1"),
            assoc("A6", "pal", "P6", d(6, 21), sub="S1"),
            assoc("A10", "pal", "P7", d(6, 21), sub="S1"),
            assoc("A8", "pal", "P8", d(6, 1), sub="S1", workload="W2"),
            assoc("A9", "pal", "P9", d(6, 1), sub="S1", workload="W1") | {"valid_to": d(6, 6)},
            assoc("A11", "pal", "P1", d(6, 2), sub="S1") | {"valid_to": d(6, 6)},
            assoc("T1", "transacting", "P8", d(6, 2), sub="S1"),
        ],
    )
    result = reference_run(rules(types=PAL, counted='["pal", "transacting"]'), tables)
    assert credited(result) == {
        ("P9", "L1", "pal", 5, "50.00", "0.00"),
        ("P2", "L1", "pal", 5, "50.00", "0.00"),
        ("P3", "L1", "pal", 5, "50.00", "0.00"),
        ("P5", "L1", "pal", 5, "50.00", "0.00"),
        ("P6", "L1", "pal", 10, "100.00", "0.00"),
        ("P7", "L1", "transacting", 30, "300.00", "0.00"),
    }


def test_exclusive_latest_start_is_after_retroactive_clipping() -> None:
    # A1 is valid from 06-01 but recorded 06-16: it starts 06-16, later than A2 (06-11).
    # Days 1..10 nobody = 100.00; 11..15 A2 -> P2 50.00; 16..30 A1 -> P1 150.00.
    types = PAL.replace(
        "precedence = 5\nexclusive = true", "precedence = 5\nexclusive = true\nretroactive = false"
    )
    tables = world(
        [line("L1")],
        associations=[
            assoc(
                "A1", "pal", "P1", d(6, 1), sub="S1", recorded_at=datetime(2016, 6, 16, tzinfo=UTC)
            ),
            assoc("A2", "pal", "P2", d(6, 11), sub="S1"),
        ],
    )
    result = reference_run(rules(types=types, counted='["pal"]'), tables)
    assert credited(result) == {
        ("P2", "L1", "pal", 5, "50.00", "0.00"),
        ("P1", "L1", "pal", 15, "150.00", "0.00"),
    }
    assert uncredited(result) == {("L1", "no_association", 10, "100.00")}


# ---------------------------------------------------------------- proration


def three_partners(proration: str = "daily") -> Tables:
    # P1 DPOR all month; P2 delegated admin 06-11..06-25; P3 FastTrack from 06-21.
    return world(
        [line("L1", quantity=18)],
        dpor_events=[dpor("E1", "P1", d(1, 1))],
        delegated_admin=[admin("R1", "P2", d(6, 11), d(6, 26))],
        fasttrack=[fasttrack("F1", "P3", d(6, 21))],
    )


def test_split_daily_with_varying_number_of_partners() -> None:
    # n = 1 on days 1..10, 2 on 11..20 (P1, P2), 3 on 21..25, 2 on 26..30 (P1, P3).
    # P1: 10/30 + 10/60 + 5/90 + 5/60 = 115/180 -> 300 * 115/180 = 191.666.. = 191.67,
    #     seats 18 * 115/180 = 11.50
    # P2: 10/60 + 5/90 = 40/180 -> 66.666.. = 66.67, seats 4.00
    # P3: 5/90 + 5/60 = 25/180 -> 41.666.. = 41.67, seats 2.50 (total 300.01: one cent a row)
    result = reference_run(rules(credit="split"), three_partners())
    assert credited(result) == {
        ("P1", "L1", "dpor", 30, "191.67", "11.50"),
        ("P2", "L1", "delegated_admin", 15, "66.67", "4.00"),
        ("P3", "L1", "fasttrack", 10, "41.67", "2.50"),
    }


def test_any_day_full_and_split() -> None:
    # Everyone credited on some day counts for the whole month, days = 30.
    full = reference_run(rules(proration="any_day"), three_partners())
    assert credited(full) == {
        ("P1", "L1", "dpor", 30, "300.00", "18.00"),
        ("P2", "L1", "delegated_admin", 30, "300.00", "18.00"),
        ("P3", "L1", "fasttrack", 30, "300.00", "18.00"),
    }
    split = reference_run(rules(proration="any_day", credit="split"), three_partners())
    assert credited(split) == {
        ("P1", "L1", "dpor", 30, "100.00", "6.00"),
        ("P2", "L1", "delegated_admin", 30, "100.00", "6.00"),
        ("P3", "L1", "fasttrack", 30, "100.00", "6.00"),
    }


def test_any_day_best_type_and_per_day_reasons() -> None:
    # Policy from 06-16. L1: P1 is DPOR until 06-21 and delegated admin all along: its best
    # type in June is dpor; P2 FastTrack from 06-21; split between 2 -> 150.00 each.
    # L2 (C2) has nobody: days 1..15 no_policy = 150.00, days 16..30 no_association = 150.00.
    tables = world(
        [line("L1"), line("L2", sub="S2")],
        dpor_events=[dpor("E1", "P1", d(1, 1)), dpor("E2", None, d(6, 21))],
        delegated_admin=[admin("R1", "P1", d(1, 1))],
        fasttrack=[fasttrack("F1", "P2", d(6, 21))],
    )
    result = reference_run(rules(proration="any_day", credit="split", since="2016-06-16"), tables)
    assert credited(result) == {
        ("P1", "L1", "dpor", 30, "150.00", "0.00"),
        ("P2", "L1", "fasttrack", 30, "150.00", "0.00"),
    }
    assert uncredited(result) == {
        ("L2", "no_policy", 15, "150.00"),
        ("L2", "no_association", 15, "150.00"),
    }


def test_month_end_last_day_decides() -> None:
    # June: P2 becomes DPOR on 06-30 and P3 holds admin rights on 06-30 only: both get the
    # whole month (full): 300.00, days 30; P1 (29 days) gets nothing.
    # July (31 days, 310): DPOR removed on 07-31 -> no_association for all 31 days, 310.00.
    tables = world(
        [line("L1"), line("L2", "2016-07", "310")],
        dpor_events=[
            dpor("E1", "P1", d(1, 1)),
            dpor("E2", "P2", d(6, 30)),
            dpor("E3", None, d(7, 31)),
        ],
        delegated_admin=[admin("R1", "P3", d(6, 30), d(7, 1))],
    )
    result = reference_run(rules(proration="month_end"), tables)
    assert credited(result) == {
        ("P2", "L1", "dpor", 30, "300.00", "0.00"),
        ("P3", "L1", "delegated_admin", 30, "300.00", "0.00"),
    }
    assert uncredited(result) == {("L2", "no_association", 31, "310.00")}


# ---------------------------------------------------------------- policies, categories, fx


def test_unattributed_reasons_in_order() -> None:
    # Policy (dpor only) from 06-11. L1 (paid): days 1..10 no_policy, 11..20 nothing applies,
    # 21..30 only FastTrack (not counted): 100.00 each. L2 (trial): excluded_category first,
    # all 30 days = 300.00.
    tables = world(
        [line("L1"), line("L2", sub="S2")], trial=True, fasttrack=[fasttrack("F1", "P4", d(6, 21))]
    )
    result = reference_run(rules(counted='["dpor"]', since="2016-06-11"), tables)
    assert result.credits == []
    assert uncredited(result) == {
        ("L1", "no_policy", 10, "100.00"),
        ("L1", "no_association", 10, "100.00"),
        ("L1", "type_not_counted", 10, "100.00"),
        ("L2", "excluded_category", 30, "300.00"),
    }


def test_fx_rounds_half_even_once() -> None:
    # 0.05 EUR * 0.5 = 0.025 -> 0.02; 0.15 EUR * 0.5 = 0.075 -> 0.08; a USD fx row is ignored.
    tables = world(
        [
            line("L1", amount="0.05", currency="EUR"),
            line("L2", amount="0.15", currency="EUR"),
            line("L3", amount="1"),
        ],
        dpor_events=[dpor("E1", "P1", d(1, 1))],
        fx_rates=[
            {"period": "2016-06", "currency": "EUR", "usd_per_unit": Decimal("0.5")},
            {"period": "2016-06", "currency": "USD", "usd_per_unit": Decimal(2)},
        ],
    )
    result = reference_run(rules(), tables)
    assert {(c.line_id, str(c.amount_usd), str(c.credit_usd)) for c in result.credits} == {
        ("L1", "0.02", "0.02"),
        ("L2", "0.08", "0.08"),
        ("L3", "1.00", "1.00"),
    }


# ---------------------------------------------------------------- rollup


def test_rollup_root_credits_an_organisation_once() -> None:
    # HQ <- L1 <- L2. L1 is DPOR, L2 holds admin rights, P9 runs FastTrack. Rolled up, HQ is
    # one partner (type dpor, the better of the two): split between HQ and P9, 150.00 each.
    tables = world(
        [line("X1")],
        parents={"L1": "HQ", "L2": "L1"},
        dpor_events=[dpor("E1", "L1", d(1, 1))],
        delegated_admin=[admin("R1", "L2", d(1, 1))],
        fasttrack=[fasttrack("F1", "P9", d(1, 1))],
    )
    result = reference_run(rules(credit="split", program='rollup = "root"'), tables)
    assert credited(result) == {
        ("HQ", "X1", "dpor", 30, "150.00", "0.00"),
        ("P9", "X1", "fasttrack", 30, "150.00", "0.00"),
    }


# ---------------------------------------------------------------- targets and payouts


def test_refund_makes_a_customer_sum_zero() -> None:
    # June +100, July -100 on C1 (AZURE). As of 06: revenue 100.00, 1 customer, attained.
    # As of 07: revenue 0.00, C1 sums to 0 -> 0 customers, not attained.
    # Payouts at 5%: 100.00 -> 5.00; -100.00 -> -5.00.
    extra = """
[[programs.p.targets]]
name = "platform"
area = "cloud_platform"
level = "silver"
customers = 1
[programs.pay]
kind = "payout"
policies = [{ from = 2000-01-01, types = ["dpor"] }]
rates = [{ area = "cloud_platform", rate = 0.05 }]
"""
    tables = world(
        [
            line("L1", amount="100", product="AZURE-VM"),
            line("L2", "2016-07", "-100", product="AZURE-VM"),
        ],
        dpor_events=[dpor("E1", "P1", d(1, 1))],
    )
    result = reference_run(rules(extra=extra), tables)
    assert {
        (a.as_of_period, str(a.revenue_usd), a.customers, a.new_customers, a.attained)
        for a in result.attainment
    } == {("2016-06", "100.00", 1, 1, True), ("2016-07", "0.00", 0, 0, False)}
    assert {(p.period, str(p.eligible_usd), str(p.earned_usd)) for p in result.payouts} == {
        ("2016-06", "100.00", "5.00"),
        ("2016-07", "-100.00", "-5.00"),
    }


def test_new_customers_across_the_window_boundary() -> None:
    # window_months = 2. C1: 100 in 2016-01 and 100 in 2016-04; C2: 50 in 2016-05.
    #   E=01 W=2015-12..01: 100.00, C1 new (nothing in 2015-10..11)           -> 1 new
    #   E=02 W=01..02:      100.00, C1 new (nothing in 2015-11..12)           -> 1 new
    #   E=03 W=02..03:      no ledger row in the window -> no attainment row
    #   E=04 W=03..04:      100.00, C1 had 100 in 01..02 -> not new           -> 0 new
    #   E=05 W=04..05:      150.00, C1 nothing in 02..03, C2 new -> 2 new, attained
    program = """window_months = 2
[[programs.p.targets]]
name = "growth"
area = "cloud_productivity"
level = "gold"
new_customers = 2
"""
    tables = world(
        [
            line("L1", "2016-01", "100"),
            line("L2", "2016-04", "100"),
            line("L3", "2016-05", "50", sub="S2"),
        ],
        dpor_events=[dpor("E1", "P1", d(1, 1, 2015)), dpor("E2", "P1", d(1, 1, 2015), sub="S2")],
    )
    result = reference_run(rules(program=program), tables)
    assert {
        (
            a.as_of_period,
            a.window_start,
            str(a.revenue_usd),
            a.customers,
            a.new_customers,
            a.attained,
        )
        for a in result.attainment
    } == {
        ("2016-01", "2015-12", "100.00", 1, 1, False),
        ("2016-02", "2016-01", "100.00", 1, 1, False),
        ("2016-04", "2016-03", "100.00", 1, 0, False),
        ("2016-05", "2016-04", "150.00", 2, 2, True),
    }


def test_fractional_minimums_need_the_next_whole_cent() -> None:
    # Money and seat credit are whole cents, so revenue_usd = 10.001 needs 10.01 and
    # seats = 2.005 needs 2.01. window_months = 1, P1 is DPOR of every line:
    #   06: 10.00 and 3.00 seats -> revenue short;  07: 10.01 and 2.00 -> seats short;
    #   08: 10.009 is 10.01 USD, 3.00 seats -> attained.
    program = """window_months = 1
[[programs.p.targets]]
name = "silver"
area = "cloud_productivity"
level = "silver"
revenue_usd = 10.001
seats = 2.005
"""
    tables = world(
        [
            line("L1", "2016-06", "10.00", quantity=3),
            line("L2", "2016-07", "10.01", quantity=2),
            line("L3", "2016-08", "10.009", quantity=3),
        ],
        dpor_events=[dpor("E1", "P1", d(1, 1))],
    )
    result = reference_run(rules(program=program), tables)
    assert {
        (a.as_of_period, str(a.revenue_usd), str(a.seats), a.attained) for a in result.attainment
    } == {
        ("2016-06", "10.00", "3.00", False),
        ("2016-07", "10.01", "2.00", False),
        ("2016-08", "10.01", "3.00", True),
    }


def test_requires_any_blocks_then_unblocks() -> None:
    # Competency rolls up to HQ; incentives credit the location L1 (the DPOR).
    # HQ: 600.00 as of 06 (< 1000, not attained), 1200.00 as of 07 (attained).
    # L1 June: blocked, earned 0.00; July: 600.00 * 0.05 = 30.00. "other" never attains.
    extra = """
[[programs.p.targets]]
name = "platform"
area = "cloud_platform"
level = "silver"
revenue_usd = 1000
[[programs.p.targets]]
name = "other"
area = "cloud_productivity"
level = "silver"
revenue_usd = 1
[programs.pay]
kind = "payout"
policies = [{ from = 2000-01-01, types = ["dpor"] }]
rates = [{ area = "cloud_platform", rate = 0.05 }]
requires_any = ["p.platform", "p.other"]
"""
    tables = world(
        [
            line("X1", "2016-06", "600", product="AZURE-VM"),
            line("X2", "2016-07", "600", product="AZURE-VM"),
        ],
        parents={"L1": "HQ"},
        dpor_events=[dpor("E1", "L1", d(1, 1))],
    )
    result = reference_run(rules(program='rollup = "root"', extra=extra), tables)
    assert {
        (a.partner_id, a.target, a.as_of_period, str(a.revenue_usd), a.attained)
        for a in result.attainment
    } == {
        ("HQ", "platform", "2016-06", "600.00", False),
        ("HQ", "platform", "2016-07", "1200.00", True),
    }
    assert {
        (p.partner_id, p.period, str(p.eligible_usd), str(p.earned_usd), p.blocked_reason)
        for p in result.payouts
    } == {
        ("L1", "2016-06", "600.00", "0.00", "p.platform, p.other"),
        ("L1", "2016-07", "600.00", "30.00", ""),
    }


# ---------------------------------------------------------------- a property of SPEC 7


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.sampled_from(["dpor", "admin", "fasttrack"]),
            st.sampled_from(["P1", "P2", "P3"]),
            st.integers(1, 30),
            st.integers(1, 31),
        ),
        max_size=6,
    ),
    st.integers(-100_000, 100_000),
    st.sampled_from(["daily", "any_day", "month_end"]),
)
def test_split_never_over_credits(
    spans: list[tuple[str, str, int, int]], cents_: int, proration: str
) -> None:
    # SPEC 7: under split, credits + uncredited = amount_usd up to one cent per row.
    sources: dict[str, list[Row]] = {"dpor_events": [], "delegated_admin": [], "fasttrack": []}
    for i, (kind, partner, start, length) in enumerate(spans):
        end = d(6, start + length) if start + length <= 30 else None
        if kind == "dpor":
            sources["dpor_events"].append(dpor(f"E{i}", partner, d(6, start)))
        elif kind == "admin":
            sources["delegated_admin"].append(admin(f"R{i}", partner, d(6, start), end))
        else:
            sources["fasttrack"].append(fasttrack(f"F{i}", partner, d(6, start), end))
    amount = Decimal(cents_).scaleb(-2)
    result = reference_run(
        rules(credit="split", proration=proration),
        world(
            [line("L1", amount=str(amount))],
            dpor_events=sources["dpor_events"],
            delegated_admin=sources["delegated_admin"],
            fasttrack=sources["fasttrack"],
        ),
    )
    total = sum(c.credit_usd for c in result.credits) + sum(
        u.uncredited_usd for u in result.unattributed
    )
    rows = len(result.credits) + len(result.unattributed)
    assert abs(total - amount) <= Decimal("0.01") * rows
