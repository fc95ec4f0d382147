"""Recompute a published run and compare: are its outputs what its inputs and rules give?"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

from partnercredit import __version__
from partnercredit.compare.compare_tables import TableComparison, compare_tables
from partnercredit.engine import EngineOptions
from partnercredit.outputs.manifest import file_sha256
from partnercredit.outputs.run_facts import RunFacts, read_run_facts
from partnercredit.outputs.run_layout import INPUTS_FOLDER, output_path, parquet_path
from partnercredit.outputs.tables import (
    ATTAINMENT,
    CREDITS,
    PAYOUTS,
    REJECTED,
    UNATTRIBUTED,
    OutputTable,
)
from partnercredit.work_folders import make_work_folder, remove_abandoned, remove_work_folder

_SCRATCH_PREFIX = ".partnercredit-verify-"


@dataclass(frozen=True)
class Verification:
    run: RunFacts
    recomputed_from: Path
    """The run's kept inputs (inputs/), or the data directory given."""
    verified_with: str
    """The product version that recomputed the run."""
    problems: tuple[str, ...]
    """What differs besides the tables: changed input files, rules or row counts."""
    tables: tuple[TableComparison, ...]
    """Every output table compared by typed value; for a CSV run also as written."""

    @property
    def identical(self) -> bool:
        return not self.problems and all(table.identical for table in self.tables)


def verify_run(
    run: Path,
    *,
    data_dir: Path | None = None,
    engine: EngineOptions | None = None,
    examples_per_table: int = 3,
) -> Verification:
    """Compute `run` again from its kept inputs and its rules (or from `data_dir`, the data it
    was computed from, whose files must still be those run.json names) and compare every
    output table with the run's own."""
    from partnercredit import core

    facts = read_run_facts(run)
    problems = [*_rules_problems(facts)]
    if data_dir is not None:
        problems += _changed_inputs(facts, data_dir)
    source = data_dir if data_dir is not None else facts.folder / INPUTS_FOLDER
    # Beside the run, on the disk that had room for it; removed afterwards.
    remove_abandoned(facts.folder.parent, _SCRATCH_PREFIX)
    scratch = make_work_folder(facts.folder.parent, _SCRATCH_PREFIX)
    try:
        again = core.run(
            source,
            scratch / "run",
            rules=facts.rules,
            output_format=facts.output_format,
            engine=engine,
        )
        recomputed = read_run_facts(again.out_dir)
        problems += _count_problems(facts, recomputed, from_kept_inputs=data_dir is None)
        compared: tuple[OutputTable, ...] = (CREDITS, UNATTRIBUTED, ATTAINMENT, PAYOUTS)
        if data_dir is not None:
            compared += (REJECTED,)
        tables = tuple(
            comparison
            for table in compared
            for comparison in _compare(table, facts, recomputed, examples_per_table)
        )
    finally:
        remove_work_folder(scratch)
    return Verification(facts, source, __version__, tuple(problems), tables)


def _compare(
    table: OutputTable, run: RunFacts, recomputed: RunFacts, examples: int
) -> list[TableComparison]:
    """The table by typed value, and for a CSV run the CSV text as well."""
    paths = [
        (
            table.name,
            parquet_path(run.folder, table, run.output_format),
            parquet_path(recomputed.folder, table, run.output_format),
        ),
    ]
    if run.output_format == "csv":
        paths.append(
            (
                f"{table.name}.csv",
                output_path(run.folder, table, "csv"),
                output_path(recomputed.folder, table, "csv"),
            ),
        )
    return [compare_tables(name, first, other, examples) for name, first, other in paths]


def _rules_problems(run: RunFacts) -> list[str]:
    if run.rules.sha256 == run.rules_sha256:
        return []
    return ["run.json: the rules text does not have the SHA-256 written beside it"]


def _changed_inputs(run: RunFacts, data_dir: Path) -> list[str]:
    problems = []
    for name, sha256 in sorted(run.input_files.values()):
        path = data_dir / name
        if not path.is_file():
            problems.append(f"input {name}: missing from {data_dir}")
        elif file_sha256(path) != sha256:
            problems.append(f"input {name}: changed since the run (another SHA-256)")
    return problems


def _count_problems(run: RunFacts, recomputed: RunFacts, *, from_kept_inputs: bool) -> list[str]:
    """Rows per input table: from the data directory, every count must be the run's; from the
    kept inputs, every row the run accepted must be read and accepted again, and nothing more."""
    problems = []
    for table in sorted(set(run.table_counts) | set(recomputed.table_counts)):
        before = run.table_counts.get(table, {})
        after = recomputed.table_counts.get(table, {})
        if from_kept_inputs:
            accepted = before.get("accepted", 0)
            expected = {"read": accepted, "accepted": accepted, "rejected": 0, "collapsed": 0}
        else:
            expected = before
        if after != expected:
            problems.append(
                f"{table}: rows {_counts_text(expected)} expected, {_counts_text(after)} recomputed"
            )
    return problems


def _counts_text(counts: dict[str, int]) -> str:
    return ", ".join(f"{key} {value}" for key, value in counts.items()) or "none"
