"""The core API: validate a data directory, run the attribution, publish a run folder.

The CLI and the web app are thin shells over these functions; they only render what the
functions return.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import get_args

import ibis

from partnercredit import interrupts
from partnercredit.arguments import require_count, require_engine
from partnercredit.contract import REJECTION_REASONS, TABLES
from partnercredit.credit.compute_credit import compute_credit
from partnercredit.engine import Backend, EngineOptions, open_backend
from partnercredit.engine.backend import AfterSort
from partnercredit.errors import StrictRefusal, UnreadableData, UsageError
from partnercredit.messages import TEXTS, Language, Phase
from partnercredit.messages import render as render_message
from partnercredit.outputs.manifest import (
    build_manifest,
    hash_files_in_background,
    holds_credits,
    read_manifest,
    write_manifest,
)
from partnercredit.outputs.publish import check_replaceable, publishing
from partnercredit.outputs.run_layout import INPUTS_FOLDER, MANIFEST, parquet_path
from partnercredit.outputs.tables import (
    ATTAINMENT,
    CREDITS,
    PAYOUTS,
    REJECTED,
    REJECTION_CODES,
    UNATTRIBUTED,
    OutputFormat,
    OutputTable,
)
from partnercredit.outputs.write_table import write_table
from partnercredit.paths import PathArg, as_path
from partnercredit.readers import SourceFile, damaged_parquet, discover_tables
from partnercredit.rules import Rules, as_recorded, load_rules
from partnercredit.summary import RunSummary, summarize_run
from partnercredit.targets.compute_targets import compute_targets
from partnercredit.validation import TableCounts, ValidatedInputs, validate_inputs
from partnercredit.workspace import new_run_folder, new_run_id, refuse_workspace

PhaseCallback = Callable[[Phase], None]
"""Called with each phase a run or validation enters."""


@dataclass(frozen=True)
class Rejection:
    """One rejected input row, as the `rejected` table holds it: `message` is the English
    text of `message_code` (see `text` for other languages)."""

    table: str
    row_number: int
    key: str | None
    column: str | None
    value: str | None
    reason: str
    message: str
    message_code: str

    def text(self, language: Language = "en") -> str:
        """The message in `language`, from its code (a run of another version may hold a
        code this one does not know: then its English text)."""
        if self.message_code not in TEXTS:
            return self.message
        params = {"column": self.column, "value": self.value, "key": self.key}
        return render_message(self.message_code, params, language)


@dataclass(frozen=True)
class ValidationReport:
    """What reading and checking the inputs found: rows per input table, rejections by
    reason (in the order SPEC 5 checks them), and examples."""

    counts: dict[str, TableCounts]
    rejected_by_reason: dict[str, int]
    examples: list[Rejection]
    """The first rejections of each reason, by table and row."""

    @property
    def rejected(self) -> int:
        return sum(self.rejected_by_reason.values())


@dataclass(frozen=True)
class RunReport:
    """A published run: its id and folder, its validation, the rows written per output
    table, and a summary per program."""

    run_id: str
    out_dir: Path
    validation: ValidationReport
    outputs: dict[str, int]
    summary: RunSummary


def validate(
    data_dir: PathArg,
    *,
    rules: Rules | PathArg | None = None,
    out_dir: PathArg | None = None,
    engine: EngineOptions | None = None,
    examples_per_reason: int = 3,
    on_phase: PhaseCallback | None = None,
) -> ValidationReport:
    """Read and check every input table; with `out_dir`, publish the rejections and inputs
    (a validation folder, which a run may replace).

    Returns the rows read, accepted, rejected and collapsed per table and the rejections by
    reason, with up to `examples_per_reason` examples each. Raises `StructuralError` (a table
    or column missing, a file that cannot be read: `UnreadableData`, bad rules: `RulesError`),
    `UsageError` (folders, settings), `ResourceError` (memory or disk) and `Interrupted`."""
    data_dir, out_dir = as_path(data_dir), as_path(out_dir)
    _check_settings(engine, examples_per_reason)
    resolved = _resolve_rules(rules)
    if out_dir is not None:
        refuse_workspace(out_dir)
        _refuse_replacing_a_run(out_dir)
        check_replaceable(out_dir)
        interrupts.publishes()
    with _session(data_dir, resolved, engine, on_phase, new_run_id()) as session:
        report = session.report(examples_per_reason)
        if out_dir is not None:
            with publishing(out_dir) as staging:
                session.keep_inputs(staging)
                rows = session.write_output(staging, REJECTED, session.inputs.rejected, "parquet")
                session.write_manifest(staging, {REJECTED.name: rows}, "parquet")
        return report


def _refuse_replacing_a_run(out_dir: Path) -> None:
    """A validation does not replace a run's credits (a run replaces a validation)."""
    if not (out_dir / MANIFEST).is_file():
        return
    if holds_credits(read_manifest(out_dir)):
        raise UsageError(
            f"{out_dir}: holds a run with credits, which validate --out would replace with a "
            "validation only; choose another folder"
        )


