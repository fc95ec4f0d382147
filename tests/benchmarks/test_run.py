"""The benchmark report: ratios only between figures measured together."""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path
from types import SimpleNamespace

import pytest

from benchmarks import run as bench
from partnercredit.generate.report import GENERATOR_VERSION

MEASURED = bench.Result(
    suite="run",
    scale="1m",
    file_format="parquet",
    revenue_rows=12_000_000,
    association_rows=1_500_000,
    seconds=50.0,
    peak_rss_gb=4.9,
    measured_on="2026-12-07",
    machine="x86_64, 2 cores",
    commit="abc1234",
    invocation="2026-12-07T14:50:28Z",
)


@pytest.mark.parametrize(
    ("floor_invocation", "pandas_invocation", "expected"),
    [
        ("2026-12-07T14:50:28Z", "2026-12-07T14:50:28Z", "| 1m | parquet | 10.0x | 1.2x |"),
        (
            "2026-12-06T09:00:00Z",
            "2026-12-07T14:50:28Z",
            "| 1m | parquet | not measured together | 1.2x |",
        ),
        ("", "", "| 1m | parquet | not measured together | not measured together |"),
    ],
)
def test_a_ratio_is_only_computed_within_one_invocation(
    floor_invocation: str, pandas_invocation: str, expected: str
) -> None:
    floor = replace(MEASURED, suite="floor", seconds=5.0, invocation=floor_invocation)
    pandas = replace(MEASURED, suite="pandas", seconds=60.0, invocation=pandas_invocation)
    assert bench._ratios([MEASURED, floor, pandas]) == [expected]


def test_missing_yardsticks_are_named() -> None:
    at_10m = replace(MEASURED, scale="10m")
    assert bench._ratios([MEASURED, at_10m]) == [
        "| 1m | parquet | not measured | not measured |",
        "| 10m | parquet | not measured | not run (would not fit in memory) |",
    ]


@pytest.fixture
def files(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """BENCHMARKS.md and results.json kept in a temporary folder."""
    monkeypatch.setattr(bench, "REPORT", tmp_path / "BENCHMARKS.md")
    monkeypatch.setattr(bench, "RESULTS", tmp_path / "results.json")
    return tmp_path


def test_the_report_replaces_only_its_measured_section(files: Path) -> None:
    (files / "BENCHMARKS.md").write_text(
        "# Benchmarks\n\nprose\n\n<!-- measured: begin -->\nold\n"
        "<!-- measured: end -->\n\nmore prose\n"
    )
    bench.write_report([MEASURED])
    text = (files / "BENCHMARKS.md").read_text()
    assert text.startswith(
        "# Benchmarks\n\nprose\n\n<!-- measured: begin -->\nMachine: x86_64, 2 cores."
    )
    assert (
        "| run | 1m | parquet | 12,000,000 | 1,500,000 | 50.0 s | 4.90 GB | 240,000 | "
        "2026-12-07 | abc1234 |" in text
    )
    assert "old" not in text
    assert text.endswith("<!-- measured: end -->\n\nmore prose\n")


def test_results_recorded_before_commits_were_kept_still_load(files: Path) -> None:
    (files / "results.json").write_text(
        '[{"suite": "run", "scale": "1m", "file_format": "parquet", "revenue_rows": 1, '
        '"association_rows": 1, "seconds": 1.0, "peak_rss_gb": 1.0, '
        '"measured_on": "2026-11-26", "machine": "x86_64"}]'
    )
    (loaded,) = bench.load_results().values()
    assert (loaded.commit, loaded.invocation) == ("not recorded", "")


def test_data_of_an_older_generator_is_generated_again(tmp_path: Path) -> None:
    folder = tmp_path / "1m-parquet"
    folder.mkdir()
    assert not bench._generated_by_this_version(folder)
    (folder / "generate.json").write_text('{"schema_version": 1, "parameters": {}}')
    assert not bench._generated_by_this_version(folder)
    (folder / "generate.json").write_text(f'{{"generator_version": {GENERATOR_VERSION}}}')
    assert bench._generated_by_this_version(folder)


def test_a_run_needs_free_disk_for_its_outputs_and_spill(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(bench.shutil, "disk_usage", lambda _: SimpleNamespace(free=10**9))
    bench.require_free_disk(tmp_path, 10**9, "the run at 10m")
    with pytest.raises(SystemExit, match="not enough free disk for the run at 10m"):
        bench.require_free_disk(tmp_path, 10**9 + 1, "the run at 10m")
