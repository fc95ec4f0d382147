"""A deliberately naive pandas baseline of the default rules' `competency` credit.

`python -m benchmarks.pandas_baseline DATA_DIR OUT_FILE`

What an analyst would write to compare against the engine: merge, filter, group. It reads the
SPEC input tables (Parquet or CSV) with pandas, converts every amount to USD with fx_rates, drops
the excluded categories, turns dpor_events into intervals per (subscription, workload), takes the
transacting partner of every line and the delegated_admin, fasttrack and associations intervals,
merges them with every line, clips them to the line's month, keeps the types that the policy of
that month counts, lets one DPOR win per day, unions each partner's intervals and credits
`amount_usd * credited_days / days_in_month` to every credited partner (full credit, daily
proration). The ledger (line_id, partner_id, credit_usd) is written to OUT_FILE as Parquet.

Why it is naive, on purpose: plain pandas on whole tables (one big merge per scope, then
filters), dates and amounts parsed column by column, money in float64 rounded with numpy (half
to even on the binary float, so a cent can differ from the engine's exact decimal rounding), no
chunking, no columnar engine, no validation of the inputs (bad rows are not rejected, they simply
fall out of the merges or break the script). It is a speed and memory baseline kept in
benchmarks/ only, never a second implementation of the contract. Known simplifications against
the engine (SPEC 7):
- The policy is taken per month (the one in force on the 1st); the default policies all start on
  the 1st of a month, which the script checks.
- `recorded_at` is compared as text for the DPOR tie-break (ISO strings with `Z` sort right).
- One ledger row per (line, partner), not per (line, partner, association type); no seat credit,
  no unattributed rows, no rollup (the default program credits the partner itself).
- Day explosion (12M lines x 30 days) would not fit in 24 GiB, so days are counted on intervals:
  DPOR exclusivity on elementary segments per line, then a gaps-and-islands union per partner.
"""

from __future__ import annotations

import sys
import tomllib
from datetime import date
from pathlib import Path

import numpy as np
import pandas as pd  # type: ignore[import-untyped,unused-ignore]
import pyarrow.parquet as pq

RULES = Path(__file__).resolve().parents[1] / "src" / "partnercredit" / "rules" / "default.toml"
PROGRAM = "competency"
OPEN_END = pd.Timestamp("2200-01-01")
# Specificity of an association for the DPOR tie-break (SPEC 7.6): lower wins.
SUB_WORKLOAD, SUB, CUSTOMER_WORKLOAD, CUSTOMER = 1, 2, 3, 4

COLUMNS: dict[str, list[str]] = {
    "revenue": [
        "line_id",
        "subscription_id",
        "period",
        "workload",
        "amount",
        "currency",
        "transacting_partner_id",
    ],
    "subscriptions": ["subscription_id", "customer_id", "category"],
    "fx_rates": ["period", "currency", "usd_per_unit"],
    "dpor_events": [
        "event_id",
        "subscription_id",
        "workload",
        "partner_id",
        "effective_date",
        "recorded_at",
    ],
    "delegated_admin": [
        "relationship_id",
        "partner_id",
        "customer_id",
        "granted_on",
        "revoked_on",
        "recorded_at",
    ],
    "fasttrack": [
        "engagement_id",
        "partner_id",
        "customer_id",
        "workload",
        "start_date",
        "end_date",
        "recorded_at",
    ],
    "associations": [
        "association_id",
        "type",
        "partner_id",
        "customer_id",
        "subscription_id",
        "workload",
        "valid_from",
        "valid_to",
        "recorded_at",
    ],
}
# customers and partners are read only to check references (as an analyst would): lines of an
# unknown customer and associations of an unknown partner are dropped.
LOOKUPS = {"customers": ["customer_id"], "partners": ["partner_id"]}


