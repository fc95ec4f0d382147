"""The folders a run works in (the engine's scratch folder, the staging folder of its outputs).

Each is made with a marker file beside it that names the host and process of its run, so that
the next run in the same place can remove what a run that was killed (out of memory,
`kill -9`) left behind: its spill or its unpublished outputs can be tens of GB.
"""

from __future__ import annotations

import glob
import os
import shutil
import socket
import stat
import tempfile
from collections.abc import Callable
from contextlib import suppress
from functools import partial
from pathlib import Path

_MARKER = ".owner"


def why_not_made(folder: Path, error: OSError) -> str:
    """Why `folder` (or a work folder in it) could not be made: a file where a folder on its
    path should be ("File exists" or "Not a directory" would not say which), else `error`."""
    for path in (folder, *folder.parents):
        try:
            if not path.exists():
                continue
        except OSError:  # a folder on the way that may not be looked into
            break
        if not path.is_dir():
            return f"{path} is a file, not a folder"
        break
    return error.strerror or str(error)


def make_work_folder(parent: Path, prefix: str) -> Path:
    folder = Path(tempfile.mkdtemp(prefix=prefix, dir=parent))
    try:
        _marker(folder).write_text(f"{socket.gethostname()} {os.getpid()}\n")
    except BaseException:  # an interrupt, too: no folder without its marker is left
        remove_work_folder(folder)
        raise
    return folder


def remove_own(parent: Path, prefix: str) -> None:
    """Remove the work folders in `parent` whose names start with `prefix` that this process
    made (one an interrupt left before its maker could note it, say)."""
    _remove_marked(parent, prefix, lambda pid: pid == os.getpid())


def remove_work_folder(folder: Path) -> None:
    """Remove the folder, read-only parts too (a run that replaced a read-only run holds it
    in its staging folder); its marker only once it is gone, so that a folder that could not
    be removed is still found as abandoned later."""
    if folder.exists():
        shutil.rmtree(folder, onerror=partial(_made_writable_and_retried, folder))
    if not folder.exists():
        _marker(folder).unlink(missing_ok=True)


def _made_writable_and_retried(
    folder: Path, function: Callable[..., object], path: str, error: tuple[object, ...]
) -> None:
    """An entry of `folder` that could not be removed for want of permission, tried once more
    with the folder holding it (inside `folder`, never above it) made writable by its owner."""
    holder = Path(path).parent
    if not isinstance(error[1], PermissionError) or not holder.is_relative_to(folder):
        return
    with suppress(OSError):
        holder.chmod(stat.S_IMODE(holder.stat().st_mode) | stat.S_IRWXU)
        function(path)


def keep_work_folder(folder: Path) -> None:
    """Keep `folder` for good: without its marker, no later run removes it as abandoned."""
    _marker(folder).unlink(missing_ok=True)


def remove_abandoned(parent: Path, prefix: str) -> None:
    """Remove the work folders in `parent` whose names start with `prefix` and whose process,
    on this host, is gone. Folders of other hosts (a shared disk) and of running processes
    are left alone."""
    _remove_marked(parent, prefix, lambda pid: not _is_running(pid))


def _remove_marked(parent: Path, prefix: str, remove: Callable[[int], bool]) -> None:
    """Remove the work folders in `parent` whose names start with `prefix`, made on this host
    by a process for whose number `remove` holds."""
    host = socket.gethostname()
    for marker in parent.glob(f"{glob.escape(prefix)}*{_MARKER}"):
        try:
            owner_host, pid = marker.read_text().split()
            chosen = owner_host == host and remove(int(pid))
        except (OSError, ValueError):
            continue
        if chosen:
            remove_work_folder(marker.with_name(marker.name.removesuffix(_MARKER)))


def _marker(folder: Path) -> Path:
    return folder.with_name(folder.name + _MARKER)


def _is_running(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # another user's process
        return True
    return True
