"""Hand-made tiny runs for explanation tests: a few rows of CSV text and the rules."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

from partnercredit import core

BASE_TABLES = {
    "partners": "partner_id,name,country,parent_partner_id\n"
    "P1,Partner One,US,\nP2,Partner Two,US,\nP3,Partner Three,US,\n",
    "customers": "customer_id,name,country\nC1,Customer One,US\n",
    "subscriptions": "subscription_id,customer_id,offer,category\nS1,C1,Offer,paid\n",
}
"""Partners P1-P3 and customer C1 with subscription S1 (paid)."""

TYPES_RULES = """
[association_types.dpor]
precedence = 1
exclusive = true
[association_types.transacting]
precedence = 2
[association_types.delegated_admin]
precedence = 3
[areas]
all = ["*"]
"""
"""The start of rules: dpor (exclusive), transacting and delegated_admin; one area, every
product."""

PRORATION_RULES = (
    'proration = "{proration}"'
    + TYPES_RULES
    + """[programs.full]
kind = "attainment"
policies = [
  {{ from = 2000-01-01, types = ["dpor", "delegated_admin"] }},
  {{ from = 2016-04-16, types = ["dpor", "delegated_admin", "transacting"] }},
]
[programs.split]
kind = "attainment"
credit = "split"
policies = [
  {{ from = 2000-01-01, types = ["dpor", "delegated_admin"] }},
  {{ from = 2016-04-16, types = ["dpor", "delegated_admin", "transacting"] }},
]
"""
)
"""Rules for PRORATION_TABLES, to be formatted with a `proration`."""

PRORATION_TABLES = {
    "customers": BASE_TABLES["customers"] + "C2,Customer Two,US\n",
    "subscriptions": BASE_TABLES["subscriptions"] + "S2,C2,Offer,paid\n",
    "revenue": "line_id,subscription_id,period,product,workload,amount,currency,quantity,"
    "transacting_partner_id\n"
    "L1,S1,2016-04,X1,,100.00,USD,,P3\n"
    "L2,S2,2016-04,X1,,100.00,USD,,\n",
    "dpor_events": "event_id,subscription_id,workload,partner_id,effective_date,recorded_at\n"
    "E1,S1,,P1,2016-01-01,\nE2,S1,,,2016-04-11,\nE3,S1,,P2,2016-04-25,\n"
    "G1,S2,,P1,2016-04-01,\nG2,S2,,,2016-04-20,\n",
    "delegated_admin": "relationship_id,partner_id,customer_id,granted_on,revoked_on,recorded_at\n"
    "R1,P2,C1,2016-04-21,,\n",
}
"""S1 (customer C1): P1 is partner of record from 2016-01-01 until its removal on 2016-04-11, P2
from 2016-04-25; P2 holds delegated admin rights on C1 from 2016-04-21; P3 transacts L1.
Subscription S2 (customer C2): P1 is partner of record from 2016-04-01 until its removal on
2016-04-20. The policy counts dpor and delegated_admin, and transacting from 2016-04-16.
"""


ProratedRun = Callable[[str], Path]
"""The run of PRORATION_TABLES under a proration (fixture `prorated_run`)."""


def tiny_run(folder: Path, rules: str, **tables: str) -> Path:
    """Run `rules` over BASE_TABLES and `tables` (CSV text by table name) into folder/out."""
    data = folder / "data"
    data.mkdir(parents=True)
    for name, text in {**BASE_TABLES, **tables}.items():
        (data / f"{name}.csv").write_text(text, encoding="utf-8")
    rules_file = folder / "rules.toml"
    rules_file.write_text(rules, encoding="utf-8")
    core.run(data, folder / "out", rules=rules_file, output_format="csv")
    return folder / "out"
