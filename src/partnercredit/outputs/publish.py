"""Publish a run folder all at once, or not at all (SPEC 9).

The run is written into a hidden staging folder beside OUT_DIR and then swapped into place
with one atomic rename: on Linux `renameat2(RENAME_EXCHANGE)` exchanges the two folders, so
OUT_DIR is at every moment either entirely the old run or entirely the new one, even if the
process is killed.
"""

from __future__ import annotations

import contextlib
import ctypes
import ctypes.util
import os
import stat
from collections.abc import Collection, Iterator
from contextlib import contextmanager
from pathlib import Path

from partnercredit import interrupts
from partnercredit.errors import UsageError
from partnercredit.outputs.run_layout import MANIFEST, RUN_CONTENTS
from partnercredit.work_folders import (
    keep_work_folder,
    make_work_folder,
    remove_abandoned,
    remove_own,
    remove_work_folder,
    why_not_made,
)

_DESKTOP_FILES = frozenset((".DS_Store", "Thumbs.db", "desktop.ini"))
"""What a file browser leaves in a folder it showed: replaced with the folder, unmentioned."""
_STAGING_PREFIX = ".partnercredit-staging-"
_RENAME_EXCHANGE = 2
_AT_FDCWD = -100


@contextmanager
def publishing(
    out_dir: Path,
    *,
    marker: str = MANIFEST,
    kind: str = "run",
    contents: Collection[str] = RUN_CONTENTS,
) -> Iterator[Path]:
    """Yield a staging folder; on normal exit it becomes `out_dir`, on error it is removed
    together with the parent folders it needed. `out_dir` must be new, empty, or hold an
    earlier `kind` (it has the file `marker`) and nothing else (names among `contents`),
    since it is replaced whole."""
    out_dir = _replaced(out_dir)
    interrupts.publishes()
    _check_replaceable(out_dir, marker, kind, contents)
    created = _missing_folders(out_dir.parent)
    published = False
    try:
        staging, mode = _staging_folder(out_dir)
        try:
            yield staging
            # Only now: the folder a run replaces may be read-only.
            staging.chmod(mode)
            interrupts.hold()
            _swap_into_place(staging, out_dir)
            published = True
        finally:
            # After the exchange the staging folder holds the previous run, maybe read-only.
            with contextlib.suppress(OSError):
                staging.chmod(stat.S_IRWXU)
            remove_work_folder(staging)
    finally:
        if not published:
            # A staging folder an interrupt left while it was being made.
            remove_own(out_dir.parent, _staging_prefix(out_dir))
            _remove_empty(created)


def check_replaceable(out_dir: Path) -> None:
    """Refuse what `publishing` would refuse for a run, before the work that precedes it."""
    _check_replaceable(_replaced(out_dir), MANIFEST, "run", RUN_CONTENTS)


def _replaced(out_dir: Path) -> Path:
    """The folder a publish to `out_dir` replaces: a symbolic link is followed."""
    return out_dir.resolve() if out_dir.is_symlink() else out_dir.absolute()


def _staging_prefix(out_dir: Path) -> str:
    return f"{_STAGING_PREFIX}{out_dir.name}-"


def _staging_folder(out_dir: Path) -> tuple[Path, int]:
    """A new hidden folder beside `out_dir`, and the permissions it is to have when it takes
    `out_dir`'s place: those of the folder it replaces, or of a new folder."""
    prefix = _staging_prefix(out_dir)
    try:
        out_dir.parent.mkdir(parents=True, exist_ok=True)
        # Every abandoned one: a workspace's runs each have a folder name of their own.
        remove_abandoned(out_dir.parent, _STAGING_PREFIX)
        staging = make_work_folder(out_dir.parent, prefix)
        mode = _mode_of(out_dir, staging)
    except OSError as error:
        raise UsageError(
            f"{out_dir}: cannot create the output folder ({why_not_made(out_dir.parent, error)})"
        ) from None
    return staging, mode


def _missing_folders(folder: Path) -> list[Path]:
    """The folders on the way to `folder` (itself included) that do not exist yet, deepest
    first."""
    missing = []
    while not folder.exists() and folder != folder.parent:
        missing.append(folder)
        folder = folder.parent
    return missing


def _remove_empty(folders: list[Path]) -> None:
    for folder in folders:
        try:
            folder.rmdir()
        except OSError:
            return


def _mode_of(out_dir: Path, staging: Path) -> int:
    if out_dir.is_dir():
        return stat.S_IMODE(out_dir.stat().st_mode)
    # What the process's umask makes of a new folder (asking os.umask would change it for a
    # moment, for every thread).
    probe = staging / "new-folder"
    probe.mkdir()
    mode = stat.S_IMODE(probe.stat().st_mode)
    probe.rmdir()
    return mode


def _check_replaceable(out_dir: Path, marker: str, kind: str, contents: Collection[str]) -> None:
    """Refuse to replace a folder that holds something other than an earlier `kind`."""
    if not out_dir.exists():
        return
    foreign = foreign_entries(out_dir, contents)
    if any(out_dir.iterdir()) and not (out_dir / marker).is_file():
        raise UsageError(
            f"{out_dir}: the folder is not empty and holds no earlier {kind} ({marker}); "
            "choose a new or empty folder"
        )
    if foreign:
        raise UsageError(
            f"{out_dir}: besides an earlier {kind} the folder holds {', '.join(foreign)}, which "
            f"replacing it would delete; move {'them' if len(foreign) > 1 else 'it'} elsewhere "
            "or choose another folder"
        )


def foreign_entries(folder: Path, contents: Collection[str]) -> list[str]:
    """The names in `folder` (an existing one) other than `contents` and what a file browser
    leaves there, sorted; a `UsageError` if `folder` is a file."""
    if not folder.is_dir():
        raise UsageError(f"{folder}: exists and is not a folder")
    return sorted(
        entry.name
        for entry in folder.iterdir()
        if entry.name not in contents and entry.name not in _DESKTOP_FILES
    )


def _swap_into_place(staging: Path, out_dir: Path) -> None:
    if not out_dir.exists():
        os.rename(staging, out_dir)
        return
    if _exchange(staging, out_dir):
        return  # staging now holds the previous run and is removed by the caller
    # Without an atomic exchange: move the old run aside, then the new one in; if either
    # move fails, the old run goes back where it was and nothing is left beside it.
    previous = make_work_folder(out_dir.parent, f"{_staging_prefix(out_dir)}old-")
    old_run = previous / "run"
    try:
        os.rename(out_dir, old_run)
        try:
            os.rename(staging, out_dir)
        except OSError:
            os.rename(old_run, out_dir)
            raise
    except OSError as error:
        if old_run.exists():
            # Neither run could be put in place: the old one is kept, and said where.
            keep_work_folder(previous)
            raise UsageError(
                f"{out_dir}: could not put the new run in place nor the old one back "
                f"({error.strerror or error}); the old run is in {old_run}"
            ) from error
        remove_work_folder(previous)
        raise
    # The old run may be read-only, as its folder was.
    with contextlib.suppress(OSError):
        old_run.chmod(stat.S_IRWXU)
    remove_work_folder(previous)


def _exchange(first: Path, second: Path) -> bool:
    libc_name = ctypes.util.find_library("c")
    if libc_name is None:
        return False
    libc = ctypes.CDLL(libc_name, use_errno=True)
    renameat2 = getattr(libc, "renameat2", None)
    if renameat2 is None:
        return False
    result = renameat2(
        _AT_FDCWD, os.fsencode(first), _AT_FDCWD, os.fsencode(second), _RENAME_EXCHANGE
    )
    return bool(result == 0)
