"""run.json: what a run read, with which rules, and what it wrote (SPEC 9)."""

from __future__ import annotations

import hashlib
import json
from collections.abc import Mapping
from concurrent.futures import Future, ThreadPoolExecutor
from dataclasses import asdict
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from partnercredit import __version__
from partnercredit.errors import UsageError
from partnercredit.outputs.run_layout import MANIFEST
from partnercredit.rules import Rules

if TYPE_CHECKING:
    from partnercredit.readers import SourceFile
    from partnercredit.validation import TableCounts

SCHEMA_VERSION = 1
_HASH_CHUNK = 8 << 20


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        while chunk := handle.read(_HASH_CHUNK):
            digest.update(chunk)
    return digest.hexdigest()


def hash_files_in_background(
    pool: ThreadPoolExecutor, sources: Mapping[str, SourceFile]
) -> dict[str, Future[str]]:
    """Start hashing every input file; hashlib releases the GIL, so the engine runs on."""
    return {name: pool.submit(file_sha256, source.path) for name, source in sources.items()}


def build_manifest(
    *,
    run_id: str,
    engine: str,
    started_at: datetime,
    finished_at: datetime,
    rules: Rules,
    sources: Mapping[str, SourceFile],
    hashes: Mapping[str, str],
    counts: Mapping[str, TableCounts],
    outputs: Mapping[str, int],
    output_format: str,
) -> dict[str, Any]:
    return {
        "schema_version": SCHEMA_VERSION,
        "run_id": run_id,
        "engine": engine,
        "product_version": __version__,
        "started_at": started_at.isoformat(),
        "finished_at": finished_at.isoformat(),
        "rules": {"source": rules.source_name, "sha256": rules.sha256, "text": rules.text},
        "inputs": [
            {
                "table": name,
                "file": source.path.name,
                "format": source.format,
                "sha256": hashes[name],
            }
            for name, source in sources.items()
        ],
        "tables": {name: asdict(table_counts) for name, table_counts in counts.items()},
        "outputs": {"format": output_format, "rows": dict(outputs)},
    }


def write_manifest(manifest: dict[str, Any], path: Path) -> None:
    path.write_text(json.dumps(manifest, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")


def read_manifest(run_dir: Path) -> dict[str, Any]:
    path = run_dir / MANIFEST
    try:
        manifest = json.loads(path.read_text(encoding="utf-8"))
    except OSError as error:
        raise UsageError(f"{path}: cannot be read ({error.strerror})") from None
    except ValueError:  # not UTF-8, or not JSON
        raise UsageError(f"{path}: not valid JSON") from None
    if not isinstance(manifest, dict):
        raise UsageError(f"{path}: not the run.json of a partnercredit run")
    return manifest


def holds_credits(manifest: Mapping[str, Any]) -> bool:
    """Whether run.json is a complete run's, with credits, rather than a validation's
    (`validate --out` publishes the rejections and the accepted inputs only)."""
    outputs = manifest.get("outputs")
    rows = outputs.get("rows") if isinstance(outputs, dict) else None
    return isinstance(rows, dict) and "credits" in rows
