"""`python -m benchmarks.run`: generate data once per scale, time partnercredit on it, and
record the figures in BENCHMARKS.md.

Suites:
- validate: reading and checking every input table (`partnercredit validate`), Parquet and CSV.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shutil
import sys
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import duckdb
import ibis
import psutil

from benchmarks.measure import Measurement, measure
from partnercredit import __version__

ROOT = Path(__file__).resolve().parent
DATA = ROOT / "data"
REPORT = ROOT.parent / "BENCHMARKS.md"
RESULTS = ROOT / "results"
SCALES = {"100k": 100_000, "1m": 1_000_000, "2m": 2_000_000, "10m": 10_000_000}
CLI = [sys.executable, "-m", "partnercredit"]


@dataclass(frozen=True)
class Result:
    suite: str
    scale: str
    file_format: str
    revenue_rows: int
    association_rows: int
    measurement: Measurement

    def row(self) -> str:
        lines_per_second = self.revenue_rows / self.measurement.seconds
        return (
            f"| {self.suite} | {self.scale} | {self.file_format} | {self.revenue_rows:,} | "
            f"{self.association_rows:,} | {self.measurement.seconds:.1f} s | "
            f"{self.measurement.peak_rss_gb:.2f} GB | {lines_per_second:,.0f} |"
        )


def dataset(scale: str, file_format: str) -> Path:
    """The generated data of a scale, made once and kept under benchmarks/data."""
    folder = DATA / f"{scale}-{file_format}"
    if not (folder / "generate.json").exists():
        shutil.rmtree(folder, ignore_errors=True)
        free = shutil.disk_usage(DATA.parent).free
        needed = SCALES[scale] * (1200 if file_format == "csv" else 100)
        if free < 2 * needed:
            raise SystemExit(f"not enough free disk for {scale} {file_format}: {free:,} bytes")
        command = [*CLI, "generate", str(folder), "--subscriptions", str(SCALES[scale])]
        generated = measure([*command, "--format", file_format])
        if generated.exit_code:
            raise SystemExit(f"generating {scale} {file_format} failed")
    return folder


def _rows(folder: Path) -> tuple[int, int]:
    tables = json.loads((folder / "generate.json").read_text())["tables"]
    linking = ("dpor_events", "delegated_admin", "fasttrack", "associations")
    associations = sum(tables[name]["rows"] for name in linking)
    return tables["revenue"]["rows"], associations


def validate_suite(scale: str, file_format: str) -> Result:
    folder = dataset(scale, file_format)
    measurement = measure([*CLI, "validate", str(folder)])
    if measurement.exit_code:
        raise SystemExit(f"validate failed on {folder}")
    revenue, associations = _rows(folder)
    return Result("validate", scale, file_format, revenue, associations, measurement)


def machine() -> str:
    return (
        f"{platform.machine()}, {os.cpu_count()} cores, "
        f"{psutil.virtual_memory().total / 2**30:.0f} GiB RAM, Python {platform.python_version()}, "
        f"partnercredit {__version__}, ibis {ibis.__version__}, duckdb {duckdb.__version__}"
    )


def write_report(results: list[Result], title: str) -> None:
    """Replace this suite's section of BENCHMARKS.md (between its markers) with new figures."""
    begin, end = f"<!-- {title}: begin -->", f"<!-- {title}: end -->"
    table = "\n".join(
        [
            f"Measured {datetime.now(UTC):%Y-%m-%d} on {machine()}.",
            "",
            "| suite | scale | input | revenue lines | association rows | wall time | "
            "peak RSS | lines/s |",
            "|---|---|---|---|---|---|---|---|",
            *(result.row() for result in results),
        ]
    )
    section = f"{begin}\n{table}\n{end}"
    text = REPORT.read_text() if REPORT.exists() else "# Benchmarks\n"
    if begin in text:
        before, rest = text.split(begin, 1)
        text = before + section + rest.split(end, 1)[1]
    else:
        text = text.rstrip("\n") + f"\n\n## {title}\n\n{section}\n"
    REPORT.write_text(text)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--scales", default="1m", help="comma-separated: 100k, 1m, 2m, 10m")
    parser.add_argument("--formats", default="parquet,csv")
    arguments = parser.parse_args()
    DATA.mkdir(exist_ok=True)
    results = [
        validate_suite(scale, file_format)
        for scale in arguments.scales.split(",")
        for file_format in arguments.formats.split(",")
    ]
    for result in results:
        print(result.row())
    write_report(results, "Reading and validating inputs")


if __name__ == "__main__":
    main()