def run(
    data_dir: PathArg,
    out_dir: PathArg | None = None,
    *,
    workspace: PathArg | None = None,
    rules: Rules | PathArg | None = None,
    output_format: OutputFormat = "parquet",
    strict: bool = False,
    engine: EngineOptions | None = None,
    examples_per_reason: int = 3,
    on_phase: PhaseCallback | None = None,
) -> RunReport:
    """The complete run: every output table and run.json in `out_dir` (or in a new run folder
    of `workspace`), or nothing.

    `rules` is a rules file, `Rules` read with `load_rules` or `parse_rules`, or None for the
    built-in default rules. `on_phase` is called with each `Phase` the run enters. Returns
    the run's id and folder, the validation report, the rows written per table and a summary.
    Raises what `validate` raises, and `StrictRefusal` (with the validation report) when
    `strict` and a row was rejected; in every case nothing is published."""
    data_dir, out_dir, workspace = as_path(data_dir), as_path(out_dir), as_path(workspace)
    _check_settings(engine, examples_per_reason)
    if output_format not in get_args(OutputFormat):
        raise UsageError(f"output_format: use parquet or csv, not {output_format!r}")
    resolved = _resolve_rules(rules)
    resolved.require_programs()
    run_id = new_run_id()
    run_folder = _publish_to(out_dir, workspace, run_id)
    with (
        publishing(run_folder) as staging,
        _session(data_dir, resolved, engine, on_phase, run_id) as session,
    ):
        report = session.report(examples_per_reason)
        if strict and report.rejected:
            count = report.rejected
            rows = "1 input row was" if count == 1 else f"{count} input rows were"
            raise StrictRefusal(f"--strict: {rows} rejected; nothing was published", report)
        accepted = session.keep_inputs(staging)
        session.on_phase(Phase("phase.crediting"))
        credit = compute_credit(
            session.backend,
            accepted,
            session.roots,
            resolved,
            lines_ascend="revenue" in session.inputs.ascending_keys,
        )
        # Sorted by what `explain` looks links up by, so that it reads one row group.
        session.backend.write_parquet(
            credit.explained_links,
            staging / INPUTS_FOLDER / "links.parquet",
            order_by=("scope_id",),
        )
        session.backend.drop(credit.links)
        rejected = session.write_output(staging, REJECTED, session.inputs.rejected, output_format)
        unattributed = session.write_output(
            staging,
            UNATTRIBUTED,
            credit.unattributed,
            output_format,
            credit.unattributed_order,
            ranges=credit.unattributed_ranges,
        )
        credit.release_states(session.backend)
        written = {
            REJECTED.name: rejected,
            CREDITS.name: session.write_output(
                staging,
                CREDITS,
                credit.credits,
                output_format,
                credit.credits_order,
                credit.decode_credits,
                credit.credit_ranges,
            ),
            UNATTRIBUTED.name: unattributed,
        }
        credit.release(session.backend)
        session.on_phase(Phase("phase.targets"))
        targets = compute_targets(
            session.backend,
            resolved,
            session.backend.read_parquet(parquet_path(staging, CREDITS, output_format)),
            credit.lines,
            credit.products,
            credit.partner_numbers,
            session.roots,
            credit.batches,
        )
        written[ATTAINMENT.name] = session.write_output(
            staging, ATTAINMENT, targets.attainment, output_format
        )
        written[PAYOUTS.name] = session.write_output(
            staging, PAYOUTS, targets.payouts, output_format
        )
        session.write_manifest(staging, written, output_format)
        kept = {
            table.name: session.backend.read_parquet(parquet_path(staging, table, output_format))
            for table in (CREDITS, UNATTRIBUTED, ATTAINMENT, PAYOUTS)
        }
        summary = summarize_run(session.backend, resolved, credit.lines, **kept)
        return RunReport(session.run_id, run_folder, report, written, summary)


