"""Publishing a run folder: all or nothing, and nothing else changed on the way (SPEC 9)."""

from __future__ import annotations

import errno
import os
import re
import stat
from pathlib import Path

import pytest

from partnercredit.errors import UsageError
from partnercredit.outputs import publish
from partnercredit.outputs.publish import publishing
from partnercredit.outputs.run_layout import MANIFEST
from tests.test_work_folders import dead_owner


def _publish(out_dir: Path, content: str) -> None:
    with publishing(out_dir) as staging:
        (staging / MANIFEST).write_text(content)


def _mode(folder: Path) -> int:
    return stat.S_IMODE(folder.stat().st_mode)


def test_a_failed_run_leaves_no_parent_folder_behind(tmp_path: Path) -> None:
    (tmp_path / "kept").mkdir()
    with pytest.raises(RuntimeError), publishing(tmp_path / "kept" / "a" / "b" / "out"):
        raise RuntimeError("the run failed")
    assert [path.name for path in tmp_path.rglob("*")] == ["kept"]


def test_a_run_creates_the_parent_folders_it_needs(tmp_path: Path) -> None:
    _publish(tmp_path / "a" / "b" / "out", "{}")
    assert (tmp_path / "a" / "b" / "out" / MANIFEST).read_text() == "{}"


def test_a_new_run_folder_has_the_permissions_of_any_new_folder(tmp_path: Path) -> None:
    (tmp_path / "plain").mkdir()
    _publish(tmp_path / "out", "{}")
    assert _mode(tmp_path / "out") == _mode(tmp_path / "plain")


def test_a_replaced_run_folder_keeps_its_permissions(tmp_path: Path) -> None:
    out = tmp_path / "out"
    out.mkdir()
    out.chmod(0o750)
    _publish(out, "first")
    out.chmod(0o755)
    _publish(out, "second")
    assert (_mode(out), (out / MANIFEST).read_text()) == (0o755, "second")


def test_a_symbolic_link_is_followed(tmp_path: Path) -> None:
    real = tmp_path / "real"
    _publish(real, "first")
    link = tmp_path / "link"
    link.symlink_to(real)
    _publish(link, "second")
    assert link.is_symlink()
    assert (real / MANIFEST).read_text() == "second"
    assert sorted(path.name for path in tmp_path.iterdir()) == ["link", "real"]


def test_a_read_only_run_folder_is_replaced_and_stays_read_only(tmp_path: Path) -> None:
    """The permissions are given when the new run takes its place, not while it is written
    (a non-root run could not write into a read-only staging folder)."""
    out = tmp_path / "out"
    _publish(out, "first")
    out.chmod(0o555)
    with publishing(out) as staging:
        assert _mode(staging) & 0o700 == 0o700
        (staging / MANIFEST).write_text("second")
    assert (_mode(out), (out / MANIFEST).read_text()) == (0o555, "second")


@pytest.mark.parametrize("failing_move", ["old run aside", "new run in"])
def test_a_failed_swap_keeps_the_old_run_and_leaves_nothing_beside_it(
    failing_move: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Where folders cannot be exchanged at once, the old run is moved aside and the new one
    in; a move the file system refuses (an immutable folder, say) once left the folder the
    old run was to go to."""
    out = tmp_path / "out"
    _publish(out, "first")
    monkeypatch.setattr(publish, "_exchange", lambda _first, _second: False)
    rename = os.rename

    def refusing_rename(source: Path, target: Path) -> None:
        refused = (
            Path(source) == out
            if failing_move == "old run aside"
            else Path(target) == out and Path(source).name != "run"  # not the old run back
        )
        if refused:
            raise PermissionError(errno.EPERM, "Operation not permitted", str(source))
        rename(source, target)

    monkeypatch.setattr(publish.os, "rename", refusing_rename)
    with pytest.raises(PermissionError):
        _publish(out, "second")
    monkeypatch.undo()
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out"]
    assert (out / MANIFEST).read_text() == "first"


def test_a_swap_that_cannot_be_undone_keeps_the_old_run(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The new run cannot take OUT_DIR's place, nor the old run go back: the old run is kept
    where it was moved, and the error says where (it was once removed with its folder)."""
    out = tmp_path / "out"
    _publish(out, "first")
    monkeypatch.setattr(publish, "_exchange", lambda _first, _second: False)
    rename = os.rename

    def refusing_rename(source: Path, target: Path) -> None:
        if Path(target) == out:
            raise PermissionError(errno.EPERM, "Operation not permitted", str(target))
        rename(source, target)

    monkeypatch.setattr(publish.os, "rename", refusing_rename)
    with pytest.raises(UsageError, match="nor the old one back") as raised:
        _publish(out, "second")
    monkeypatch.undo()
    kept = Path(str(raised.value).rsplit("the old run is in ", 1)[1])
    assert (kept / MANIFEST).read_text() == "first"
    # No marker of a run's work folder: no later run removes it as abandoned.
    assert [path.name for path in tmp_path.iterdir() if path.name.endswith(".owner")] == []


def test_a_publish_removes_every_abandoned_staging_folder_beside_it(tmp_path: Path) -> None:
    """In a workspace every run publishes to a folder of its own name: a killed run's staging
    folder (named after its own run) is removed by the next run all the same."""
    runs = tmp_path / "runs"
    left = runs / ".partnercredit-staging-20260101T000000Z-dead-abc"
    (left / "credits.parquet").parent.mkdir(parents=True)
    (runs / f"{left.name}.owner").write_text(dead_owner())
    with publishing(runs / "20260102T000000Z-next") as staging:
        (staging / MANIFEST).write_text("{}")
    assert sorted(path.name for path in runs.iterdir()) == ["20260102T000000Z-next"]


@pytest.mark.parametrize(
    ("extras", "named"),
    [
        (["NOTES.txt"], "NOTES.txt, which replacing it would delete; move it elsewhere"),
        (["runs", "z.csv"], "runs, z.csv, which replacing it would delete; move them elsewhere"),
    ],
)
def test_a_run_folder_holding_more_than_a_run_is_not_replaced(
    extras: list[str], named: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    _publish(out, "first")
    for name in extras:
        (out / name).write_text("mine")
    with pytest.raises(
        UsageError, match=re.escape(f"besides an earlier run the folder holds {named}")
    ):
        _publish(out, "second")
    assert (out / MANIFEST).read_text() == "first"
    assert all((out / name).read_text() == "mine" for name in extras)


def test_a_run_folder_with_every_name_a_run_holds_is_replaced(tmp_path: Path) -> None:
    """A file browser's own files (a Finder's .DS_Store) go with the folder."""
    out = tmp_path / "out"
    _publish(out, "first")
    for name in ("credits.parquet", "rejected.csv", "inputs"):
        (out / name).mkdir()
    (out / ".DS_Store").write_text("view")
    _publish(out, "second")
    assert sorted(path.name for path in out.iterdir()) == [MANIFEST]
