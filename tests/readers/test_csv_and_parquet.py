"""CSV and Parquet inputs give identical results (SPEC 4: Parquet is read as text)."""

from __future__ import annotations

import csv
import shutil
import sys
from decimal import Decimal
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from partnercredit import core
from partnercredit.contract import TABLES
from partnercredit.errors import StructuralError
from tests.conftest import TESTS, CliRunner, damage_parquet_pages

FIXTURES = TESTS / "fixtures" / "validation"
CASES = [
    "cascade_customer",
    "cycle_with_descendant",
    "duplicate_a_a_b",
    "bad_value_timestamp",
    "bad_value_amount",
    "first_problem_revenue",
    "first_problem_associations",
    "missing_fx",
    "optional_empty_defaults",
    "empty_key_no_duplicate",
    "bad_interval_delegated_admin",
]


def _csv_to_parquet(source: Path, target: Path) -> None:
    with source.open(encoding="utf-8-sig", newline="") as handle:
        rows = list(csv.reader(handle))
    header, body = rows[0], [row for row in rows[1:] if row]
    # Empty fields stay empty texts, as a Parquet writer given the CSV's text would keep them.
    columns = {
        name: pa.array([row[index] for row in body], pa.string())
        for index, name in enumerate(header)
    }
    pq.write_table(pa.table(columns), target)


def _as_parquet(case: Path, target: Path) -> Path:
    target.mkdir()
    for path in (case / "data").iterdir():
        if path.suffix == ".csv":
            _csv_to_parquet(path, target / f"{path.stem}.parquet")
        else:
            shutil.copy(path, target / path.name)
    return target


def _published(data: Path, out: Path, rules: Path | None) -> dict[str, pa.Table]:
    core.run(data, out, rules=rules)
    tables = {name: pq.read_table(out / "inputs" / f"{name}.parquet") for name in TABLES}
    tables["rejected"] = pq.read_table(out / "rejected.parquet")
    return tables


@pytest.mark.parametrize("name", CASES)
def test_parquet_inputs_match_csv(name: str, tmp_path: Path) -> None:
    case = FIXTURES / name
    rules = case / "rules.toml" if (case / "rules.toml").exists() else None
    from_csv = _published(case / "data", tmp_path / "csv", rules)
    from_parquet = _published(_as_parquet(case, tmp_path / "data"), tmp_path / "parquet", rules)
    for table, expected in from_csv.items():
        assert from_parquet[table].equals(expected), table


def test_typed_parquet_columns_are_read_as_text(tmp_path: Path) -> None:
    """Decimals, integers and columns of the null type (what pandas writes for a column
    without a value) are checked as their text; null stays null."""
    data = _as_parquet(FIXTURES / "cascade_customer", tmp_path / "data")
    revenue = pq.read_table(data / "revenue.parquet")
    typed = {
        "amount": revenue.column("amount").cast(pa.decimal128(18, 2)),
        "quantity": revenue.column("quantity").cast(pa.int32()),
        "workload": pa.nulls(revenue.num_rows),
    }
    for name, column in typed.items():
        revenue = revenue.set_column(revenue.schema.get_field_index(name), name, column)
    pq.write_table(revenue, data / "revenue.parquet")
    text = _published(
        _as_parquet(FIXTURES / "cascade_customer", tmp_path / "text"), tmp_path / "out_text", None
    )
    with_types = _published(data, tmp_path / "out_typed", None)
    assert with_types["revenue"].equals(text["revenue"])


def test_floating_point_amounts_are_read_in_plain_notation(tmp_path: Path) -> None:
    """Arrow writes large and small doubles with an exponent (1.234567890125e+10, 5e-07),
    which the number check would refuse; they are read by the same digits in plain notation,
    as a CSV writer would write them."""
    data = _as_parquet(FIXTURES / "cascade_customer", tmp_path / "data")
    revenue = pq.read_table(data / "revenue.parquet")
    amounts = pa.array([12345678901.25, 0.0000005][: revenue.num_rows], pa.float64())
    index = revenue.schema.get_field_index("amount")
    pq.write_table(revenue.set_column(index, "amount", amounts), data / "revenue.parquet")
    kept = _published(data, tmp_path / "out", None)["revenue"]
    accepted = set(kept.column("amount").to_pylist())
    rejected = pq.read_table(tmp_path / "out" / "rejected.parquet").to_pylist()
    assert not [row for row in rejected if row["column"] == "amount"], rejected
    assert accepted <= {Decimal("12345678901.25"), Decimal("0.0000005")}
    assert accepted


