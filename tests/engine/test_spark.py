"""The Spark engine (`--engine spark`) gives the hand-worked numbers of the golden scenarios,
and the very files DuckDB writes: the same Ibis code, compiled for another engine.

Every run goes through the core API with the spark engine, in one Spark session for the whole
module (each run borrows it, as it would a notebook's), since starting Spark costs seconds.
A machine without Java or PySpark skips these tests with a notice; CI fails instead.
"""

from __future__ import annotations

import csv
import importlib.util
import json
import os
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path
from types import SimpleNamespace

import pyarrow.parquet as pq
import pytest

from partnercredit import core
from partnercredit.compare import verify_run
from partnercredit.engine import EngineOptions
from partnercredit.engine.backend import EngineName
from partnercredit.errors import StructuralError, UsageError
from partnercredit.generate import generate_dataset
from partnercredit.rules import load_rules, parse_rules
from tests.cli.test_run_command import paid_at
from tests.conftest import TESTS, read_csv, require
from tests.credit.test_split_limit import one_line_of_march
from tests.scenario_helpers import assert_every_column_optional, expected

pytestmark = [pytest.mark.slow, pytest.mark.spark]

SCENARIOS = [
    TESTS / "scenarios" / name
    for name in (
        "01_worked_example",  # SPEC 10 in full: both programs, payouts
        "02_fx_conversion",  # half-even conversion, rates with 24 decimals
        "21_long_amounts",  # amounts with up to 24 decimals
        "10_split_varying_partners",  # split credit, n_d changing within the month
        "13_rollup_root",  # rollup = root
        "17_payouts",  # attainment, rate areas, requires_any blocking
    )
]
TABLES = ("credits", "unattributed", "attainment", "payouts")
OUTPUTS = (*TABLES, "rejected")
CASES = [
    (scenario, table)
    for scenario in SCENARIOS
    for table in TABLES
    if (scenario / "expected" / f"{table}.csv").exists()
]
# Settings for inputs of a few rows: one shuffle partition and no code generation save most
# of the per-query cost; the JVM is short-lived, so its optimising compiler is not worth it.
SMALL_DATA_SETTINGS = {
    "spark.ui.enabled": "false",
    "spark.ui.showConsoleProgress": "false",
    "spark.sql.shuffle.partitions": "1",
    "spark.sql.adaptive.enabled": "false",
    "spark.sql.codegen.wholeStage": "false",
    "spark.driver.extraJavaOptions": "-XX:TieredStopAtLevel=1",
}


def _require_spark() -> None:
    require(bool(shutil.which("java") or os.environ.get("JAVA_HOME")), "Java (for Spark)")
    require(importlib.util.find_spec("pyspark") is not None, "PySpark (partnercredit[spark])")


@pytest.fixture(scope="module")
def spark_session() -> Iterator[None]:
    """A local Spark session that the module's runs borrow; stopped at the end."""
    _require_spark()
    from pyspark.sql import SparkSession

    builder = SparkSession.builder.master("local[2]").appName("partnercredit-tests")
    for key, value in SMALL_DATA_SETTINGS.items():
        builder = builder.config(key, value)
    session = builder.getOrCreate()
    session.sparkContext.setLogLevel("ERROR")
    yield
    session.stop()


@pytest.fixture(scope="module")
def spark_runs(spark_session: None, tmp_path_factory: pytest.TempPathFactory) -> dict[Path, Path]:
    """Each scenario is run once on Spark, on first use."""
    return _SparkRuns(tmp_path_factory)


class _SparkRuns(dict[Path, Path]):
    def __init__(self, factory: pytest.TempPathFactory) -> None:
        super().__init__()
        self.factory = factory

    def __missing__(self, scenario: Path) -> Path:
        out = self.factory.mktemp(scenario.name) / "out"
        core.run(
            scenario / "data",
            out,
            rules=scenario / "rules.toml",
            output_format="csv",
            engine=EngineOptions(engine="spark"),
        )
        self[scenario] = out
        return out


def _case_id(case: tuple[Path, str]) -> str:
    return f"{case[0].name}-{case[1]}"


