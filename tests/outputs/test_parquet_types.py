"""A Parquet run's files have the types SPEC 9 and docs/data-contract.md give them: periods as
`YYYY-MM` text, dates as DATE (the kept inputs too), money as DECIMAL(18,2), rates as
DECIMAL(18,8) (docs/rules.md), booleans as BOOLEAN; and the credits are sorted by program,
partner and period, so that a reader of one partner skips the other row groups (README.md)."""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from partnercredit import run
from partnercredit.generate import generate_dataset

pytestmark = pytest.mark.slow

# Enough subscriptions for more than two row groups of credits (DuckDB writes 122,880 rows to
# a row group): over 250,000 credit rows, a run of a few seconds.
SUBSCRIPTIONS = 12_000

Check = Callable[[pa.DataType], bool]


def _period(data_type: pa.DataType) -> bool:
    """Text, as TEXT; each value is then checked to be `YYYY-MM` on the rows (a function of
    its own, so that it can be told apart from TEXT)."""
    return bool(pa.types.is_string(data_type))


TEXT: Check = pa.types.is_string
PERIOD: Check = _period
INT: Check = pa.types.is_integer
MONEY: Check = pa.decimal128(18, 2).equals
RATE: Check = pa.decimal128(18, 8).equals
BOOL: Check = pa.types.is_boolean
DATE: Check = pa.types.is_date32

OUTPUTS: dict[str, dict[str, Check]] = {
    "credits": {
        "program": TEXT,
        "partner_id": TEXT,
        "line_id": TEXT,
        "subscription_id": TEXT,
        "customer_id": TEXT,
        "period": PERIOD,
        "product": TEXT,
        "workload": TEXT,
        "association_type": TEXT,
        "days": INT,
        "days_in_period": INT,
        "amount_usd": MONEY,
        "credit_usd": MONEY,
        "seat_credit": MONEY,
    },
    "unattributed": {
        "program": TEXT,
        "line_id": TEXT,
        "subscription_id": TEXT,
        "customer_id": TEXT,
        "period": PERIOD,
        "reason": TEXT,
        "days": INT,
        "uncredited_usd": MONEY,
    },
    "attainment": {
        "program": TEXT,
        "partner_id": TEXT,
        "target": TEXT,
        "area": TEXT,
        "level": TEXT,
        "as_of_period": PERIOD,
        "window_start": PERIOD,
        "window_end": PERIOD,
        "revenue_usd": MONEY,
        "seats": MONEY,
        "customers": INT,
        "new_customers": INT,
        "attained": BOOL,
    },
    "payouts": {
        "program": TEXT,
        "partner_id": TEXT,
        "period": PERIOD,
        "area": TEXT,
        "eligible_usd": MONEY,
        "rate": RATE,
        "earned_usd": MONEY,
        "blocked_reason": TEXT,
    },
    "rejected": {
        "table": TEXT,
        "row_number": INT,
        "key": TEXT,
        "column": TEXT,
        "value": TEXT,
        "reason": TEXT,
        "message": TEXT,
    },
}
# The kept inputs' dates and periods (their other columns are the engine's business).
INPUTS: dict[str, dict[str, Check]] = {
    "revenue": {"period": PERIOD},
    "fx_rates": {"period": PERIOD},
    "dpor_events": {"effective_date": DATE},
    "delegated_admin": {"granted_on": DATE, "revoked_on": DATE},
    "fasttrack": {"start_date": DATE, "end_date": DATE},
    "associations": {"valid_from": DATE, "valid_to": DATE},
}
PERIOD_TEXT = re.compile(r"^[0-9]{4}-(0[1-9]|1[0-2])$")


