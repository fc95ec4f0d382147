"""`python -m benchmarks.run`: generate data once per scale, time partnercredit and its two
yardsticks on it, and rewrite BENCHMARKS.md from every figure recorded so far.

Suites (each a separate process, measured with its children):
- validate: reading and checking every input table (`partnercredit validate`).
- run: the complete `partnercredit run` on DuckDB, with the default memory limit, or with
  `--memory-limit` (recorded as its own suite, e.g. `run 5GB`).
- floor: raw DuckDB reading the inputs, joining revenue and associations on subscription
  and writing the result as Parquet, with no logic (benchmarks/floor.py).
- pandas: a naive pandas implementation of the default competency credit with daily
  proration (benchmarks/pandas_baseline.py); at 100k and 1M only, as it holds everything in
  memory (8 GB at 1M subscriptions, so about 80 GB at 10M).

Figures are kept in benchmarks/results.json (one entry per suite, scale and input format,
the latest measurement winning), so that runs at different scales add up to one report. Each
entry records when it was measured, on which machine, from which commit and in which
invocation of this command: a ratio is only computed between figures of one invocation, as
machines (and one machine from hour to hour) differ by more than the ratios move.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from dataclasses import asdict, dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import ibis
import numpy
import pandas  # type: ignore[import-untyped,unused-ignore]
import psutil
import pyarrow

from benchmarks.measure import measure
from partnercredit import __version__
from partnercredit.generate.report import GENERATOR_VERSION, REPORT_FILE

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
REPORT = ROOT.parent / "BENCHMARKS.md"
RESULTS = ROOT / "results.json"
SCALES = {"100k": 100_000, "1m": 1_000_000, "2m": 2_000_000, "10m": 10_000_000}
PANDAS_SCALES = ("100k", "1m")
CLI = [sys.executable, "-m", "partnercredit"]
SUITES = ("validate", "run", "floor", "pandas")


@dataclass(frozen=True)
class Result:
    suite: str
    scale: str
    file_format: str
    revenue_rows: int
    association_rows: int
    seconds: float
    peak_rss_gb: float
    measured_on: str
    machine: str
    commit: str = "not recorded"
    invocation: str = ""
    """When the `benchmarks.run` command that measured it started (UTC): figures of one
    invocation were measured one after the other on one machine."""

    @property
    def key(self) -> tuple[str, str, str]:
        return (self.suite, self.scale, self.file_format)

    def row(self) -> str:
        lines_per_second = self.revenue_rows / self.seconds
        return (
            f"| {self.suite} | {self.scale} | {self.file_format} | {self.revenue_rows:,} | "
            f"{self.association_rows:,} | {self.seconds:.1f} s | {self.peak_rss_gb:.2f} GB | "
            f"{lines_per_second:,.0f} | {self.measured_on} | {self.commit} |"
        )


def dataset(scale: str, file_format: str) -> Path:
    """The generated data of a scale, made once and kept under benchmarks/data (made again
    when the generator has changed since)."""
    folder = DATA / f"{scale}-{file_format}"
    if not _generated_by_this_version(folder):
        shutil.rmtree(folder, ignore_errors=True)
        DATA.mkdir(exist_ok=True)
        per_subscription = 1200 if file_format == "csv" else 100
        require_free_disk(DATA, 2 * SCALES[scale] * per_subscription, f"{scale} {file_format}")
        command = [*CLI, "generate", str(folder), "--subscriptions", str(SCALES[scale])]
        if measure([*command, "--format", file_format]).exit_code:
            raise SystemExit(f"generating {scale} {file_format} failed")
    return folder


RUN_DISK_PER_SUBSCRIPTION = 4_000
"""Bytes of free disk a run needs per subscription (12 months): its outputs and kept inputs,
and DuckDB's spill, which peaked at about 37 GB at 10M subscriptions (BENCHMARKS.md)."""


def require_free_disk(folder: Path, needed: int, what: str) -> None:
    free = shutil.disk_usage(folder).free
    if free < needed:
        raise SystemExit(
            f"not enough free disk for {what} in {folder}: {free:,} bytes free, {needed:,} needed"
        )