@pytest.mark.parametrize(
    "extra",
    ["CUSTOMER_ID", "Customer_Id", "file_row_number", "FILE_ROW_NUMBER"],
)
def test_extra_parquet_columns_named_like_others_are_ignored(extra: str, tmp_path: Path) -> None:
    """SPEC 4: names are case-sensitive and extra columns are ignored, even one placed first
    that DuckDB would take for `customer_id`, or one named like the row numbers it adds."""
    expected = _published(
        _as_parquet(FIXTURES / "cascade_customer", tmp_path / "text"), tmp_path / "out_text", None
    )
    data = _as_parquet(FIXTURES / "cascade_customer", tmp_path / "data")
    customers = pq.read_table(data / "customers.parquet")
    decoys = pa.array([f"X{row}" for row in range(customers.num_rows)], pa.string())
    pq.write_table(customers.add_column(0, extra, decoys), data / "customers.parquet")
    with_extra = _published(data, tmp_path / "out", None)
    for table, rows in expected.items():
        assert with_extra[table].equals(rows), table


@pytest.mark.parametrize("binary", [pa.binary(), pa.large_binary()], ids=str)
def test_text_written_as_bytes_is_read_as_text(binary: pa.DataType, tmp_path: Path) -> None:
    """Writers that mark no column as UTF-8 store text as plain bytes; valid UTF-8 is read as
    the text it is, invalid bytes are the usual structural error."""
    data = _as_parquet(FIXTURES / "cascade_customer", tmp_path / "data")
    path = data / "revenue.parquet"
    revenue = pq.read_table(path)
    as_bytes = pa.table(
        {
            name: column.cast(binary)
            for name, column in zip(revenue.column_names, revenue.columns, strict=True)
        }
    )
    pq.write_table(as_bytes, path)
    text = _published(
        _as_parquet(FIXTURES / "cascade_customer", tmp_path / "text"), tmp_path / "out_text", None
    )
    assert _published(data, tmp_path / "out_bytes", None)["revenue"].equals(text["revenue"])
    products = as_bytes.column("product").to_pylist()
    products[-1] = b"\xff\xfe"
    index = as_bytes.schema.get_field_index("product")
    pq.write_table(as_bytes.set_column(index, "product", pa.array(products, binary)), path)
    with pytest.raises(StructuralError, match="not valid UTF-8 text"):
        core.run(data, tmp_path / "out")


@pytest.mark.parametrize(
    "name",
    [
        "first_problem_revenue",
        "first_problem_associations",
        # Decimals of 24 places, some of them 0 or below 10**-6, which Arrow writes as 0E-24.
        "bad_value_amount_digits",
        "bad_value_rate_digits",
    ],
)
def test_the_typed_inputs_a_run_keeps_read_back_as_the_same_rows(name: str, tmp_path: Path) -> None:
    """The accepted inputs a run keeps (dates, timestamps, decimals, integers as Parquet types)
    are valid inputs themselves: read back, every row is accepted with the same values."""
    case = FIXTURES / name
    rules = case / "rules.toml" if (case / "rules.toml").exists() else None
    first = _published(case / "data", tmp_path / "first", rules)
    again = _published(tmp_path / "first" / "inputs", tmp_path / "again", rules)
    assert first["rejected"].num_rows > 0
    assert again["rejected"].num_rows == 0
    for table in TABLES:
        kept, reread = first[table].drop_columns("source_row"), again[table]
        assert kept.to_pylist() == reread.drop_columns("source_row").to_pylist(), table


@pytest.mark.parametrize("typed", [False, True], ids=["text_columns", "typed_column"])
def test_parquet_text_that_is_not_utf8_is_a_structural_error(typed: bool, tmp_path: Path) -> None:
    """One line naming the file, and nothing published (SPEC 4: exit code 2), whether the
    engine reads the file itself (all columns text) or through Arrow (a typed column)."""
    data = _as_parquet(FIXTURES / "cascade_customer", tmp_path / "data")
    revenue = pq.read_table(data / "revenue.parquet")
    products = [text.encode() for text in revenue.column("product").to_pylist()]
    products[-1] = b"\xff\xfe"
    not_utf8 = pa.array(products, pa.binary()).view(pa.string())
    revenue = revenue.set_column(revenue.schema.get_field_index("product"), "product", not_utf8)
    if typed:
        quantity = revenue.schema.get_field_index("quantity")
        revenue = revenue.set_column(
            quantity, "quantity", revenue.column("quantity").cast(pa.int32())
        )
    pq.write_table(revenue, data / "revenue.parquet")
    with pytest.raises(StructuralError) as raised:
        core.run(data, tmp_path / "out")
    assert str(raised.value) == f"{data / 'revenue.parquet'}: not valid UTF-8 text"
    assert not (tmp_path / "out").exists()