@pytest.mark.parametrize("case", CASES, ids=_case_id)
def test_spark_matches_hand_worked_numbers(
    case: tuple[Path, str], spark_runs: dict[Path, Path]
) -> None:
    scenario, table = case
    written = spark_runs[scenario] / f"{table}.csv"
    assert read_csv(written) == expected(scenario, table)
    # Byte for byte too (quoting, number formats): runs are compared with `diff` (SPEC 9).
    assert written.read_bytes() == (scenario / "expected" / f"{table}.csv").read_bytes()


def test_the_run_was_made_by_spark(spark_runs: dict[Path, Path]) -> None:
    """Not DuckDB by mistake: the manifest names Spark, and Spark's Parquet tables are
    folders of part files (SPEC 9)."""
    run = spark_runs[SCENARIOS[0]]
    assert json.loads((run / "run.json").read_text())["engine"] == "spark"
    assert list((run / "inputs" / "credits.parquet").glob("part-*.parquet"))


def test_spark_declares_every_column_optional_as_duckdb_does(
    spark_runs: dict[Path, Path], tmp_path: Path
) -> None:
    """Also the columns made from the rules' names rather than from the data (`program`,
    `reason`, `blocked_reason`), which Spark knows to hold no null."""
    assert_every_column_optional(spark_runs[SCENARIOS[0]])
    payouts = TESTS / "scenarios" / "17_payouts"
    core.run(
        payouts / "data",
        tmp_path / "out",
        rules=payouts / "rules.toml",
        engine=EngineOptions(engine="spark"),
    )
    assert_every_column_optional(tmp_path / "out")


@pytest.mark.parametrize(
    "spark_batch", [EngineOptions().lines_per_batch, 100], ids=["whole", "batched"]
)
def test_spark_writes_what_duckdb_writes_from_messy_inputs(
    spark_session: None, tmp_path: Path, spark_batch: int
) -> None:
    """Generated inputs with bad rows of every kind (malformed lines, bad values, unknown
    references), currencies and recorded_at offsets: every output file is the same, also
    when Spark credits the lines in batches (about 240 lines in batches of 100) and DuckDB
    does not. A program named in other characters than an identifier's (Spark takes it
    into the names of its views), and texts with `#` (which DuckDB quotes in CSV)."""
    data = tmp_path / "data"
    generate_dataset(data, subscriptions=60, months=4, seed=5, messy=0.1)
    revenue = data / "revenue.csv"
    revenue.write_text(revenue.read_text(encoding="utf-8").replace("O365-", "O365#"), "utf-8")
    rules = parse_rules(load_rules().text.replace("programs.competency", 'programs."comp #1-ü"'))
    engines: dict[EngineName, EngineOptions] = {
        "duckdb": EngineOptions(),
        "spark": EngineOptions(engine="spark", lines_per_batch=spark_batch),
    }
    for engine, options in engines.items():
        core.run(data, tmp_path / engine, rules=rules, output_format="csv", engine=options)
    assert '"comp #1-ü",' in (tmp_path / "spark" / "credits.csv").read_text(encoding="utf-8")
    for table in OUTPUTS:
        duckdb_file = (tmp_path / "duckdb" / f"{table}.csv").read_text(encoding="utf-8")
        spark_file = (tmp_path / "spark" / f"{table}.csv").read_text(encoding="utf-8")
        assert spark_file == duckdb_file, table
    # The Parquet copies keep the order of their sort keys (the CSV files sort every column).
    for table in ("credits", "unattributed"):
        kept = [
            pq.read_table(tmp_path / engine / "inputs" / f"{table}.parquet") for engine in engines
        ]
        assert kept[1].equals(kept[0]), table
    rejected = read_csv(tmp_path / "spark" / "rejected.csv")
    assert {row["reason"] for row in rejected} >= {"malformed", "bad_reference"}


def test_glob_characters_in_a_spark_run_s_paths_are_only_characters(
    spark_session: None, tmp_path: Path
) -> None:
    """Hadoop would read the scratch folder `s[1]` as `s1`, and `o*` as every folder
    starting with o (and escaped, `s\\[1]:c` is no path to it)."""
    scenario = TESTS / "scenarios" / "01_worked_example"
    out = tmp_path / "o[1]*"
    options = EngineOptions(engine="spark", spill_dir=tmp_path / "s[1]{a,b}:c")
    core.run(
        scenario / "data", out, rules=scenario / "rules.toml", output_format="csv", engine=options
    )
    for table in ("credits", "unattributed"):
        assert read_csv(out / f"{table}.csv") == expected(scenario, table), table