def _generated_by_this_version(folder: Path) -> bool:
    try:
        report = json.loads((folder / REPORT_FILE).read_text())
    except (OSError, ValueError):
        return False
    return isinstance(report, dict) and report.get("generator_version") == GENERATOR_VERSION


def _rows(folder: Path) -> tuple[int, int]:
    tables = json.loads((folder / "generate.json").read_text())["tables"]
    linking = ("dpor_events", "delegated_admin", "fasttrack", "associations")
    return tables["revenue"]["rows"], sum(tables[name]["rows"] for name in linking)


def _commands(memory_limit: str | None) -> dict[str, Callable[[Path, Path], list[str]]]:
    """How each suite is started, given the data folder and a scratch folder for its output."""
    limit = ["--memory-limit", memory_limit] if memory_limit else []
    return {
        "validate": lambda data, _out: [*CLI, "validate", str(data)],
        "run": lambda data, out: [*CLI, "run", str(data), "--out", str(out / "run"), *limit],
        "floor": lambda data, out: [
            sys.executable,
            "-m",
            "benchmarks.floor",
            str(data),
            str(out / "floor.parquet"),
        ],
        "pandas": lambda data, out: [
            sys.executable,
            "-m",
            "benchmarks.pandas_baseline",
            str(data),
            str(out / "pandas.parquet"),
        ],
    }


def measure_suite(
    suite: str, scale: str, file_format: str, memory_limit: str | None, invocation: str
) -> Result:
    folder = dataset(scale, file_format)
    label = f"{suite} {memory_limit}" if suite == "run" and memory_limit else suite
    if suite == "run":
        needed = SCALES[scale] * RUN_DISK_PER_SUBSCRIPTION
        for folder_used in {DATA, Path(tempfile.gettempdir())}:  # outputs; the spill folder
            require_free_disk(folder_used, needed, f"the run at {scale}")
    print(f"-- {label} at {scale} ({file_format})", flush=True)
    measured_commit = commit()  # before the measurement, which may outlast later commits
    with tempfile.TemporaryDirectory(prefix="partnercredit-bench-", dir=DATA) as scratch:
        command = _commands(memory_limit)[suite](folder, Path(scratch))
        measurement = measure(command)
    if measurement.exit_code:
        raise SystemExit(f"{label} failed on {folder} (exit {measurement.exit_code})")
    revenue, associations = _rows(folder)
    return Result(
        label,
        scale,
        file_format,
        revenue,
        associations,
        round(measurement.seconds, 2),
        round(measurement.peak_rss_gb, 3),
        f"{datetime.now(UTC):%Y-%m-%d}",
        machine(),
        measured_commit,
        invocation,
    )


def machine() -> str:
    return (
        f"{platform.machine()} ({_cpu_model()}), {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python {platform.python_version()}, "
        f"partnercredit {__version__}, ibis {ibis.__version__}, duckdb {duckdb.__version__}, "
        f"pyarrow {pyarrow.__version__}, pandas {pandas.__version__}, numpy {numpy.__version__}"
    )


def _cpu_model() -> str:
    try:
        lines = Path("/proc/cpuinfo").read_text().splitlines()
    except OSError:
        return platform.processor() or "CPU model unknown"
    models = [line.split(":", 1)[1].strip() for line in lines if line.startswith("model name")]
    return models[0] if models else platform.processor() or "CPU model unknown"


def commit() -> str:
    """The commit measured, marked `+changes` when the package or benchmarks differ from it."""

    def git(*arguments: str) -> str:
        return subprocess.run(
            ["git", *arguments], cwd=ROOT.parent, capture_output=True, text=True, check=False
        ).stdout.strip()

    head = git("rev-parse", "--short", "HEAD")
    if not head:
        return "not a git checkout"
    changed = git("status", "--porcelain", "--", "src", "benchmarks/*.py")
    return f"{head}+changes" if changed else head


def load_results() -> dict[tuple[str, str, str], Result]:
    if not RESULTS.exists():
        return {}
    results = [Result(**entry) for entry in json.loads(RESULTS.read_text())]
    return {result.key: result for result in results}