def read_table(data_dir: Path, name: str, columns: list[str]) -> pd.DataFrame:
    """`name.parquet` or `name.csv` as text; a missing optional column or table is null."""
    parquet, csv = data_dir / f"{name}.parquet", data_dir / f"{name}.csv"
    if parquet.exists():
        present = _parquet_columns(parquet)
        wanted = [column for column in columns if column in present]
        frame = pd.read_parquet(parquet, columns=wanted).astype("str")
    elif csv.exists():
        header = pd.read_csv(csv, nrows=0, encoding="utf-8-sig").columns
        wanted = [column for column in columns if column in header]
        frame = pd.read_csv(
            csv,
            usecols=wanted,
            dtype="str",
            keep_default_na=False,
            na_values=[""],
            encoding="utf-8-sig",
        )
    else:
        frame = pd.DataFrame({column: pd.Series([], dtype="str") for column in columns})
    for column in columns:
        if column not in frame.columns:
            frame[column] = pd.Series(pd.NA, index=frame.index, dtype="str")
    return frame[columns]


def _parquet_columns(path: Path) -> set[str]:
    return set(pq.read_schema(path).names)


def to_date(text: pd.Series) -> pd.Series:
    return pd.to_datetime(text, format="%Y-%m-%d")


def load_program() -> tuple[set[str], list[tuple[date, set[str]]]]:
    """Excluded categories and policies of the default rules' competency program."""
    with RULES.open("rb") as handle:
        program = tomllib.load(handle)["programs"][PROGRAM]
    policies = sorted((policy["from"], set(policy["types"])) for policy in program["policies"])
    for start, _ in policies:
        if start.day != 1:
            raise SystemExit(f"policy from {start} does not start on the 1st: not supported here")
    return set(program.get("exclude_categories", [])), policies


def counted_types(periods: pd.Series, policies: list[tuple[date, set[str]]]) -> pd.DataFrame:
    """(period, type) for every type the policy in force in that month counts."""
    rows = []
    for period in sorted(periods.unique()):
        first = date.fromisoformat(f"{period}-01")
        in_force = [types for start, types in policies if start <= first]
        if in_force:
            rows += [(period, kind) for kind in sorted(in_force[-1])]
    return pd.DataFrame(rows, columns=["period", "type"]).astype("str")


def prepare_lines(data_dir: Path, excluded: set[str]) -> pd.DataFrame:
    """Every creditable line in USD, with its customer, month and days in month."""
    revenue = read_table(data_dir, "revenue", COLUMNS["revenue"])
    fx = read_table(data_dir, "fx_rates", COLUMNS["fx_rates"])
    fx = fx[fx["currency"] != "USD"]
    fx = pd.concat(
        [fx, pd.DataFrame({"period": revenue["period"].unique(), "currency": "USD"})],
        ignore_index=True,
    )
    fx["usd_per_unit"] = fx["usd_per_unit"].fillna("1").astype("float64")
    lines = revenue.merge(fx, on=["period", "currency"], how="inner")
    del revenue
    lines["amount_usd"] = np.round(lines["amount"].astype("float64") * lines["usd_per_unit"], 2)
    lines = lines.drop(columns=["amount", "currency", "usd_per_unit"])

    subscriptions = read_table(data_dir, "subscriptions", COLUMNS["subscriptions"])
    subscriptions["category"] = subscriptions["category"].fillna("paid")
    subscriptions = subscriptions[~subscriptions["category"].isin(excluded)]
    lines = lines.merge(subscriptions.drop(columns="category"), on="subscription_id")
    customers = read_table(data_dir, "customers", LOOKUPS["customers"])
    lines = lines[lines["customer_id"].isin(customers["customer_id"])]

    lines["month_start"] = to_date(lines["period"] + "-01")
    lines["month_end"] = lines["month_start"] + pd.offsets.MonthBegin(1)
    lines["days_in_month"] = lines["month_start"].dt.days_in_month
    lines["workload"] = lines["workload"].fillna("")
    return lines.reset_index(drop=True).rename_axis("line_no").reset_index()


def dpor_intervals(data_dir: Path) -> pd.DataFrame:
    """The partner of record per (subscription, workload) from its event until the next one."""
    events = read_table(data_dir, "dpor_events", COLUMNS["dpor_events"])
    events["workload"] = events["workload"].fillna("")
    events["recorded_at"] = events["recorded_at"].fillna(events["effective_date"])
    events = events.sort_values(
        ["subscription_id", "workload", "effective_date", "recorded_at", "event_id"]
    )
    events["valid_to"] = events.groupby(["subscription_id", "workload"])["effective_date"].shift(-1)
    events = events[events["partner_id"].notna()]
    return pd.DataFrame(
        {
            "id": events["event_id"],
            "type": "dpor",
            "partner_id": events["partner_id"],
            "subscription_id": events["subscription_id"],
            "workload": events["workload"],
            "start": to_date(events["effective_date"]),
            "end": to_date(events["valid_to"]).fillna(OPEN_END),
            "recorded_at": events["recorded_at"],
        }
    )


