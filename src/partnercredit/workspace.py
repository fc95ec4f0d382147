"""Run folders and workspaces (SPEC 9).

A run folder holds one published run (its tables, `run.json` and `inputs/`). A workspace is a
folder that keeps every run published into it, each in a new run folder `runs/RUN_ID`; the
commands that read a run accept a workspace and then read its latest run.
"""

from __future__ import annotations

import re
import uuid
from datetime import UTC, datetime
from pathlib import Path

from partnercredit.errors import UsageError
from partnercredit.outputs.manifest import read_manifest
from partnercredit.outputs.run_layout import MANIFEST
from partnercredit.paths import PathArg, as_path

RUNS_FOLDER = "runs"
_RUN_ID = re.compile(r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}")


def new_run_id() -> str:
    """The run's start time (UTC) and a random suffix: ids sort by start time."""
    return f"{datetime.now(UTC):%Y%m%dT%H%M%SZ}-{uuid.uuid4().hex[:8]}"


def new_run_folder(workspace: Path, run_id: str) -> Path:
    """Where a run with this id is published in `workspace` (it does not exist yet)."""
    if workspace.exists() and not workspace.is_dir():
        raise UsageError(f"{workspace}: exists and is not a folder")
    if (workspace / MANIFEST).exists():
        raise UsageError(
            f"{workspace}: is a run folder, not a workspace; use --out to replace that run"
        )
    _refuse_runs_folder(workspace, "use --workspace {workspace}")
    _refuse_inside_runs_folder(workspace)
    return workspace / RUNS_FOLDER / run_id


def workspace_runs(workspace: PathArg) -> list[Path]:
    """The published runs of a workspace, oldest first (by the time each finished): none for a
    folder that no run was published to yet. A `UsageError` for what is no workspace (a
    missing folder, a file, a run folder, a workspace's runs folder) and naming a run whose
    run.json does not say when it finished."""
    workspace = as_path(workspace)
    if not workspace.is_dir():
        problem = "exists and is not a folder" if workspace.exists() else "no such folder"
        raise UsageError(f"{workspace}: {problem}")
    if (workspace / MANIFEST).is_file():
        raise UsageError(f"{workspace}: is a run folder, not a workspace")
    _refuse_runs_folder(workspace, "give the workspace {workspace}")
    runs = [
        folder
        for folder in (workspace / RUNS_FOLDER).glob("*")
        if not folder.name.startswith(".")
        and ((folder / MANIFEST).is_file() or _RUN_ID.fullmatch(folder.name))
    ]
    return sorted(runs, key=lambda folder: (_finished_at(folder), folder.name))


def run_folder(folder: PathArg) -> Path:
    """The run that `folder` names: a run folder itself, or the latest run of a workspace."""
    folder = as_path(folder)
    if (folder / MANIFEST).is_file():
        return folder
    if (folder / RUNS_FOLDER).is_dir():
        runs = workspace_runs(folder)
        if not runs:
            raise UsageError(f"{folder}: the workspace holds no published run yet")
        return runs[-1]
    _refuse_runs_folder(folder, "give the workspace or one of its run folders")
    raise UsageError(f"{folder}: not a partnercredit run folder ({MANIFEST}) or workspace")


def refuse_workspace(folder: Path) -> None:
    """A workspace given as the folder one run is published to (--out): its runs would be
    replaced by one."""
    if _is_runs_folder(folder / RUNS_FOLDER):
        raise UsageError(
            f"{folder}: is a workspace; use --workspace {folder} to add a run to it, or "
            "choose another folder for --out"
        )


def _refuse_runs_folder(folder: Path, advice: str) -> None:
    """A workspace's `runs` folder given for the workspace itself (a run would go to
    `runs/runs/RUN_ID`, a reader would find no run)."""
    if _is_runs_folder(folder):
        workspace = folder.parent
        raise UsageError(
            f"{folder}: is the runs folder of the workspace {workspace}; "
            + advice.format(workspace=workspace)
        )


def _refuse_inside_runs_folder(folder: Path) -> None:
    """A workspace made inside another's `runs` folder (`ws/runs/new`): the other's readers
    would never see its runs."""
    for outer in folder.parents:
        if _is_runs_folder(outer):
            raise UsageError(
                f"{folder}: is inside the runs folder of the workspace {outer.parent}; use "
                f"--workspace {outer.parent}, or a folder outside it"
            )


def _is_runs_folder(folder: Path) -> bool:
    """A workspace's `runs` folder: one that holds a run folder named as a workspace names
    them (a folder `runs` of runs published with --out is no such folder)."""
    return folder.name == RUNS_FOLDER and any(
        _RUN_ID.fullmatch(run.parent.name) for run in folder.glob(f"*/{MANIFEST}")
    )


def _finished_at(folder: Path) -> str:
    """The run's end time as written in its run.json (ISO 8601 in UTC: sorts as text). A
    run.json that does not say it leaves the latest run unknown: passing over it would
    quietly answer from an older run."""
    try:
        finished_at = read_manifest(folder).get("finished_at")
        if not isinstance(finished_at, str):
            raise UsageError(f"{folder / MANIFEST}: does not say when the run finished")
    except UsageError as error:
        raise UsageError(
            f"{error}, so the workspace's latest run cannot be told; repair or remove that "
            "run folder"
        ) from None
    return finished_at
