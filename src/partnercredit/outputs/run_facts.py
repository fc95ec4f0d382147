"""What a published run's run.json says, checked and typed."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from partnercredit.errors import RulesError, UsageError
from partnercredit.outputs.manifest import holds_credits, read_manifest
from partnercredit.outputs.run_layout import MANIFEST
from partnercredit.outputs.tables import OutputFormat
from partnercredit.rules import Rules, parse_rules
from partnercredit.workspace import run_folder


@dataclass(frozen=True)
class RunFacts:
    folder: Path
    run_id: str
    product_version: str
    engine: str
    rules: Rules
    rules_sha256: str
    """As written in run.json (the SHA-256 of the rules text when nothing was altered)."""
    output_format: OutputFormat
    input_files: dict[str, tuple[str, str]]
    """(file name, SHA-256) of every input table read."""
    table_counts: dict[str, dict[str, int]]
    """Per input table: rows read, accepted, rejected and collapsed."""
    output_rows: dict[str, int]


def read_run_facts(folder: Path) -> RunFacts:
    """The facts of the run that `folder` names (a run folder, or a workspace: its latest run);
    a folder written by `validate` alone is refused."""
    folder = run_folder(folder)
    manifest = read_manifest(folder)
    try:
        facts = _facts(folder, manifest)
    except (KeyError, TypeError, ValueError) as error:
        raise UsageError(f"{folder / MANIFEST}: not the run.json of a partnercredit run") from error
    except RulesError as error:
        raise UsageError(f"{folder / MANIFEST}: its rules do not load ({error})") from None
    if not holds_credits(manifest):
        raise UsageError(
            f"{folder}: holds a validation only, no credits; run `partnercredit run` first"
        )
    return facts


def _facts(folder: Path, manifest: dict[str, Any]) -> RunFacts:
    output_format = manifest["outputs"]["format"]
    if output_format not in ("parquet", "csv"):
        raise ValueError(output_format)
    return RunFacts(
        folder=folder,
        run_id=str(manifest["run_id"]),
        product_version=str(manifest["product_version"]),
        engine=str(manifest["engine"]),
        rules=parse_rules(manifest["rules"]["text"], manifest["rules"]["source"]),
        rules_sha256=str(manifest["rules"]["sha256"]),
        output_format="csv" if output_format == "csv" else "parquet",
        input_files={
            entry["table"]: (str(entry["file"]), str(entry["sha256"]))
            for entry in manifest["inputs"]
        },
        table_counts={
            name: {key: int(value) for key, value in counts.items()}
            for name, counts in manifest["tables"].items()
        },
        output_rows={name: int(rows) for name, rows in manifest["outputs"]["rows"].items()},
    )
