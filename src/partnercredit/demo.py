"""The demo: generate a realistic dataset, run the attribution on it, and point at a partner
worth looking at."""

from __future__ import annotations

import json
from dataclasses import dataclass
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING

import duckdb

from partnercredit import interrupts
from partnercredit.engine.file_scans import parquet_scan
from partnercredit.errors import UsageError
from partnercredit.messages import Phase
from partnercredit.outputs.publish import foreign_entries
from partnercredit.paths import PathArg, as_path

if TYPE_CHECKING:
    from partnercredit.core import PhaseCallback, RunReport
    from partnercredit.engine import EngineOptions

DEMO_SUBSCRIPTIONS = 60_000
DEMO_SEED = 2016
# Two fiscal years (FY2016 and FY2017): a year of targets with the year before it, so that
# customers are new or not by their history, and the default rules' policy changes of 2016.
DEMO_MONTHS = 24
DEMO_START = "2015-07"


@dataclass(frozen=True)
class DemoResult:
    data_dir: Path
    run_dir: Path
    report: RunReport
    largest_partner: str | None
    """The partner with the most competency credit: its statement is worth a look."""
    example_line: str | None
    """That partner's line with the most competency credit: its explanation is worth one."""


# The generator and the engine are imported where used: the CLI imports this module to
# build its commands, and most commands need neither.
def run_demo(
    folder: PathArg,
    *,
    subscriptions: int = DEMO_SUBSCRIPTIONS,
    seed: int = DEMO_SEED,
    engine: EngineOptions | None = None,
    on_phase: PhaseCallback | None = None,
) -> DemoResult:
    """Generate (once per size and seed) under folder/data, run into folder/run."""
    folder = as_path(folder)
    _check_demo_folder(folder)
    data_dir = folder / "data"
    wanted = _dataset_parameters(subscriptions, seed)
    if _generated_with(data_dir) != wanted:
        if on_phase:
            on_phase(Phase("phase.generating", {"subscriptions": Decimal(subscriptions)}))
        from partnercredit.generate import generate_dataset

        generate_dataset(
            data_dir,
            subscriptions=subscriptions,
            seed=seed,
            months=DEMO_MONTHS,
            start=DEMO_START,
            file_format="parquet",
        )
        # The dataset is in place; an interrupt may stop the run again.
        interrupts.release()
    from partnercredit import core

    run_dir = folder / "run"
    report = core.run(data_dir, run_dir, engine=engine, on_phase=on_phase)
    partner, line = _largest_partner(run_dir)
    return DemoResult(data_dir, run_dir, report, partner, line)


def _check_demo_folder(folder: Path) -> None:
    """A demo's folder holds its data and its run, nothing else: a run folder or a folder of
    one's own files is not made into one."""
    if not folder.exists():
        return
    foreign = foreign_entries(folder, _DEMO_CONTENTS)
    if foreign:
        raise UsageError(
            f"{folder}: holds {', '.join(foreign)} besides a demo's data and run; choose a new "
            "folder for the demo (--dir)"
        )


_DEMO_CONTENTS = frozenset(("data", "run"))


def _dataset_parameters(subscriptions: int, seed: int) -> dict[str, object]:
    """The demo dataset's parameters as generate.json records them."""
    return {
        "subscriptions": subscriptions,
        "months": DEMO_MONTHS,
        "start": DEMO_START,
        "seed": seed,
        "messy": 0.0,
        "format": "parquet",
    }


def _generated_with(data_dir: Path) -> dict[str, object] | None:
    """The parameters of the dataset in data_dir, if it is whole (generate.json and every
    table it names) and made by this version of the generator; None otherwise, and the dataset
    is generated again. A dataset generated with other parameters (by `generate` into the
    demo's folder) is generated again too."""
    from partnercredit.generate.report import GENERATOR_VERSION, REPORT_FILE

    try:
        report = json.loads((data_dir / REPORT_FILE).read_text(encoding="utf-8"))
        parameters, tables = report["parameters"], report["tables"]
        complete = all((data_dir / table["file"]).is_file() for table in tables.values())
        current = report.get("generator_version") == GENERATOR_VERSION
    except (OSError, ValueError, KeyError, TypeError, AttributeError):
        return None
    return parameters if complete and current and isinstance(parameters, dict) else None


_SHOWN_PROGRAM = "competency"
"""The default rules' attainment program: the demo shows its largest partner."""


def _largest_partner(run_dir: Path) -> tuple[str | None, str | None]:
    """The partner with the most competency credit, and its line with the most."""
    credits = parquet_scan(run_dir / "credits.parquet")
    row = (
        duckdb.connect()
        .execute(
            f"WITH totals AS (SELECT partner_id, sum(credit_usd) AS total FROM {credits} "
            "WHERE program = ? GROUP BY partner_id ORDER BY total DESC, partner_id LIMIT 1) "
            f"SELECT partner_id, line_id FROM {credits} JOIN totals USING (partner_id) "
            "WHERE program = ? ORDER BY credit_usd DESC, line_id LIMIT 1",
            [_SHOWN_PROGRAM, _SHOWN_PROGRAM],
        )
        .fetchone()
    )
    return (None, None) if row is None else (str(row[0]), str(row[1]))