def _check_settings(engine: object, examples_per_reason: object) -> None:
    """Arguments of the wrong kind are refused before anything is read."""
    require_engine(engine)
    require_count("examples_per_reason", examples_per_reason, 0)


def _reason_rank(reason: str) -> int:
    return (
        REJECTION_REASONS.index(reason) if reason in REJECTION_REASONS else len(REJECTION_REASONS)
    )


def _resolve_rules(rules: Rules | PathArg | None) -> Rules:
    return as_recorded(rules) if isinstance(rules, Rules) else load_rules(rules)


def _publish_to(out_dir: Path | None, workspace: Path | None, run_id: str) -> Path:
    if out_dir is not None and workspace is None:
        refuse_workspace(out_dir)
        return out_dir
    if workspace is not None and out_dir is None:
        return new_run_folder(workspace, run_id)
    raise UsageError("name either an output folder (--out) or a workspace (--workspace)")


@contextmanager
def _session(
    data_dir: Path,
    rules: Rules,
    engine: EngineOptions | None,
    on_phase: PhaseCallback | None,
    run_id: str,
) -> Iterator[_Session]:
    # Before an engine starts (Spark takes seconds): a missing table needs none to be found.
    sources = discover_tables(data_dir)
    try:
        with (
            ThreadPoolExecutor(max_workers=2) as pool,
            open_backend(engine) as backend,
            backend.resource_errors(),
        ):
            yield _Session(run_id, sources, rules, backend, pool, on_phase or (lambda _phase: None))
    except UnreadableData as unreadable:
        # The engine names no file: an input is the likeliest, and the one it finds is named.
        raise damaged_parquet(sources.values()) or unreadable from None


