"""The raw-DuckDB "floor": the least work that still reads every input and writes a
ledger-sized output.

`python -m benchmarks.floor DATA_DIR OUT_FILE`

It uses the `duckdb` package directly (no ibis, no partnercredit code) on an in-memory
connection with default settings. It reads the tables it joins (Parquet or CSV, as text), joins
every revenue line with every association row of its subscription (`dpor_events`,
subscription-scoped `associations`) and, through `subscriptions`, with every customer-level
row of its customer (`delegated_admin`, `fasttrack`, customer-scoped `associations`), and
writes the joined rows to OUT_FILE as Parquet. There is no business logic at all: no fx
conversion, no category exclusion, no DPOR event chaining, no intervals, no policies, no
proration, no rounding. It is deliberately naive: it shows how fast DuckDB alone can move a
ledger's worth of rows through a join on this machine, the lower bound the engine is measured
against.
"""

from __future__ import annotations

import sys
from pathlib import Path

import duckdb

# Every table the floor reads, with the columns it uses (all text).
TABLES: dict[str, tuple[str, ...]] = {
    "revenue": ("line_id", "subscription_id", "period", "amount", "currency"),
    "subscriptions": ("subscription_id", "customer_id"),
    "dpor_events": ("event_id", "subscription_id", "partner_id", "effective_date"),
    "delegated_admin": ("relationship_id", "partner_id", "customer_id", "granted_on", "revoked_on"),
    "fasttrack": ("engagement_id", "partner_id", "customer_id", "start_date", "end_date"),
    "associations": (
        "association_id",
        "type",
        "partner_id",
        "customer_id",
        "subscription_id",
        "valid_from",
        "valid_to",
    ),
}

JOIN = """
COPY (
    SELECT r.line_id, r.period, r.amount, r.currency, a.partner_id, a.type,
           a.valid_from, a.valid_to, a.source_id
    FROM revenue AS r
    JOIN (
        SELECT subscription_id, partner_id, 'dpor' AS type,
               effective_date AS valid_from, NULL AS valid_to, event_id AS source_id
        FROM dpor_events
        UNION ALL
        SELECT subscription_id, partner_id, type, valid_from, valid_to, association_id
        FROM associations
        WHERE subscription_id IS NOT NULL
    ) AS a ON a.subscription_id = r.subscription_id
    UNION ALL
    SELECT r.line_id, r.period, r.amount, r.currency, c.partner_id, c.type,
           c.valid_from, c.valid_to, c.source_id
    FROM revenue AS r
    JOIN subscriptions AS s ON s.subscription_id = r.subscription_id
    JOIN (
        SELECT customer_id, partner_id, 'delegated_admin' AS type,
               granted_on AS valid_from, revoked_on AS valid_to, relationship_id AS source_id
        FROM delegated_admin
        UNION ALL
        SELECT customer_id, partner_id, 'fasttrack', start_date, end_date, engagement_id
        FROM fasttrack
        UNION ALL
        SELECT customer_id, partner_id, type, valid_from, valid_to, association_id
        FROM associations
        WHERE customer_id IS NOT NULL
    ) AS c ON c.customer_id = s.customer_id
) TO '{out}' (FORMAT parquet)
"""


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def register(con: duckdb.DuckDBPyConnection, data_dir: Path, name: str) -> None:
    """A view `name` over `name.parquet` or `name.csv`; empty if the table is absent."""
    columns = TABLES[name]
    parquet, csv = data_dir / f"{name}.parquet", data_dir / f"{name}.csv"
    if parquet.exists():
        source = f"read_parquet({_quote(str(parquet))})"
    elif csv.exists():
        source = f"read_csv({_quote(str(csv))}, header = true, all_varchar = true)"
    else:
        empty = ", ".join(f"NULL::VARCHAR AS {column}" for column in columns)
        con.execute(f"CREATE VIEW {name} AS SELECT {empty} WHERE false")
        return
    present = {row[0] for row in con.execute(f"DESCRIBE SELECT * FROM {source}").fetchall()}
    select = ", ".join(
        column if column in present else f"NULL::VARCHAR AS {column}" for column in columns
    )
    con.execute(f"CREATE VIEW {name} AS SELECT {select} FROM {source}")


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print("usage: python -m benchmarks.floor DATA_DIR OUT_FILE", file=sys.stderr)
        return 2
    data_dir, out_file = Path(argv[0]), Path(argv[1])
    out_file.parent.mkdir(parents=True, exist_ok=True)
    con = duckdb.connect()
    for name in TABLES:
        register(con, data_dir, name)
    result = con.execute(JOIN.format(out=str(out_file).replace("'", "''"))).fetchall()
    rows = int(result[0][0])
    con.close()
    print(f"{rows} rows written to {out_file}")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
