"""Work folders: a run removes what runs that were killed left behind, and nothing else."""

from __future__ import annotations

import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from partnercredit.engine import EngineOptions, open_backend
from partnercredit.work_folders import make_work_folder, remove_abandoned, remove_work_folder

PREFIX = "partnercredit-"


def _finished_process_id() -> int:
    process = subprocess.run(
        [sys.executable, "-c", "import os; print(os.getpid())"],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(process.stdout)


def dead_owner(host: str | None = None) -> str:
    """A marker's text naming a process of `host` (this one by default) that has ended."""
    return f"{host or socket.gethostname()} {_finished_process_id()}\n"


def _folder(parent: Path, name: str, owner: str | None) -> Path:
    folder = parent / f"{PREFIX}{name}"
    (folder / "spill").mkdir(parents=True)
    if owner is not None:
        (parent / f"{folder.name}.owner").write_text(owner)
    return folder


def test_only_the_folders_of_dead_processes_on_this_host_are_removed(tmp_path: Path) -> None:
    host = socket.gethostname()
    dead = _folder(tmp_path, "dead", dead_owner())
    running = _folder(tmp_path, "running", f"{host} {os.getpid()}\n")
    elsewhere = _folder(tmp_path, "elsewhere", dead_owner(f"another-{host}"))
    unmarked = _folder(tmp_path, "unmarked", None)
    garbled = _folder(tmp_path, "garbled", "not a marker")
    other_prefix = tmp_path / "other-dead"
    other_prefix.mkdir()
    (tmp_path / "other-dead.owner").write_text(dead_owner())

    remove_abandoned(tmp_path, PREFIX)

    assert not dead.exists() and not (tmp_path / f"{dead.name}.owner").exists()
    for kept in (running, elsewhere, unmarked, garbled, other_prefix):
        assert kept.exists()


def test_a_prefix_is_not_a_pattern(tmp_path: Path) -> None:
    dead = _folder(tmp_path, "dead", dead_owner())
    remove_abandoned(tmp_path, "partnercredit[-]")
    remove_abandoned(tmp_path, "partnercredit?")
    assert dead.exists()
    remove_abandoned(tmp_path, PREFIX)
    assert not dead.exists()


def test_a_work_folder_and_its_marker_go_together(tmp_path: Path) -> None:
    folder = make_work_folder(tmp_path, PREFIX)
    assert (tmp_path / f"{folder.name}.owner").read_text().split()[1] == str(os.getpid())
    remove_work_folder(folder)
    assert list(tmp_path.iterdir()) == []


def test_read_only_parts_of_a_work_folder_are_removed(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A staging folder holding the read-only run it replaced: removing a file of a folder
    without write permission fails once (as it does for any user but root), and succeeds
    once the folder is made writable."""
    folder = make_work_folder(tmp_path, PREFIX)
    (folder / "inputs").mkdir()
    (folder / "inputs" / "revenue.parquet").write_text("rows")
    (folder / "inputs").chmod(0o555)
    unlink, refused = os.unlink, []

    def without_permission(path: str | Path, *args: object, **kwargs: object) -> None:
        if Path(path).name == "revenue.parquet" and not refused:
            refused.append(path)
            raise PermissionError(13, "Permission denied", str(path))
        unlink(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "unlink", without_permission)
    remove_work_folder(folder)
    assert refused
    assert list(tmp_path.iterdir()) == []


def test_a_work_folder_that_cannot_be_removed_keeps_its_marker(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    folder = make_work_folder(tmp_path, PREFIX)
    (folder / "kept").write_text("rows")

    def never(path: str | Path, *args: object, **kwargs: object) -> None:
        raise PermissionError(13, "Permission denied", str(path))

    with monkeypatch.context() as patched:
        patched.setattr(os, "unlink", never)
        remove_work_folder(folder)
    assert folder.exists() and (tmp_path / f"{folder.name}.owner").exists()
    remove_work_folder(folder)
    assert list(tmp_path.iterdir()) == []


def test_removing_work_folders_leaves_the_folders_around_them_as_they_were(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A folder already gone (a staging folder that became the run) and a file that cannot
    be removed: the folder holding them keeps its permissions."""
    parent = tmp_path / "shared"
    parent.mkdir()
    parent.chmod(0o1775)
    gone = make_work_folder(parent, PREFIX)
    gone.rmdir()
    remove_work_folder(gone)
    stuck = make_work_folder(parent, PREFIX)
    (stuck / "kept").write_text("rows")
    rmdir = os.rmdir

    def refused_for_the_work_folder(path: str | Path, *args: object, **kwargs: object) -> None:
        if Path(path) == stuck:
            raise PermissionError(13, "Permission denied", str(path))
        rmdir(path, *args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(os, "rmdir", refused_for_the_work_folder)
    remove_work_folder(stuck)
    assert stat.S_IMODE(parent.stat().st_mode) == 0o1775


def test_the_engine_cleans_its_spill_folder(tmp_path: Path) -> None:
    dead = make_work_folder(tmp_path, PREFIX)
    (tmp_path / f"{dead.name}.owner").write_text(dead_owner())
    with open_backend(EngineOptions(spill_dir=tmp_path)) as backend:
        assert [path.name for path in tmp_path.iterdir() if path.is_dir()] == [backend.scratch.name]
    assert list(tmp_path.iterdir()) == []