@pytest.mark.parametrize("bad_line", [2, 4000], ids=["near-the-header", "far-down"])
@pytest.mark.parametrize("column", ["name", "notes"], ids=["contract-column", "ignored-column"])
@pytest.mark.parametrize("extra", ["", ",x"], ids=["well-formed", "malformed"])
# pytest turns what Python would print ("Exception ignored in ...") into this warning.
@pytest.mark.filterwarnings("error::pytest.PytestUnraisableExceptionWarning")
def test_csv_text_that_is_not_utf8_names_its_line(
    bad_line: int, column: str, extra: str, tmp_path: Path
) -> None:
    """The first bad byte's line and place, whether the header's reader meets it (Python
    decodes ahead) or the row reader does, and in a column the contract ignores too: the
    whole file must be UTF-8 (SPEC 5). A malformed row (one field too many) that is not
    UTF-8 either is reported so too, and nothing else is printed (pyarrow cannot decode it
    for the invalid-row handler)."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "cascade_customer" / "data", data)
    rows = [f"C{number},Customer {number},DE,note" for number in range(2, 5000)]
    rows[bad_line - 2] = rows[bad_line - 2].replace(
        ",Customer" if column == "name" else ",note",
        ",Kunde \xe4" if column == "name" else ",\xe4",
        1,
    )
    rows[bad_line - 2] += extra
    text = "\n".join(["customer_id,name,country,notes", *rows]) + "\n"
    (data / "customers.csv").write_bytes(text.encode("latin-1"))
    hook = sys.unraisablehook
    with pytest.raises(StructuralError) as raised:
        core.run(data, tmp_path / "out")
    assert sys.unraisablehook is hook
    byte = len(rows[bad_line - 2].split("\xe4")[0]) + 1
    assert str(raised.value) == (
        f"{data / 'customers.csv'}: not valid UTF-8 text (line {bad_line}, byte {byte} of the "
        "line); save it as UTF-8"
    )


@pytest.mark.parametrize(
    ("change", "hint"),
    [
        ("semicolons", "(its header is one column: fields must be separated by commas, not ';')"),
        ("tabs", "(its header is one column: fields must be separated by commas, not a tab)"),
        ("case", "(column names are case-sensitive: found Customer_ID)"),
        ("file name", "; file names are case-sensitive: found Customers.csv)"),
    ],
)
def test_missing_columns_or_tables_say_what_was_found(
    change: str, hint: str, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "cascade_customer" / "data", data)
    customers = data / "customers.csv"
    text = customers.read_text(encoding="utf-8")
    if change == "file name":
        customers.rename(data / "Customers.csv")
    else:
        separator = {"semicolons": ";", "tabs": "\t"}.get(change, ",")
        header, rest = text.split("\n", 1)
        header = header.replace("customer_id", "Customer_ID") if change == "case" else header
        customers.write_text(f"{header}\n{rest}".replace(",", separator), encoding="utf-8")
    with pytest.raises(StructuralError) as raised:
        core.run(data, tmp_path / "out")
    assert str(raised.value).endswith(hint), str(raised.value)


def test_an_optional_table_named_in_other_letter_case_is_not_passed_over(
    tmp_path: Path,
) -> None:
    """An absent optional table is empty (SPEC 4); a file named like it in other letter case
    was meant to be read, and is not taken for an absent table."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "cascade_customer" / "data", data)
    (data / "dpor_events.csv").rename(data / "dpor_events.CSV")
    with pytest.raises(StructuralError) as raised:
        core.run(data, tmp_path / "out")
    assert str(raised.value) == (
        f"{data}: table dpor_events is missing (expected dpor_events.csv or "
        "dpor_events.parquet; file names are case-sensitive: found dpor_events.CSV)"
    )


def test_no_hint_about_letter_case_for_a_column_that_is_not_missing(tmp_path: Path) -> None:
    """`Country` in other case is an optional column; the missing one is `name`."""
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "cascade_customer" / "data", data)
    (data / "customers.csv").write_text("customer_id,Country\nC1,DE\n", encoding="utf-8")
    with pytest.raises(StructuralError) as raised:
        core.run(data, tmp_path / "out")
    assert str(raised.value) == f"{data / 'customers.csv'}: missing required column name"


def test_the_byte_order_mark_is_not_counted_in_the_header_line(tmp_path: Path) -> None:
    data = tmp_path / "data"
    shutil.copytree(FIXTURES / "cascade_customer" / "data", data)
    (data / "customers.csv").write_bytes(b"\xef\xbb\xbfcustomer_id,n\xe4me,country\nC1,A,DE\n")
    where = r"\(line 1, byte 14 of the line\); save it as UTF-8$"
    with pytest.raises(StructuralError, match=where):
        core.run(data, tmp_path / "out")


def test_a_parquet_file_with_damaged_pages_is_a_structural_error(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    data = _as_parquet(FIXTURES / "cascade_customer", tmp_path / "data")
    out = tmp_path / "out"
    assert run_cli("run", data, "--out", out).exit_code == 0
    damage_parquet_pages(out / "inputs" / "revenue.parquet")
    damage_parquet_pages(data / "revenue.parquet")
    for command in (("run", data, "--out", tmp_path / "again"), ("verify", out)):
        result = run_cli(*command)
        assert result.exit_code == 2, result.stderr
        assert result.stderr.count("\n") == 1, result.stderr
        damaged = data if command[0] == "run" else out / "inputs"
        assert result.stderr.startswith(
            f"partnercredit: {damaged / 'revenue.parquet'}: not a valid Parquet file ("
        ), result.stderr
    assert not (tmp_path / "again").exists()
