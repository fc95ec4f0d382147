"""The core API: validate a data directory, run the attribution, publish a run folder.

The CLI and the web app are thin shells over these functions; they only render what the
functions return.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import ibis

from partnercredit.contract import TABLES
from partnercredit.credit.compute_credit import CreditResult, compute_credit
from partnercredit.engine import Backend, EngineOptions, open_backend
from partnercredit.errors import StrictRefusal
from partnercredit.outputs.manifest import (
    build_manifest,
    hash_files_in_background,
    write_manifest,
)
from partnercredit.outputs.publish import MANIFEST, publishing
from partnercredit.outputs.tables import CREDITS, OUTPUT_TABLES, REJECTED, UNATTRIBUTED
from partnercredit.outputs.write_table import OutputFormat, write_table
from partnercredit.rules import Rules, load_rules
from partnercredit.validate import TableCounts, ValidatedInputs, validate_inputs

INPUTS_FOLDER = "inputs"
PhaseCallback = Callable[[str], None]


@dataclass(frozen=True)
class Rejection:
    table: str
    row_number: int
    key: str | None
    column: str | None
    value: str | None
    reason: str
    message: str
    message_code: str


@dataclass(frozen=True)
class ValidationReport:
    counts: dict[str, TableCounts]
    rejected_by_reason: dict[str, int]
    examples: list[Rejection]
    """The first rejections of each reason, by table and row."""

    @property
    def rejected(self) -> int:
        return sum(self.rejected_by_reason.values())


@dataclass(frozen=True)
class RunReport:
    run_id: str
    out_dir: Path
    validation: ValidationReport
    outputs: dict[str, int]


def validate(
    data_dir: Path,
    *,
    rules: Rules | Path | None = None,
    out_dir: Path | None = None,
    engine: EngineOptions | None = None,
    examples_per_reason: int = 3,
    on_phase: PhaseCallback | None = None,
) -> ValidationReport:
    """Read and check every input table; with `out_dir`, publish the rejections and inputs."""
    with _session(data_dir, rules, engine, on_phase) as session:
        report = session.report(examples_per_reason)
        if out_dir is not None:
            session.publish(out_dir, "parquet")
        return report


def run(
    data_dir: Path,
    out_dir: Path,
    *,
    rules: Rules | Path | None = None,
    output_format: OutputFormat = "parquet",
    strict: bool = False,
    engine: EngineOptions | None = None,
    examples_per_reason: int = 3,
    on_phase: PhaseCallback | None = None,
) -> RunReport:
    """The complete run: every output table and run.json in `out_dir`, or nothing."""
    with _session(data_dir, rules, engine, on_phase) as session:
        report = session.report(examples_per_reason)
        if strict and report.rejected:
            count = report.rejected
            rows = "1 input row was" if count == 1 else f"{count} input rows were"
            raise StrictRefusal(f"--strict: {rows} rejected; nothing was published")
        session.compute()
        outputs = session.publish(out_dir, output_format)
        return RunReport(session.run_id, out_dir, report, outputs)


@contextmanager
def _session(
    data_dir: Path,
    rules: Rules | Path | None,
    engine: EngineOptions | None,
    on_phase: PhaseCallback | None,
) -> Iterator[_Session]:
    resolved = rules if isinstance(rules, Rules) else load_rules(rules)
    with (
        ThreadPoolExecutor(max_workers=2) as pool,
        open_backend(engine) as backend,
    ):
        yield _Session(data_dir, resolved, backend, pool, on_phase or (lambda _phase: None))


class _Session:
    """One pass over one data directory with one set of rules."""

    def __init__(
        self,
        data_dir: Path,
        rules: Rules,
        backend: Backend,
        pool: ThreadPoolExecutor,
        on_phase: PhaseCallback,
    ) -> None:
        self.run_id = f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"
        self.started_at = datetime.now(UTC)
        self.rules = rules
        self.backend = backend
        self.on_phase = on_phase
        on_phase("reading and checking inputs")
        self.inputs: ValidatedInputs = validate_inputs(backend, data_dir, rules.declared_types)
        self.hashes = hash_files_in_background(pool, self.inputs.sources)
        self.credit: CreditResult | None = None

    def compute(self) -> None:
        self.on_phase("crediting partners")
        self.credit = compute_credit(
            self.backend, self.inputs.accepted, self.inputs.partner_roots, self.rules
        )

    def report(self, examples_per_reason: int) -> ValidationReport:
        rejected = self.inputs.rejected
        by_reason = {
            row["reason"]: row["rows"]
            for row in self.backend.to_arrow(
                rejected.group_by("reason").aggregate(rows=ibis._.count()).order_by("reason")
            ).to_pylist()
        }
        ranked = rejected.mutate(
            _rank=ibis.row_number().over(
                group_by="reason", order_by=[rejected.table, rejected.row_number]
            )
        )
        examples = self.backend.to_arrow(
            ranked.filter(ranked._rank < examples_per_reason)
            .drop("_rank")
            .order_by(["reason", "table", "row_number"])
        ).to_pylist()
        return ValidationReport(
            self.inputs.counts, by_reason, [Rejection(**row) for row in examples]
        )

    def publish(self, out_dir: Path, output_format: OutputFormat) -> dict[str, int]:
        self.on_phase("writing outputs")
        with publishing(out_dir) as staging:
            tables = {REJECTED.name: self.inputs.rejected}
            if self.credit is not None:
                tables |= {
                    CREDITS.name: self.credit.credits,
                    UNATTRIBUTED.name: self.credit.unattributed,
                }
            outputs = {
                name: self._write(name, expr, staging, output_format)
                for name, expr in tables.items()
            }
            self._write_inputs(staging / INPUTS_FOLDER, tables, output_format)
            manifest = build_manifest(
                run_id=self.run_id,
                engine=self.backend.name,
                started_at=self.started_at,
                finished_at=datetime.now(UTC),
                rules=self.rules,
                sources=self.inputs.sources,
                hashes={name: future.result() for name, future in self.hashes.items()},
                counts=self.inputs.counts,
                outputs=outputs,
                output_format=output_format,
            )
            write_manifest(manifest, staging / MANIFEST)
        return outputs

    def _write(self, name: str, expr: ibis.Table, folder: Path, output_format: OutputFormat) -> int:
        write_table(self.backend, expr, OUTPUT_TABLES[name], folder, output_format)
        return int(self.backend.to_arrow(expr.count().as_table()).column(0)[0].as_py())

    def _write_inputs(
        self, folder: Path, outputs: dict[str, ibis.Table], output_format: OutputFormat
    ) -> None:
        """Accepted inputs and normalised links for `explain`, `diff` and `verify`; with CSV
        outputs also the output tables as Parquet, which those commands read quickly."""
        folder.mkdir()
        if output_format == "csv":
            for name, expr in outputs.items():
                write_table(self.backend, expr, OUTPUT_TABLES[name], folder, "parquet")
        for name in TABLES:
            self.backend.write_parquet(self.inputs.accepted[name], folder / f"{name}.parquet")
        self.backend.write_parquet(self.inputs.partner_roots, folder / "partner_roots.parquet")
        if self.credit is not None:
            self.backend.write_parquet(self.credit.links, folder / "links.parquet")