class _Session:
    """One pass over one data directory with one set of rules."""

    def __init__(
        self,
        run_id: str,
        sources: dict[str, SourceFile],
        rules: Rules,
        backend: Backend,
        pool: ThreadPoolExecutor,
        on_phase: PhaseCallback,
    ) -> None:
        self.run_id = run_id
        self.started_at = datetime.now(UTC)
        self.rules = rules
        self.backend = backend
        self._report_phase = on_phase
        self.on_phase(Phase("phase.reading"))
        self.inputs: ValidatedInputs = validate_inputs(backend, sources, rules.declared_types)
        backend.fit_memory_to(self.inputs.counts["revenue"].read)
        self.hashes = hash_files_in_background(pool, self.inputs.sources)
        self.roots = self.inputs.partner_roots

    def on_phase(self, phase: Phase) -> None:
        """Report the phase the run enters, unless an interrupt arrived that the engine's
        client swallowed: then the run stops here rather than at its end."""
        interrupts.stop_if_received()
        self._report_phase(phase)

    def report(self, examples_per_reason: int) -> ValidationReport:
        """Rejections by reason in the order SPEC 5 checks them; the examples of each reason
        are its first rows, tables in SPEC 4 order."""
        rejected = self.inputs.rejected
        counts = {
            row["reason"]: row["rows"]
            for row in self.backend.to_arrow(
                rejected.group_by("reason").aggregate(rows=ibis._.count())
            ).to_pylist()
        }
        by_reason = {reason: counts[reason] for reason in sorted(counts, key=_reason_rank)}
        table_rank = ibis.cases(
            *((rejected.table == name, rank) for rank, name in enumerate(TABLES)), else_=len(TABLES)
        )
        ranked = rejected.mutate(
            _rank=ibis.row_number().over(
                group_by="reason", order_by=[table_rank, rejected.row_number]
            ),
            _table_rank=table_rank,
        )
        examples = self.backend.to_arrow(
            ranked.filter(ranked._rank < examples_per_reason)
            .order_by(["_table_rank", "row_number"])
            .drop("_rank", "_table_rank")
        ).to_pylist()
        examples.sort(key=lambda row: _reason_rank(row["reason"]))
        return ValidationReport(
            self.inputs.counts, by_reason, [Rejection(**row) for row in examples]
        )

    def keep_inputs(self, staging: Path) -> dict[str, ibis.Table]:
        """Write the accepted inputs under inputs/ (for `explain`, `diff` and `verify`) and
        continue from those files, so that the engine can forget the checked rows."""
        self.on_phase(Phase("phase.keeping"))
        folder = staging / INPUTS_FOLDER
        folder.mkdir()
        for name in TABLES:
            self.backend.write_parquet(self.inputs.accepted[name], folder / f"{name}.parquet")
        self.backend.write_parquet(self.roots, folder / "partner_roots.parquet")
        self.backend.write_parquet(
            self.inputs.rejected.select("table", "row_number", "message_code"),
            folder / f"{REJECTION_CODES}.parquet",
            order_by=("table", "row_number"),
        )
        self.inputs.release(self.backend)
        self.roots = self.backend.read_parquet(folder / "partner_roots.parquet")
        return {name: self.backend.read_parquet(folder / f"{name}.parquet") for name in TABLES}

    def write_output(
        self,
        staging: Path,
        table: OutputTable,
        expr: ibis.Table,
        output_format: OutputFormat,
        parquet_keys: tuple[str, ...] = (),
        decode: AfterSort | None = None,
        ranges: int = 1,
    ) -> int:
        """Write one output table (see `write_table` for `parquet_keys`, `decode` and
        `ranges`); returns its rows.
        CSV runs also keep the table as Parquet under inputs/, which `explain` and the targets
        stage read quickly; the table is computed once for both files, unless it comes in
        ranges: a batched run keeps those rows as Parquet already, and reading them twice
        costs less than holding every row in the engine."""
        self.on_phase(Phase("phase.writing", {"table": table.name}))
        parquet = parquet_path(staging, table, output_format)
        if output_format == "parquet":
            write_table(self.backend, expr, table, staging, "parquet", parquet_keys, decode, ranges)
        else:
            computed = expr if ranges > 1 else self.backend.materialize(table.name, expr)
            files: tuple[tuple[Path, OutputFormat], ...] = (
                (parquet.parent, "parquet"),
                (staging, "csv"),
            )
            for folder, fmt in files:
                write_table(
                    self.backend, computed, table, folder, fmt, parquet_keys, decode, ranges
                )
            if computed is not expr:
                self.backend.drop(computed)
        return self.backend.count_rows(parquet)

    def write_manifest(
        self, staging: Path, rows: dict[str, int], output_format: OutputFormat
    ) -> None:
        manifest = build_manifest(
            run_id=self.run_id,
            engine=self.backend.name,
            started_at=self.started_at,
            finished_at=datetime.now(UTC),
            rules=self.rules,
            sources=self.inputs.sources,
            hashes={name: future.result() for name, future in self.hashes.items()},
            counts=self.inputs.counts,
            outputs=rows,
            output_format=output_format,
        )
        write_manifest(manifest, staging / MANIFEST)