def customer_intervals(data_dir: Path) -> pd.DataFrame:
    """delegated_admin, fasttrack and customer-scoped associations, per customer."""
    admin = read_table(data_dir, "delegated_admin", COLUMNS["delegated_admin"])
    fasttrack = read_table(data_dir, "fasttrack", COLUMNS["fasttrack"])
    other = read_table(data_dir, "associations", COLUMNS["associations"])
    other = other[other["customer_id"].notna()]
    frames = [
        pd.DataFrame(
            {
                "id": admin["relationship_id"],
                "type": "delegated_admin",
                "partner_id": admin["partner_id"],
                "customer_id": admin["customer_id"],
                "workload": "",
                "start": admin["granted_on"],
                "end": admin["revoked_on"],
                "recorded_at": admin["recorded_at"].fillna(admin["granted_on"]),
            }
        ),
        pd.DataFrame(
            {
                "id": fasttrack["engagement_id"],
                "type": "fasttrack",
                "partner_id": fasttrack["partner_id"],
                "customer_id": fasttrack["customer_id"],
                "workload": fasttrack["workload"].fillna(""),
                "start": fasttrack["start_date"],
                "end": fasttrack["end_date"],
                "recorded_at": fasttrack["recorded_at"].fillna(fasttrack["start_date"]),
            }
        ),
        pd.DataFrame(
            {
                "id": other["association_id"],
                "type": other["type"],
                "partner_id": other["partner_id"],
                "customer_id": other["customer_id"],
                "workload": other["workload"].fillna(""),
                "start": other["valid_from"],
                "end": other["valid_to"],
                "recorded_at": other["recorded_at"].fillna(other["valid_from"]),
            }
        ),
    ]
    intervals = pd.concat(frames, ignore_index=True)
    intervals["start"] = to_date(intervals["start"])
    intervals["end"] = to_date(intervals["end"]).fillna(OPEN_END)
    return intervals


def subscription_intervals(data_dir: Path) -> pd.DataFrame:
    """DPOR intervals and subscription-scoped associations, per subscription."""
    other = read_table(data_dir, "associations", COLUMNS["associations"])
    other = other[other["subscription_id"].notna()]
    associations = pd.DataFrame(
        {
            "id": other["association_id"],
            "type": other["type"],
            "partner_id": other["partner_id"],
            "subscription_id": other["subscription_id"],
            "workload": other["workload"].fillna(""),
            "start": to_date(other["valid_from"]),
            "end": to_date(other["valid_to"]).fillna(OPEN_END),
            "recorded_at": other["recorded_at"].fillna(other["valid_from"]),
        }
    )
    return pd.concat([dpor_intervals(data_dir), associations], ignore_index=True)


def match(
    lines: pd.DataFrame,
    intervals: pd.DataFrame,
    key: str,
    ranks: tuple[int, int],
    counted: pd.DataFrame,
) -> pd.DataFrame:
    """Every (line, association) of `key` that applies, clipped to the line's month, of a type
    the month's policy counts."""
    slim = lines[["line_no", key, "period", "workload", "month_start", "month_end"]]
    pairs = slim.merge(intervals, on=key, suffixes=("", "_association"))
    pairs = pairs[
        (pairs["workload_association"] == "") | (pairs["workload_association"] == pairs["workload"])
    ]
    pairs = pairs.merge(counted, on=["period", "type"])
    pairs["start"] = pairs[["start", "month_start"]].max(axis=1)
    pairs["end"] = pairs[["end", "month_end"]].min(axis=1)
    pairs = pairs[pairs["start"] < pairs["end"]]
    pairs["rank"] = np.where(pairs["workload_association"] == "", ranks[1], ranks[0])
    return pairs[["line_no", "id", "type", "partner_id", "start", "end", "recorded_at", "rank"]]


