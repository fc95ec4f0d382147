"""`verify`: a run recomputed from its kept inputs (or its data) and compared, table by table."""

from __future__ import annotations

import json
import shutil
from decimal import Decimal
from pathlib import Path
from typing import Any

import pyarrow as pa
import pyarrow.parquet as pq
import pytest

from partnercredit import core
from partnercredit.compare import verify_run
from tests.conftest import TESTS, CliRunner

WORKED = TESTS / "scenarios" / "01_worked_example"
WITH_REJECTIONS = TESTS / "fixtures" / "validation" / "cascade_customer" / "data"


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Path]:
    """The worked example run once as Parquet and once as CSV; tests work on copies."""
    folder = tmp_path_factory.mktemp("published")
    runs = {}
    for output_format in ("parquet", "csv"):
        out = folder / output_format
        core.run(WORKED / "data", out, rules=WORKED / "rules.toml", output_format=output_format)
        runs[output_format] = out
    return runs


def _copy(run: Path, tmp_path: Path) -> Path:
    return Path(shutil.copytree(run, tmp_path / "run"))


def _add_a_cent(path: Path) -> None:
    """Alter the first credit by one cent, as a careless edit of the file would."""
    credits = pq.read_table(path)
    first = credits.column("credit_usd").to_pylist()
    first[0] += Decimal("0.01")
    column = pa.array(first, credits.schema.field("credit_usd").type)
    pq.write_table(
        credits.set_column(credits.schema.get_field_index("credit_usd"), "credit_usd", column), path
    )


@pytest.mark.parametrize("output_format", ["parquet", "csv"])
def test_an_untouched_run_is_verified(
    output_format: str, published: dict[str, Path], tmp_path: Path, run_cli: CliRunner
) -> None:
    run = _copy(published[output_format], tmp_path)
    verification = verify_run(run)
    assert verification.identical, verification
    compared = [table.table for table in verification.tables]
    expected = ["credits", "unattributed", "attainment", "payouts"]
    if output_format == "csv":
        expected = [name for table in expected for name in (table, f"{table}.csv")]
    assert compared == [*expected, "inputs/links.parquet", "inputs/partner_roots.parquet"]
    assert verification.recomputed_from == run / "inputs"
    result = run_cli("verify", run)
    assert result.exit_code == 0, result.stderr
    assert "Verified" in result.stdout
    # Nothing is left beside the run.
    assert sorted(path.name for path in tmp_path.iterdir()) == ["run"]


def test_an_altered_credit_is_found(
    published: dict[str, Path], tmp_path: Path, run_cli: CliRunner
) -> None:
    run = _copy(published["parquet"], tmp_path)
    _add_a_cent(run / "credits.parquet")
    verification = verify_run(run)
    [credits] = [table for table in verification.tables if table.table == "credits"]
    assert (credits.rows, credits.other_rows, credits.only_first, credits.only_other) == (
        credits.rows,
        credits.rows,
        1,
        1,
    )
    [(side, altered), (other_side, original)] = credits.examples
    assert (side, other_side) == ("first", "other")
    assert altered["credit_usd"] - original["credit_usd"] == Decimal("0.01")
    assert not verification.identical
    result = run_cli("verify", run)
    assert result.exit_code == 1
    assert "NOT verified" in result.stdout


def test_an_altered_csv_file_is_found(
    published: dict[str, Path], tmp_path: Path, run_cli: CliRunner
) -> None:
    run = _copy(published["csv"], tmp_path)
    payouts = run / "payouts.csv"
    lines = payouts.read_text().splitlines()
    lines[1] = lines[1].replace("100.00", "100.01", 1)
    payouts.write_text("\n".join(lines) + "\n")
    verification = verify_run(run)
    assert [table.table for table in verification.tables if not table.identical] == ["payouts.csv"]
    assert run_cli("verify", run).exit_code == 1


