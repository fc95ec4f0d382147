"""Rows pyarrow cannot decode for the invalid-row handler, with several files read at once."""

from __future__ import annotations

import sys
import threading
from pathlib import Path
from types import SimpleNamespace

from partnercredit.readers.open_table import _UNDECODABLE_ROWS


def _stream(path: Path) -> SimpleNamespace:
    return SimpleNamespace(failure=None, source=SimpleNamespace(path=path))


def _undecodable(handler: object) -> SimpleNamespace:
    error = UnicodeDecodeError("utf-8", b"\xff", 0, 1, "invalid start byte")
    return SimpleNamespace(exc_value=error, object=handler)


def test_overlapping_reads_put_the_hook_back_and_blame_their_own_file(tmp_path: Path) -> None:
    """Read A starts, read B starts, A ends, B ends: the hook each replaced is back; an
    undecodable row for B's handler is B's file's failure, and one for A's handler, which
    is no longer watched, goes on to the hook that was there before."""
    (tmp_path / "a.csv").write_bytes(b"id\n1\n")
    (tmp_path / "b.csv").write_bytes(b"id\n\xff\n")
    first, second = _stream(tmp_path / "a.csv"), _stream(tmp_path / "b.csv")
    handlers = (object(), object())
    original = sys.unraisablehook
    both_reading, first_done = threading.Barrier(2), threading.Event()
    passed_on: list[object] = []

    def read_first() -> None:
        with _UNDECODABLE_ROWS.watching(handlers[0], first):  # type: ignore[arg-type]
            both_reading.wait()
        first_done.set()

    def read_second() -> None:
        with _UNDECODABLE_ROWS.watching(handlers[1], second):  # type: ignore[arg-type]
            both_reading.wait()
            first_done.wait()
            sys.unraisablehook(_undecodable(handlers[1]))
            sys.unraisablehook(_undecodable(handlers[0]))

    sys.unraisablehook = passed_on.append
    try:
        threads = [threading.Thread(target=read) for read in (read_first, read_second)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        assert sys.unraisablehook == passed_on.append
    finally:
        sys.unraisablehook = original
    assert first.failure is None
    assert "b.csv: not valid UTF-8 text (line 2, byte 1 of the line)" in str(second.failure)
    assert len(passed_on) == 1