def exclusive_dpor(candidates: pd.DataFrame) -> pd.DataFrame:
    """At most one DPOR per line and day: cut each line's month at every DPOR boundary and keep,
    per piece, the most specific, then latest start, recorded_at and id."""
    starts = candidates[["line_no", "start"]].rename(columns={"start": "cut"})
    ends = candidates[["line_no", "end"]].rename(columns={"end": "cut"})
    cuts = pd.concat([starts, ends]).drop_duplicates().sort_values(["line_no", "cut"])
    cuts["next_cut"] = cuts.groupby("line_no")["cut"].shift(-1)
    pieces = cuts[cuts["next_cut"].notna()]
    covering = pieces.merge(candidates, on="line_no")
    covering = covering[
        (covering["start"] <= covering["cut"]) & (covering["end"] >= covering["next_cut"])
    ]
    covering = covering.sort_values(
        ["line_no", "cut", "rank", "start", "recorded_at", "id"],
        ascending=[True, True, True, False, False, False],
    )
    winners = covering.drop_duplicates(["line_no", "cut"], keep="first")
    return pd.DataFrame(
        {
            "line_no": winners["line_no"],
            "partner_id": winners["partner_id"],
            "start": winners["cut"],
            "end": winners["next_cut"],
        }
    )


def credited_days(intervals: pd.DataFrame) -> pd.DataFrame:
    """Days per (line, partner): the union of its intervals (gaps and islands)."""
    intervals = intervals.sort_values(["line_no", "partner_id", "start"], ignore_index=True)
    keys = [intervals["line_no"], intervals["partner_id"]]
    reach = intervals.groupby(keys)["end"].cummax()
    previous_reach = reach.groupby(keys).shift()
    island = (previous_reach.isna() | (intervals["start"] > previous_reach)).cumsum()
    islands = intervals.groupby(island).agg(
        line_no=("line_no", "first"),
        partner_id=("partner_id", "first"),
        start=("start", "min"),
        end=("end", "max"),
    )
    islands["days"] = (islands["end"] - islands["start"]).dt.days
    return islands.groupby(["line_no", "partner_id"], as_index=False)["days"].sum()


def compute(data_dir: Path) -> pd.DataFrame:
    excluded, policies = load_program()
    lines = prepare_lines(data_dir, excluded)
    counted = counted_types(lines["period"], policies)
    partners = read_table(data_dir, "partners", LOOKUPS["partners"])["partner_id"]

    by_subscription = match(
        lines, subscription_intervals(data_dir), "subscription_id", (SUB_WORKLOAD, SUB), counted
    )
    by_customer = match(
        lines, customer_intervals(data_dir), "customer_id", (CUSTOMER_WORKLOAD, CUSTOMER), counted
    )
    candidates = pd.concat([by_subscription, by_customer], ignore_index=True)
    del by_subscription, by_customer
    candidates = candidates[candidates["partner_id"].isin(partners)]

    transacting = lines[lines["transacting_partner_id"].notna()]
    transacting = transacting[transacting["transacting_partner_id"].isin(partners)]
    transacting = transacting.assign(type="transacting").merge(counted, on=["period", "type"])
    dpor = candidates["type"] == "dpor"
    intervals = pd.concat(
        [
            exclusive_dpor(candidates[dpor]),
            candidates.loc[~dpor, ["line_no", "partner_id", "start", "end"]],
            pd.DataFrame(
                {
                    "line_no": transacting["line_no"],
                    "partner_id": transacting["transacting_partner_id"],
                    "start": transacting["month_start"],
                    "end": transacting["month_end"],
                }
            ),
        ],
        ignore_index=True,
    )
    del candidates, transacting
    days = credited_days(intervals)
    del intervals

    ledger = days.merge(lines[["line_no", "line_id", "amount_usd", "days_in_month"]], on="line_no")
    ledger["credit_usd"] = np.round(
        ledger["amount_usd"] * ledger["days"] / ledger["days_in_month"], 2
    )
    return ledger[["line_id", "partner_id", "credit_usd"]]


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m benchmarks.pandas_baseline DATA_DIR OUT_FILE", file=sys.stderr)
        return 2
    data_dir, out_file = Path(argv[0]), Path(argv[1])
    ledger = compute(data_dir)
    out_file.parent.mkdir(parents=True, exist_ok=True)
    ledger.to_parquet(out_file, index=False)
    total = ledger["credit_usd"].sum()
    print(f"{len(ledger)} rows written to {out_file}, total credit {total:.2f}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