def test_from_the_data_every_count_and_rejection_is_compared(tmp_path: Path) -> None:
    data = Path(shutil.copytree(WITH_REJECTIONS, tmp_path / "data"))
    core.run(data, tmp_path / "run")
    verification = verify_run(tmp_path / "run", data_dir=data)
    assert verification.identical, verification
    assert "rejected" in [table.table for table in verification.tables]

    with (data / "customers.csv").open("a") as customers:
        customers.write("C9,Customer Nine,DE\n")
    changed = verify_run(tmp_path / "run", data_dir=data)
    assert changed.problems == (
        "input customers.csv: changed since the run (another SHA-256)",
        "customers: rows read 2, accepted 1, rejected 1, collapsed 0 expected, "
        "read 3, accepted 2, rejected 1, collapsed 0 recomputed",
    )
    assert not changed.identical


def test_a_folder_without_credits_cannot_be_verified(tmp_path: Path, run_cli: CliRunner) -> None:
    assert run_cli("validate", WITH_REJECTIONS, "--out", tmp_path / "v").exit_code == 0
    result = run_cli("verify", tmp_path / "v")
    assert result.exit_code == 2
    assert result.stderr.strip().endswith(
        "holds a validation only, no credits; run `partnercredit run` first"
    )


def test_a_run_without_its_kept_inputs_names_the_way_to_verify_it(
    published: dict[str, Path], tmp_path: Path, run_cli: CliRunner
) -> None:
    """Once "inputs: not a directory"."""
    run = _copy(published["parquet"], tmp_path)
    shutil.rmtree(run / "inputs")
    result = run_cli("verify", run)
    assert (result.exit_code, result.stderr) == (
        2,
        f"partnercredit: {run}: inputs/ is missing, so the run cannot be computed again from "
        "its kept inputs; verify it from its data with --data DATA_DIR\n",
    )
    # From its data: its outputs are found right, its missing inputs/ a difference.
    from_data = run_cli("verify", run, "--data", WORKED / "data")
    assert from_data.exit_code == 1
    assert "inputs/revenue.parquet: missing" in from_data.stdout
    assert "│ credits " in from_data.stdout
    assert "DIFFERENT" not in from_data.stdout.split("inputs/", 1)[0]


def test_a_run_without_one_kept_input_names_it(
    published: dict[str, Path], tmp_path: Path, run_cli: CliRunner
) -> None:
    """Once "inputs: required table revenue is missing (expected revenue.csv or ...)"."""
    run = _copy(published["parquet"], tmp_path)
    for name in ("revenue", "fx_rates"):
        (run / "inputs" / f"{name}.parquet").unlink()
    result = run_cli("verify", run)
    assert (result.exit_code, result.stderr) == (
        2,
        f"partnercredit: {run}: inputs/revenue.parquet, inputs/fx_rates.parquet are missing, "
        "so the run cannot be computed again from its kept inputs; verify it from its data "
        "with --data DATA_DIR\n",
    )


def test_a_csv_file_in_another_form_is_found(published: dict[str, Path], tmp_path: Path) -> None:
    """The same rows in another order (SPEC 9 sorts them) are not the run as written."""
    run = _copy(published["csv"], tmp_path)
    credits = run / "credits.csv"
    header, *rows = credits.read_text().splitlines()
    credits.write_text("\n".join([header, *reversed(rows)]) + "\n")
    verification = verify_run(run)
    [altered] = [table for table in verification.tables if not table.identical]
    assert (altered.table, altered.only_first, altered.only_other) == ("credits.csv", 0, 0)
    assert altered.problem == (
        "the same rows, but the files differ as written (order, quoting, header)"
    )


def test_other_columns_or_types_are_found(published: dict[str, Path], tmp_path: Path) -> None:
    run = _copy(published["parquet"], tmp_path)
    credits = pq.read_table(run / "credits.parquet")
    index = credits.schema.get_field_index("days")
    pq.write_table(
        credits.set_column(index, "days", credits.column("days").cast(pa.string())),
        run / "credits.parquet",
    )
    [altered] = [table for table in verify_run(run).tables if not table.identical]
    assert altered.table == "credits"
    assert altered.problem is not None
    assert altered.problem.startswith("columns (")
    assert "days VARCHAR" in altered.problem