@pytest.mark.parametrize(("lines", "rate"), [(2, "9999"), (10, "9999.99999999")])
def test_a_payout_too_large_for_the_outputs_is_one_line_on_spark(
    spark_session: None, tmp_path: Path, lines: int, rate: str
) -> None:
    """Spark's own overflow errors (a decimal out of range, a 64-bit product) as DuckDB's."""
    data, rules = paid_at(tmp_path, rate, lines)
    with pytest.raises(StructuralError, match=r"^a sum is too large for the outputs"):
        core.run(data, tmp_path / "out", rules=rules, engine=EngineOptions(engine="spark"))
    assert not (tmp_path / "out").exists()


def test_spark_splits_a_line_of_often_changing_partners_as_duckdb_does(
    spark_session: None, tmp_path: Path
) -> None:
    """Split credit whose divisor is beyond 64-bit products of remainders (the wide path of
    the rounding, in 38-digit decimals and corrected floating point)."""
    one_line_of_march(tmp_path / "data", [7, 4, 2, 2, 1, 1])
    rules = TESTS / "scenarios" / "20_split_many_partners" / "rules.toml"
    engines: tuple[EngineName, ...] = ("duckdb", "spark")
    for engine in engines:
        options = EngineOptions(engine=engine)
        core.run(
            tmp_path / "data", tmp_path / engine, rules=rules, output_format="csv", engine=options
        )
    for table in ("credits", "attainment"):
        duckdb_file = (tmp_path / "duckdb" / f"{table}.csv").read_text(encoding="utf-8")
        assert (tmp_path / "spark" / f"{table}.csv").read_text(encoding="utf-8") == duckdb_file


def test_spark_rejects_values_that_end_in_a_line_break(spark_session: None, tmp_path: Path) -> None:
    """A value followed by a line break (a quoted CSV field) is not a valid period, amount,
    currency or quantity on either engine: Java's patterns let `$` match before a final line
    break, so the checks must anchor at the very end of the text."""
    data = tmp_path / "data"
    generate_dataset(data, subscriptions=20, months=2, seed=3)
    with (data / "revenue.csv").open(encoding="utf-8", newline="") as handle:
        rows = list(csv.DictReader(handle))
    template = rows[0]
    broken = {
        "period": template["period"] + "\n",
        "amount": "10.00\n",
        "currency": "EUR\n",
        "quantity": "3\n",
    }
    for number, (column, value) in enumerate(broken.items()):
        rows.append({**template, "line_id": f"LBREAK{number}", column: value})
    with (data / "revenue.csv").open("w", encoding="utf-8", newline="") as handle:
        writer = csv.DictWriter(handle, fieldnames=list(template))
        writer.writeheader()
        writer.writerows(rows)
    engines: tuple[EngineName, ...] = ("duckdb", "spark")
    for engine in engines:
        core.run(data, tmp_path / engine, output_format="csv", engine=EngineOptions(engine=engine))
    rejected = read_csv(tmp_path / "spark" / "rejected.csv")
    assert {row["key"] for row in rejected} == {f"LBREAK{number}" for number in range(4)}
    for table in OUTPUTS:
        duckdb_file = (tmp_path / "duckdb" / f"{table}.csv").read_text(encoding="utf-8")
        spark_file = (tmp_path / "spark" / f"{table}.csv").read_text(encoding="utf-8")
        assert spark_file == duckdb_file, table


def test_a_spark_run_is_verified_from_its_data(spark_runs: dict[Path, Path]) -> None:
    """verify recomputes on DuckDB: every table of the Spark run (folders of part files)
    compares equal by typed value; without --data it says why it cannot."""
    scenario = SCENARIOS[0]
    run = spark_runs[scenario]
    with pytest.raises(UsageError, match="verify it from its data with --data"):
        verify_run(run)
    verification = verify_run(run, data_dir=scenario / "data")
    assert verification.identical, [table for table in verification.tables if not table.identical]


