"""generate_dataset: every input table of SPEC 4, written chunk by chunk."""

from __future__ import annotations

import dataclasses
import json
import tempfile
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pyarrow as pa

from partnercredit.contract import TABLES
from partnercredit.errors import UsageError
from partnercredit.generate import links, population
from partnercredit.generate.draws import Draws
from partnercredit.generate.fx import fx_table
from partnercredit.generate.messy import Mess, injections
from partnercredit.generate.parameters import Calendar, Parameters, checked
from partnercredit.generate.partners import partner_count, partners, partners_table
from partnercredit.generate.report import REPORT_FILE, GenerationReport, InjectedRows, TableReport
from partnercredit.generate.revenue import revenue_table
from partnercredit.generate.setting import Setting
from partnercredit.generate.sinks import TableOutput
from partnercredit.outputs.publish import publishing

DATASET_CONTENTS = frozenset(
    (REPORT_FILE, *(f"{name}.{ext}" for name in TABLES for ext in ("csv", "parquet")))
)
"""Every name a generated dataset's folder may hold."""

DEFAULT_CHUNK_SUBSCRIPTIONS = 100_000


def generate_dataset(
    out_dir: Path,
    *,
    subscriptions: int,
    months: int = 12,
    start: str = "2016-01",
    seed: int = 0,
    messy: float = 0.0,
    file_format: str = "csv",
    chunk_subscriptions: int = DEFAULT_CHUNK_SUBSCRIPTIONS,
) -> GenerationReport:
    """Write one file per input table into out_dir, plus generate.json.

    The same parameters give byte-identical files, whatever `chunk_subscriptions` (which only
    bounds memory). Raises UsageError for a bad parameter."""
    parameters = checked(
        subscriptions=subscriptions,
        months=months,
        start=start,
        seed=seed,
        messy=messy,
        file_format=file_format,
    )
    if chunk_subscriptions < 1:
        raise UsageError(f"chunk_subscriptions must be at least 1, not {chunk_subscriptions}")
    # Written beside out_dir and put in its place when complete: a failed or interrupted
    # generation leaves out_dir as it was, and an earlier dataset is replaced whole.
    with publishing(
        out_dir, marker=REPORT_FILE, kind="generated dataset", contents=DATASET_CONTENTS
    ) as staging:
        report = _generate(staging, parameters, chunk_subscriptions)
    return dataclasses.replace(report, out_dir=out_dir)


def _generate(out_dir: Path, parameters: Parameters, chunk_subscriptions: int) -> GenerationReport:
    months = parameters.months
    draws = Draws(parameters.seed)
    calendar = Calendar(parameters.start, parameters.months)
    setting = Setting(draws, calendar, partners(draws, partner_count(parameters.subscriptions)))
    with tempfile.TemporaryDirectory(dir=out_dir, prefix=".generate-") as spool:
        outputs = {
            name: TableOutput(
                out_dir,
                Path(spool),
                parameters.file_format,
                spec,
                Mess(spec, injections(spec, parameters.file_format), parameters.messy, months),
            )
            for name, spec in TABLES.items()
        }
        outputs["partners"].add(partners_table(draws, setting.partners))
        outputs["fx_rates"].add(fx_table(draws, calendar))
        rows = {name: 0 for name in TABLES}
        chunk_customers = max(1, round(chunk_subscriptions / population.MEAN_SUBSCRIPTIONS))
        for chunk in _chunks(setting, parameters.subscriptions, chunk_customers, rows):
            for name, table in chunk.items():
                outputs[name].add(table)
                rows[name] += len(table)
        for output in outputs.values():
            output.finish()
    periods = calendar.periods(np.array([0, months - 1]))
    report = GenerationReport(
        out_dir,
        parameters,
        periods[0].as_py(),
        periods[1].as_py(),
        {name: _table_report(output) for name, output in outputs.items()},
    )
    text = json.dumps(report.as_json(), indent=2, ensure_ascii=False) + "\n"
    (out_dir / REPORT_FILE).write_text(text, encoding="utf-8")
    return report


def _chunks(
    setting: Setting, subscriptions: int, chunk_customers: int, rows: dict[str, int]
) -> Iterator[dict[str, pa.Table]]:
    """The customer-driven tables, a chunk of customers at a time. `rows` counts the rows
    written so far per table (their ids continue from there)."""
    for owned in population.customer_chunks(setting.draws, subscriptions, chunk_customers):
        owners = population.customers(setting, rows["customers"], rows["subscriptions"], owned)
        subs = population.subscriptions(setting, owners)
        yield {
            "customers": population.customers_table(setting.draws, owners),
            "subscriptions": population.subscriptions_table(setting.draws, subs, owners),
            "revenue": revenue_table(setting, subs, owners, rows["revenue"]),
            "dpor_events": links.dpor_table(setting, subs, owners, rows["dpor_events"]),
            "delegated_admin": links.delegated_admin_table(
                setting, owners, rows["delegated_admin"]
            ),
            "fasttrack": links.fasttrack_table(setting, owners, subs, rows["fasttrack"]),
            "associations": links.associations_table(setting, owners, subs, rows["associations"]),
        }


def _table_report(output: TableOutput) -> TableReport:
    injected = tuple(
        InjectedRows(
            kind=injection.kind,
            reason=injection.reason,
            column=injection.column,
            rows=count * injection.rows,
            rejected=count * injection.rejected,
            collapsed=count * injection.collapsed,
        )
        for injection, count in zip(output.mess.injections, output.templates, strict=True)
        if count
    )
    rows = output.good_rows + sum(entry.rows for entry in injected)
    return TableReport(output.path.name, rows, injected)
