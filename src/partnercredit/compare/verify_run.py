"""Recompute a published run and compare: are its outputs what its inputs and rules give?"""

from __future__ import annotations

import csv
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyarrow as pa
import pyarrow.parquet as pq

from partnercredit import __version__, core, interrupts
from partnercredit.arguments import require_count, require_engine
from partnercredit.compare.compare_tables import TableComparison, compare_tables
from partnercredit.contract import TABLES
from partnercredit.engine import EngineOptions
from partnercredit.errors import UsageError
from partnercredit.outputs.manifest import file_sha256
from partnercredit.outputs.run_facts import RunFacts, read_run_facts
from partnercredit.outputs.run_layout import INPUTS_FOLDER, output_path, parquet_path
from partnercredit.outputs.tables import (
    ATTAINMENT,
    CREDITS,
    OUTPUT_TABLES,
    PAYOUTS,
    REJECTED,
    UNATTRIBUTED,
    OutputTable,
)
from partnercredit.paths import PathArg, as_path
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
    run: PathArg,
    *,
    data_dir: PathArg | None = None,
    engine: EngineOptions | None = None,
    examples_per_table: int = 3,
) -> Verification:
    """Compute `run` again from its kept inputs and its rules (or from `data_dir`, the data it
    was computed from, whose files must still be those run.json names) and compare every
    output table with the run's own, and run.json's row counts with the tables."""
    data_dir = as_path(data_dir)
    require_engine(engine)
    require_count("examples_per_table", examples_per_table, 0)
    facts = read_run_facts(as_path(run))
    if data_dir is None and facts.engine == "spark":
        raise UsageError(
            f"{facts.folder}: a Spark run keeps its inputs as folders of part files, which "
            "are not read as inputs; verify it from its data with --data DATA_DIR"
        )
    problems = [*_rules_problems(facts), *_manifest_problems(facts)]
    if data_dir is not None:
        problems += _changed_inputs(facts, data_dir)
    source = data_dir if data_dir is not None else facts.folder / INPUTS_FOLDER
    if data_dir is None:
        _require_kept_inputs(facts.folder)
    with _scratch_folder(engine) as scratch, interrupts.in_scratch():
        again = core.run(
            source,
            scratch / "run",
            rules=facts.rules,
            output_format=facts.output_format,
            engine=engine,
        )
        recomputed = read_run_facts(again.out_dir)
        problems += _count_problems(facts, recomputed, from_kept_inputs=data_dir is None)
        tables = (
            *(
                comparison
                for table in _compared_outputs(data_dir)
                for comparison in _compare(table, facts, recomputed, examples_per_table, engine)
            ),
            *(
                compare_tables(
                    f"{INPUTS_FOLDER}/{name}",
                    facts.folder / INPUTS_FOLDER / name,
                    recomputed.folder / INPUTS_FOLDER / name,
                    examples_per_table,
                    engine=engine,
                )
                for name in _compared_inputs(data_dir)
            ),
        )
    return Verification(facts, source, __version__, tuple(problems), tables)


def _require_kept_inputs(run: Path) -> None:
    """Every input table the run kept, or a refusal that names what is missing (the data
    directory would report it as a table missing from the data, as CSV or Parquet)."""
    missing = [
        f"{INPUTS_FOLDER}/{name}.parquet"
        for name in TABLES
        if not (run / INPUTS_FOLDER / f"{name}.parquet").is_file()
    ]
    if not missing:
        return
    if len(missing) == len(TABLES):
        missing = [f"{INPUTS_FOLDER}/"]
    verb = "is" if len(missing) == 1 else "are"
    raise UsageError(
        f"{run}: {', '.join(missing)} {verb} missing, so the run cannot be computed again from "
        "its kept inputs; verify it from its data with --data DATA_DIR"
    )


@contextmanager
def _scratch_folder(engine: EngineOptions | None) -> Iterator[Path]:
    """Where the recomputed run is written: the engine's spill folder (or the system's
    temporary folder), so that a reader without write access to the run can verify it."""
    parent = (engine or EngineOptions()).spill_parent()
    try:
        parent.mkdir(parents=True, exist_ok=True)
        remove_abandoned(parent, _SCRATCH_PREFIX)
        scratch = make_work_folder(parent, _SCRATCH_PREFIX)
    except OSError as error:
        raise UsageError(f"{parent}: cannot make a scratch folder ({error.strerror})") from None
    try:
        yield scratch
    finally:
        remove_work_folder(scratch)