def save_results(results: dict[tuple[str, str, str], Result]) -> None:
    ordered = sorted(results.values(), key=_report_order)
    RESULTS.write_text(json.dumps([asdict(result) for result in ordered], indent=2) + "\n")


def _report_order(result: Result) -> tuple[int, int, str, str]:
    suite = result.suite.split()[0]
    return (SCALES[result.scale], SUITES.index(suite), result.suite, result.file_format)


def _ratios(results: list[Result]) -> list[str]:
    """engine / floor and pandas / engine, per scale and input format, where the yardstick was
    measured in the same invocation as the run."""
    by_key = {result.key: result for result in results}
    rows = []
    for scale, file_format in sorted(
        {(result.scale, result.file_format) for result in results},
        key=lambda pair: (SCALES[pair[0]], pair[1]),
    ):
        engine = by_key.get(("run", scale, file_format))
        if engine is None:
            continue
        floor = by_key.get(("floor", scale, file_format))
        pandas_result = by_key.get(("pandas", scale, file_format))
        over_floor = _ratio(engine, floor, engine.seconds / floor.seconds if floor else 0)
        if pandas_result is None and scale not in PANDAS_SCALES:
            pandas_ratio = "not run (would not fit in memory)"
        else:
            pandas_ratio = _ratio(
                engine,
                pandas_result,
                pandas_result.seconds / engine.seconds if pandas_result else 0,
            )
        rows.append(f"| {scale} | {file_format} | {over_floor} | {pandas_ratio} |")
    return rows


def _ratio(engine: Result, yardstick: Result | None, ratio: float) -> str:
    if yardstick is None:
        return "not measured"
    if not engine.invocation or yardstick.invocation != engine.invocation:
        return "not measured together"
    return f"{ratio:.1f}x"


def write_report(results: list[Result]) -> None:
    """Rewrite the measured part of BENCHMARKS.md (between its markers); the prose outside the
    markers is kept."""
    begin, end = "<!-- measured: begin -->", "<!-- measured: end -->"
    machines = sorted({result.machine for result in results})
    table = "\n".join(
        [
            f"Machine{'s' if len(machines) > 1 else ''}: {'; '.join(machines)}.",
            "",
            "| suite | scale | input | revenue lines | association rows | wall time | "
            "peak RSS | lines/s | measured | commit |",
            "|---|---|---|---|---|---|---|---|---|---|",
            *(result.row() for result in results),
            "",
            "Ratios only between figures measured one after the other by one invocation of "
            "`benchmarks.run`:",
            "",
            "| scale | input | engine / floor (time) | pandas / engine (time) |",
            "|---|---|---|---|",
            *_ratios(results),
        ]
    )
    section = f"{begin}\n{table}\n{end}"
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    if begin in text:
        before, rest = text.split(begin, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n## Measurements\n\n{section}\n"
    REPORT.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="100k,1m", help="comma-separated: 100k, 1m, 2m, 10m")
    parser.add_argument("--suites", default="run,floor,pandas", help=", ".join(SUITES))
    parser.add_argument("--formats", default="parquet", help="parquet, csv or both")
    parser.add_argument("--memory-limit", help="passed to `partnercredit run`")
    arguments = parser.parse_args()
    suites = arguments.suites.split(",")
    unknown = sorted(set(suites) - set(SUITES)) + sorted(
        set(arguments.scales.split(",")) - set(SCALES)
    )
    if unknown:
        parser.error(f"unknown suite or scale: {', '.join(unknown)}")
    results = load_results()
    invocation = f"{datetime.now(UTC):%Y-%m-%dT%H:%M:%SZ}"
    for scale in arguments.scales.split(","):
        for file_format in arguments.formats.split(","):
            for suite in suites:
                if suite == "pandas" and scale not in PANDAS_SCALES:
                    print(f"-- pandas at {scale}: skipped, it would not fit in memory")
                    continue
                result = measure_suite(
                    suite, scale, file_format, arguments.memory_limit, invocation
                )
                print(result.row(), flush=True)
                results[result.key] = result
                save_results(results)
    write_report(sorted(results.values(), key=_report_order))


if __name__ == "__main__":
    main()