@pytest.mark.parametrize("stage", ["starting", "running"])
def test_an_interrupted_spark_run_says_so_in_one_line(stage: str, tmp_path: Path) -> None:
    """Spark's context installs an interrupt handler of its own, which raised inside py4j's
    calls: tracebacks, and no word of what was published. Interrupted while Spark starts
    (its staging folder made) or while it runs jobs (the accepted inputs being kept)."""
    _require_spark()
    data, out = tmp_path / "data", tmp_path / "out"
    generate_dataset(data, subscriptions=3000, months=6, seed=3)
    command = ["run", str(data), "--out", str(out), "--engine", "spark"]
    process = subprocess.Popen(
        [sys.executable, "-m", "partnercredit", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    pattern = ".partnercredit-staging-*" + ("/inputs" if stage == "running" else "")
    deadline = time.monotonic() + 180
    while not list(tmp_path.glob(pattern)) and process.poll() is None:
        assert time.monotonic() < deadline, f"no {pattern} after 180 s"
        time.sleep(0.05)
    process.send_signal(signal.SIGINT)
    _, stderr = process.communicate(timeout=180)
    assert process.returncode == 130, stderr
    assert stderr.rstrip().endswith("partnercredit: interrupted; nothing was published")
    assert "Traceback" not in stderr, stderr
    assert "Exception" not in stderr, stderr
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data"]


class _RecordingBuilder:
    """Stands for `SparkSession.builder`: records the settings a session would start with."""

    def __init__(self) -> None:
        self.settings: dict[str, str] = {}

    def master(self, _url: str) -> _RecordingBuilder:
        return self

    def appName(self, _name: str) -> _RecordingBuilder:  # noqa: N802 - Spark's name
        return self

    def config(self, key: str, value: str) -> _RecordingBuilder:
        self.settings[key] = value
        return self

    def getOrCreate(self) -> object:  # noqa: N802 - Spark's name
        return SimpleNamespace()


@pytest.mark.parametrize(
    ("limit", "driver_memory"), [("8GB", "7629m"), ("2GiB", "2048m"), ("512MiB", "512m")]
)
def test_the_memory_limit_reaches_the_jvm_in_its_notation(limit: str, driver_memory: str) -> None:
    """The JVM takes `2g` or `2048m`, not `2GB`: given as is, Java did not start and the run
    ended in a traceback."""
    _require_spark()
    from partnercredit.engine.spark import SparkBackend

    builder = _RecordingBuilder()
    backend = SimpleNamespace(scratch=Path("scratch"))
    SparkBackend._start_session(backend, builder, EngineOptions(memory_limit=limit))  # type: ignore[arg-type]
    assert builder.settings["spark.driver.memory"] == driver_memory


def test_too_little_memory_for_spark_is_one_line() -> None:
    _require_spark()
    from partnercredit.engine.spark import SparkBackend

    backend = SimpleNamespace(scratch=Path("scratch"))
    with pytest.raises(UsageError, match="memory limit 400MB: the spark engine needs at least"):
        SparkBackend._start_session(  # type: ignore[arg-type]
            backend, _RecordingBuilder(), EngineOptions(memory_limit="400MB")
        )


def test_a_spark_that_does_not_start_is_one_line(tmp_path: Path) -> None:
    """A heap the machine cannot reserve: Java says why, then one line and exit 2."""
    _require_spark()
    data = TESTS / "scenarios" / "01_worked_example" / "data"
    command = ["run", str(data), "--out", str(tmp_path / "out"), "--engine", "spark"]
    finished = subprocess.run(
        [sys.executable, "-m", "partnercredit", *command, "--memory-limit", "100000TB"],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert finished.returncode == 2, finished.stderr
    last = finished.stderr.strip().splitlines()[-1]
    assert last.startswith("partnercredit: the spark engine did not start: "), last
    assert "Traceback" not in finished.stderr
    assert list(tmp_path.iterdir()) == []


def test_a_spark_run_prints_nothing_of_spark_s_own(tmp_path: Path) -> None:
    """Spark compiles no method beyond Java's 64 KB and interprets it instead (the same
    results); its compiler's error once filled stderr with some 430 lines on every run."""
    _require_spark()
    data = tmp_path / "data"
    generate_dataset(data, subscriptions=300, months=6, seed=3)
    command = ["run", str(data), "--out", str(tmp_path / "out"), "--engine", "spark"]
    finished = subprocess.run(
        [sys.executable, "-m", "partnercredit", *command],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
        timeout=600,
        check=False,
    )
    assert finished.returncode == 0, finished.stderr
    # Nor Spark's start banners (8 lines); Java's own word on Spark's JVM options is left.
    assert finished.stderr.splitlines() in (
        [],
        ["WARNING: Using incubator modules: jdk.incubator.vector"],
    ), finished.stderr
