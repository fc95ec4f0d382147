"""Comparing runs: `verify_run` recomputes a run and compares, `diff_runs` compares two runs."""

from partnercredit.compare.compare_tables import TableComparison, compare_tables
from partnercredit.compare.diff_runs import RunDifference, diff_runs
from partnercredit.compare.verify_run import Verification, verify_run

__all__ = [
    "RunDifference",
    "TableComparison",
    "Verification",
    "compare_tables",
    "diff_runs",
    "verify_run",
]