def _compared_outputs(data_dir: Path | None) -> tuple[OutputTable, ...]:
    """Without the data, the rejected rows cannot be recomputed (only counted)."""
    outputs = (CREDITS, UNATTRIBUTED, ATTAINMENT, PAYOUTS)
    return outputs if data_dir is None else (*outputs, REJECTED)


def _compared_inputs(data_dir: Path | None) -> tuple[str, ...]:
    """The kept inputs derived from others (always), and with the data the accepted rows
    themselves, which `explain` and `partner` read."""
    derived = ("links.parquet", "partner_roots.parquet")
    if data_dir is None:
        return derived
    return (*derived, *(f"{name}.parquet" for name in TABLES))


def _compare(
    table: OutputTable,
    run: RunFacts,
    recomputed: RunFacts,
    examples: int,
    engine: EngineOptions | None,
) -> list[TableComparison]:
    """The table by typed value, and for a CSV run the CSV as written as well."""
    comparisons = [
        compare_tables(
            table.name,
            parquet_path(run.folder, table, run.output_format),
            parquet_path(recomputed.folder, table, run.output_format),
            examples,
            engine=engine,
        )
    ]
    if run.output_format == "csv":
        comparisons.append(
            compare_tables(
                f"{table.name}.csv",
                output_path(run.folder, table, "csv"),
                output_path(recomputed.folder, table, "csv"),
                examples,
                as_written=True,
                engine=engine,
            )
        )
    return comparisons


def _rules_problems(run: RunFacts) -> list[str]:
    if run.rules.sha256 == run.rules_sha256:
        return []
    return ["run.json: the rules text does not have the SHA-256 written beside it"]


def _manifest_problems(run: RunFacts) -> list[str]:
    """run.json's counts against themselves and against the run's tables."""
    problems = [
        f"run.json: {table}: rows read {counts.get('read')} are not accepted + rejected + collapsed"
        for table, counts in sorted(run.table_counts.items())
        if counts.get("read")
        != sum(counts.get(key, 0) for key in ("accepted", "rejected", "collapsed"))
    ]
    rejected = sum(counts.get("rejected", 0) for counts in run.table_counts.values())
    if run.output_rows.get(REJECTED.name) != rejected:
        problems.append(
            f"run.json: {run.output_rows.get(REJECTED.name)} rejected rows written, but the "
            f"input tables count {rejected}"
        )
    for table in OUTPUT_TABLES.values():
        written = run.output_rows.get(table.name)
        path = parquet_path(run.folder, table, run.output_format)
        found = _rows(path) if path.exists() else 0
        if found is not None and written != found:
            problems.append(f"run.json: {written} rows of {table.name} written, {found} found")
    if run.output_format == "csv":
        # The rejected rows are not recomputed without --data: the published file is counted.
        published = output_path(run.folder, REJECTED, "csv")
        found = _csv_rows(published)
        if run.output_rows.get(REJECTED.name) != found:
            problems.append(
                f"run.json: {run.output_rows.get(REJECTED.name)} rows of {REJECTED.name} "
                f"written, {found} found in {published.name}"
            )
    return problems


def _csv_rows(path: Path) -> int:
    """The data rows of a CSV file this program wrote (0 if it is missing)."""
    if not path.is_file():
        return 0
    with path.open(encoding="utf-8", newline="") as rows:
        return max(sum(1 for _ in csv.reader(rows)) - 1, 0)


def _rows(path: Path) -> int | None:
    """The rows of a Parquet table (file or folder of part files); None if unreadable (the
    comparison of the table reports that)."""
    files = sorted(path.glob("*.parquet")) if path.is_dir() else [path]
    try:
        return sum(int(pq.ParquetFile(file).metadata.num_rows) for file in files)
    except (OSError, pa.ArrowException):
        return None


def _changed_inputs(run: RunFacts, data_dir: Path) -> list[str]:
    problems = []
    for name, sha256 in sorted(run.input_files.values()):
        path = data_dir / name
        if not path.is_file():
            problems.append(f"input {name}: missing from {data_dir}")
            continue
        try:
            changed = file_sha256(path) != sha256
        except OSError as error:
            raise UsageError(f"{path}: cannot be read ({error.strerror})") from None
        if changed:
            problems.append(f"input {name}: changed since the run (another SHA-256)")
    read = {name for name, _ in run.input_files.values()}
    for table in TABLES:
        for path in sorted(data_dir.glob(f"{table}.*")):
            if path.suffix in (".csv", ".parquet") and path.name not in read:
                problems.append(f"input {path.name}: not read by the run")
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