def test_a_missing_table_is_a_difference(
    published: dict[str, Path], tmp_path: Path, run_cli: CliRunner
) -> None:
    run = _copy(published["parquet"], tmp_path)
    (run / "payouts.parquet").unlink()
    verification = verify_run(run)
    [missing] = [table for table in verification.tables if not table.identical]
    assert missing.problem == f"{run / 'payouts.parquet'}: missing"
    result = run_cli("verify", run)
    assert result.exit_code == 1
    assert "NOT verified" in result.stdout


def test_a_table_that_cannot_be_read_is_an_io_error_not_a_difference(
    published: dict[str, Path], tmp_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """SPEC 9: exit 2 for an I/O error; exit 1 would say that the run's figures are wrong.
    (Tests run as root, who reads any file: the refusal is simulated.)"""
    run = _copy(published["csv"], tmp_path)
    locked = run / "credits.csv"
    open_file = Path.open

    def refusing_open(path: Path, *args: Any, **kwargs: Any) -> Any:
        if path == locked:
            raise PermissionError(13, "Permission denied", str(path))
        return open_file(path, *args, **kwargs)

    monkeypatch.setattr(Path, "open", refusing_open)
    result = run_cli("verify", run)
    assert result.exit_code == 2
    assert result.stderr == f"partnercredit: {locked}: cannot read (Permission denied)\n"


def test_run_json_counts_are_checked(published: dict[str, Path], tmp_path: Path) -> None:
    run = _copy(published["parquet"], tmp_path)
    manifest = json.loads((run / "run.json").read_text())
    manifest["tables"]["revenue"]["read"] += 1
    manifest["outputs"]["rows"]["credits"] += 1
    (run / "run.json").write_text(json.dumps(manifest))
    rows = manifest["outputs"]["rows"]["credits"]
    assert verify_run(run).problems == (
        "run.json: revenue: rows read 7 are not accepted + rejected + collapsed",
        f"run.json: {rows} rows of credits written, {rows - 1} found",
    )


def test_kept_inputs_are_checked_against_the_data(tmp_path: Path) -> None:
    """What explain and partner read: the links always, the accepted rows given the data."""
    core.run(WORKED / "data", tmp_path / "run", rules=WORKED / "rules.toml")
    kept = tmp_path / "run" / "inputs"
    partners = pq.read_table(kept / "partners.parquet")
    names = partners.column("name").to_pylist()
    names[0] = "Someone Else"
    pq.write_table(
        partners.set_column(partners.schema.get_field_index("name"), "name", pa.array(names)),
        kept / "partners.parquet",
    )
    links = pq.read_table(kept / "links.parquet")
    pq.write_table(links.slice(1), kept / "links.parquet")

    from_kept = verify_run(tmp_path / "run")
    assert [table.table for table in from_kept.tables if not table.identical] == [
        "inputs/links.parquet"
    ]
    from_data = verify_run(tmp_path / "run", data_dir=WORKED / "data")
    assert [table.table for table in from_data.tables if not table.identical] == [
        "inputs/links.parquet",
        "inputs/partners.parquet",
    ]


@pytest.mark.parametrize(
    ("output_format", "damage"),
    [
        ("parquet", lambda out: (out / "rejected.parquet").unlink()),
        ("csv", lambda out: (out / "rejected.csv").write_text("table,row_number\n")),
        ("csv", lambda out: (out / "rejected.csv").unlink()),
    ],
    ids=["parquet-removed", "csv-emptied", "csv-removed"],
)
def test_rejected_rows_removed_from_a_run_are_found(
    output_format: core.OutputFormat, damage: Any, tmp_path: Path
) -> None:
    """Without --data the rejected rows are not recomputed, but they are counted: 8 of them."""
    out = tmp_path / "out"
    core.run(WITH_REJECTIONS, out, output_format=output_format)
    damage(out)
    verification = verify_run(out)
    assert not verification.identical
    assert any(
        "8 rows of rejected written, 0 found" in problem for problem in verification.problems
    )
