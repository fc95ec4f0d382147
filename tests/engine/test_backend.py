"""The engine's scratch folders: every run cleans up after itself, and after runs that were
killed."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from pathlib import Path

from partnercredit.engine import EngineOptions, open_backend
from partnercredit.engine.backend import SCRATCH_PREFIX


def _scratch(base: Path, name: str, owner: str | None) -> Path:
    folder = base / f"{SCRATCH_PREFIX}{name}"
    (folder / "spill").mkdir(parents=True)
    if owner is not None:
        (folder / "owner").write_text(owner)
    return folder


def _finished_process_id() -> int:
    process = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(process.stdout)


def test_a_run_removes_only_the_scratch_folders_of_dead_runs_on_this_host(tmp_path: Path) -> None:
    host = socket.gethostname()
    dead = _scratch(tmp_path, "dead", f"{host} {_finished_process_id()}\n")
    running = _scratch(tmp_path, "running", f"{host} {os.getpid()}\n")
    elsewhere = _scratch(tmp_path, "elsewhere", f"another-{host} {_finished_process_id()}\n")
    unclaimed = _scratch(tmp_path, "unclaimed", None)
    other = tmp_path / "not-ours"
    other.mkdir()

    with open_backend(EngineOptions(spill_dir=tmp_path)) as backend:
        own = backend.scratch
        assert own.exists()
    assert not own.exists()
    assert not dead.exists()
    assert running.exists() and elsewhere.exists() and unclaimed.exists() and other.exists()