@pytest.fixture(scope="module")
def run_dir(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One run of a generated dataset (Parquet in, Parquet out, the built-in rules; a few
    messy rows, so that `rejected` has rows too)."""
    base = tmp_path_factory.mktemp("parquet_types")
    generate_dataset(
        base / "data", subscriptions=SUBSCRIPTIONS, seed=7, messy=0.01, file_format="parquet"
    )
    run(base / "data", base / "out")
    return base / "out"


def _assert_types(path: Path, checks: dict[str, Check], *, every_column: bool) -> None:
    schema = pq.read_schema(path)
    if every_column:
        assert schema.names == list(checks), path.name
    for name, check in checks.items():
        assert check(schema.field(name).type), f"{path.name}: {name} is {schema.field(name).type}"
    assert pq.ParquetFile(path).metadata.num_rows > 0, path.name
    periods = [name for name, check in checks.items() if check is PERIOD]
    rows = pq.read_table(path, columns=periods)
    for name in periods:
        bad = {value for value in rows.column(name).to_pylist() if not PERIOD_TEXT.match(value)}
        assert not bad, f"{path.name}: {name} holds {sorted(bad)[:5]}"


@pytest.mark.parametrize("table", list(OUTPUTS))
def test_output_types(run_dir: Path, table: str) -> None:
    _assert_types(run_dir / f"{table}.parquet", OUTPUTS[table], every_column=True)


@pytest.mark.parametrize("table", list(INPUTS))
def test_kept_inputs_keep_dates_as_dates(run_dir: Path, table: str) -> None:
    path = run_dir / "inputs" / f"{table}.parquet"
    _assert_types(path, INPUTS[table], every_column=False)
    dates = [name for name, check in INPUTS[table].items() if check is DATE]
    if dates:
        assert pq.read_table(path, columns=dates[:1]).column(0).null_count == 0, path.name


def test_rates_are_the_rules_rates(run_dir: Path) -> None:
    """The built-in rules' rates (0.10 and 0.05), exactly, at eight places."""
    rates = pq.read_table(run_dir / "payouts.parquet", columns=["rate"]).column(0).to_pylist()
    assert set(rates) == {Decimal("0.10"), Decimal("0.05")}
    assert {rate.as_tuple().exponent for rate in rates} == {-8}


def test_credits_are_sorted_by_program_partner_and_period(run_dir: Path) -> None:
    keys = pq.read_table(run_dir / "credits.parquet", columns=["program", "partner_id", "period"])
    rows = list(zip(*(keys.column(name).to_pylist() for name in keys.column_names), strict=True))
    assert len({program for program, _, _ in rows}) == 2
    assert len({partner for _, partner, _ in rows}) > 10
    assert rows == sorted(rows)


def test_a_reader_of_one_partner_skips_the_other_row_groups(run_dir: Path) -> None:
    """A reader of one partner's credits in one program keeps only the row groups whose
    min/max statistics of program and partner_id admit both. Every row group it keeps holds
    rows of that partner, or holds two programs (its partner_id range then spans partners of
    both): in a row group of one program, the partner_id range shuts out every partner the
    row group does not hold. And every such row group does shut out some partner of its
    program by partner_id alone (not only by program)."""
    credits = pq.ParquetFile(run_dir / "credits.parquet")
    groups = credits.metadata.num_row_groups
    assert groups >= 3, "the run is too small to test row groups"
    program = credits.schema_arrow.get_field_index("program")
    partner = credits.schema_arrow.get_field_index("partner_id")
    bounds = []
    holders: dict[tuple[str, str], set[int]] = defaultdict(set)
    for group in range(groups):
        columns = credits.metadata.row_group(group)
        statistics = columns.column(program).statistics, columns.column(partner).statistics
        assert all(stats is not None and stats.has_min_max for stats in statistics)
        bounds.append(tuple((stats.min, stats.max) for stats in statistics))
        rows = credits.read_row_group(group, columns=["program", "partner_id"])
        pairs = zip(rows.column(0).to_pylist(), rows.column(1).to_pylist(), strict=True)
        for pair in set(pairs):
            holders[pair].add(group)
    one_program = {group for group, ((low, high), _) in enumerate(bounds) if low == high}
    assert one_program, "no row group of a single program"
    shut_out_by_partner: set[int] = set()
    for (wanted_program, wanted_partner), holding in holders.items():
        kept = set()
        for group, ((low, high), (first, last)) in enumerate(bounds):
            if not low <= wanted_program <= high:
                continue
            if first <= wanted_partner <= last:
                kept.add(group)
            else:
                shut_out_by_partner.add(group)
        assert holding <= kept, (wanted_program, wanted_partner)
        assert not (kept - holding) & one_program, (wanted_program, wanted_partner, kept)
    assert one_program <= shut_out_by_partner
