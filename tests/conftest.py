"""Shared test helpers: run the CLI in-process, read CSV outputs, locate fixtures."""

from __future__ import annotations

import csv
import os
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import pyarrow.parquet as pq
import pytest

from partnercredit.cli import main

TESTS = Path(__file__).parent
IN_CI = os.environ.get("CI", "").lower() == "true"


@dataclass(frozen=True)
class CliResult:
    exit_code: int
    stdout: str
    stderr: str


CliRunner = Callable[..., CliResult]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> CliRunner:
    """Run `partnercredit ARGS...` in this process and capture its exit code and output."""

    def invoke(*args: str | Path) -> CliResult:
        capsys.readouterr()
        try:
            main([str(arg) for arg in args])
            code = 0
        except SystemExit as stop:
            code = stop.code if isinstance(stop.code, int) else (0 if stop.code is None else 1)
        captured = capsys.readouterr()
        return CliResult(code, captured.out, captured.err)

    return invoke


def read_csv(path: Path) -> list[dict[str, str]]:
    with path.open(encoding="utf-8", newline="") as handle:
        return list(csv.DictReader(handle))


def require(available: bool, what: str) -> None:
    """Skip with a clear notice when something a fresh machine may lack is missing;
    in CI (CI=true) the test fails instead, because CI installs it."""
    if available:
        return
    if IN_CI:
        pytest.fail(f"{what} is required in CI but is missing")
    pytest.skip(f"{what} is not available on this machine (CI installs it)")


def damage_parquet_pages(path: Path) -> None:
    """Every byte between the leading magic bytes and the footer overwritten: the file still
    opens (its footer is whole), its pages cannot be decoded."""
    footer = pq.ParquetFile(path).metadata.serialized_size + 8
    data = bytearray(path.read_bytes())
    data[4 : len(data) - footer] = b"\xab" * (len(data) - footer - 4)
    path.write_bytes(bytes(data))
