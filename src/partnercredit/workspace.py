"""Run folders and workspaces (SPEC 9).

A run folder holds one published run (its tables, `run.json` and `inputs/`). A workspace is a
folder that keeps every run published into it, each in a new run folder `runs/RUN_ID`; the
commands that read a run accept a workspace and then read its latest run.
"""

from __future__ import annotations

from pathlib import Path

from partnercredit.errors import UsageError
from partnercredit.outputs.manifest import read_manifest
from partnercredit.outputs.publish import MANIFEST

RUNS_FOLDER = "runs"


def new_run_folder(workspace: Path, run_id: str) -> Path:
    """Where a run with this id is published in `workspace` (it does not exist yet)."""
    if workspace.exists() and not workspace.is_dir():
        raise UsageError(f"{workspace}: exists and is not a folder")
    if (workspace / MANIFEST).exists():
        raise UsageError(
            f"{workspace}: is a run folder, not a workspace; use --out to replace that run"
        )
    return workspace / RUNS_FOLDER / run_id


def workspace_runs(workspace: Path) -> list[Path]:
    """The published runs of a workspace, oldest first (by the time each finished)."""
    runs = [
        folder
        for folder in (workspace / RUNS_FOLDER).glob("*")
        if not folder.name.startswith(".") and (folder / MANIFEST).is_file()
    ]
    return sorted(runs, key=lambda folder: (_finished_at(folder), folder.name))


def run_folder(folder: Path) -> Path:
    """The run that `folder` names: a run folder itself, or the latest run of a workspace."""
    if (folder / MANIFEST).is_file():
        return folder
    if (folder / RUNS_FOLDER).is_dir():
        runs = workspace_runs(folder)
        if not runs:
            raise UsageError(f"{folder}: the workspace holds no published run yet")
        return runs[-1]
    raise UsageError(f"{folder}: not a partnercredit run folder ({MANIFEST}) or workspace")


def _finished_at(folder: Path) -> str:
    """The run's end time as written in its run.json (ISO 8601 in UTC: sorts as text); a
    damaged run.json sorts first."""
    try:
        return str(read_manifest(folder)["finished_at"])
    except (UsageError, KeyError, TypeError):
        return ""
