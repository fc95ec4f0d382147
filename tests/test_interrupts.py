"""SIGINT and SIGTERM stop a command until what it publishes goes into place; from then on
the command finishes (SPEC 9: exit 130 only when nothing was published)."""

from __future__ import annotations

import os
import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import suppress
from pathlib import Path

import pytest

from partnercredit import interrupts
from partnercredit.errors import Interrupted
from partnercredit.outputs import publish
from partnercredit.outputs.publish import publishing
from partnercredit.outputs.run_layout import MANIFEST


@pytest.fixture
def handlers() -> Iterator[None]:
    """partnercredit's handlers, as the command installs them; pytest's afterwards, and the
    interrupts received forgotten."""
    with interrupts.commands_handlers():
        yield


def _interrupt() -> None:
    os.kill(os.getpid(), signal.SIGINT)


def test_an_interrupt_before_publishing_stops_the_command(handlers: None, tmp_path: Path) -> None:
    with (
        pytest.raises(Interrupted, match=r"^interrupted; nothing was published$"),
        publishing(tmp_path / "out") as staging,
    ):
        (staging / MANIFEST).write_text("{}")
        _interrupt()
    assert interrupts.interrupted()
    assert list(tmp_path.iterdir()) == []


def test_an_interrupt_while_the_run_goes_into_place_lets_it_finish(
    handlers: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    (out / MANIFEST).write_text("old")
    swap = publish._swap_into_place

    def interrupted_swap(staging: Path, out_dir: Path) -> None:
        _interrupt()
        swap(staging, out_dir)

    monkeypatch.setattr(publish, "_swap_into_place", interrupted_swap)
    with publishing(out) as staging:
        (staging / MANIFEST).write_text("new")
    # Published whole, and the previous run cleared away: no staging folder is left.
    assert (out / MANIFEST).read_text() == "new"
    assert [path.name for path in tmp_path.iterdir()] == ["out"]
    assert not interrupts.interrupted()
    _interrupt()  # the summary is being shown: the command still finishes


def test_a_command_that_goes_on_after_publishing_is_stopped_again(
    handlers: None, tmp_path: Path
) -> None:
    with publishing(tmp_path / "data") as staging:
        (staging / MANIFEST).write_text("{}")
    _interrupt()
    with pytest.raises(Interrupted, match="nothing more was published"):
        interrupts.release()
    with pytest.raises(Interrupted, match="nothing was published"):
        _interrupt()


def test_a_command_that_publishes_nothing_says_only_that_it_stopped(handlers: None) -> None:
    """`validate` without --out, `explain`, `partner`, `diff`: there was nothing to publish."""
    with pytest.raises(Interrupted, match=r"^interrupted$"):
        _interrupt()
    assert interrupts.stopped("aborted") == "aborted"
    interrupts.publishes()
    assert interrupts.stopped("aborted") == "aborted; nothing was published"


def test_an_interrupt_calls_its_cancellers_on_a_thread_of_their_own(handlers: None) -> None:
    """The interrupted thread may be inside a call to what is cancelled (py4j's connection
    to Spark, which a second call from that thread would break); a forgotten canceller is not
    called."""
    called: list[threading.Thread] = []
    done = threading.Event()

    def cancel() -> None:
        called.append(threading.current_thread())
        done.set()

    forget = interrupts.cancel_on_interrupt(cancel)
    assert interrupts.installed()
    with pytest.raises(Interrupted):
        _interrupt()
    assert done.wait(10)
    assert called[0] is not threading.main_thread()
    forget()
    done.clear()
    with pytest.raises(Interrupted):
        _interrupt()
    assert not done.wait(0.5)


def test_an_interrupt_while_the_staging_folder_is_made_leaves_nothing(
    handlers: None, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Once left behind when the interrupt came between the folder and the code that removes
    it (found by the Spark interrupt test in CI)."""
    mode_of = publish._mode_of

    def interrupted(out_dir: Path, staging: Path) -> int:
        _interrupt()
        return mode_of(out_dir, staging)

    monkeypatch.setattr(publish, "_mode_of", interrupted)
    with pytest.raises(Interrupted), publishing(tmp_path / "out"):
        pass
    assert list(tmp_path.iterdir()) == []


def test_handlers_put_back_are_not_the_commands(handlers: None) -> None:
    """A host application's own handler (here the one before the fixture's) is not the
    command's."""
    assert interrupts.installed()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    assert not interrupts.installed()


def test_work_published_into_scratch_is_not_the_commands(handlers: None, tmp_path: Path) -> None:
    """verify computes the run again into a scratch folder: an interrupt still stops it (even
    while that run goes into place), and says only that it was interrupted."""
    with (
        pytest.raises(Interrupted, match=r"^interrupted$"),
        interrupts.in_scratch(),
        publishing(tmp_path / "again") as staging,
    ):
        (staging / MANIFEST).write_text("{}")
        interrupts.hold()  # as the scratch run's swap does
        _interrupt()
    assert interrupts.stopped("interrupted") == "interrupted"


def test_an_interrupt_something_swallowed_still_stops_the_publish(
    handlers: None, tmp_path: Path
) -> None:
    """py4j sends a call to Spark again when an interrupt broke it while it was being sent:
    the `Interrupted` never reaches the command (a Spark run once finished and published)."""
    with (
        pytest.raises(Interrupted, match=r"^interrupted; nothing was published$"),
        publishing(tmp_path / "out") as staging,
    ):
        (staging / MANIFEST).write_text("{}")
        with suppress(Interrupted):
            _interrupt()
    assert list(tmp_path.iterdir()) == []


def test_an_earlier_commands_interrupt_does_not_stop_a_later_one(tmp_path: Path) -> None:
    """A process that runs several commands (a test suite, a notebook calling the API after
    the CLI): the command's handlers are put back, and its interrupt forgotten."""
    before = signal.getsignal(signal.SIGINT)
    with interrupts.commands_handlers(), suppress(Interrupted):
        _interrupt()
    assert signal.getsignal(signal.SIGINT) is before
    with publishing(tmp_path / "out") as staging:
        (staging / MANIFEST).write_text("{}")
    assert (tmp_path / "out" / MANIFEST).exists()


def test_an_interrupt_is_stale_once_the_handlers_are_replaced(handlers: None) -> None:
    """A host application that put its own handler in place: what partnercredit's received
    before is not a reason to stop the next command of the API."""
    with suppress(Interrupted):
        _interrupt()
    signal.signal(signal.SIGINT, signal.default_int_handler)
    interrupts.stop_if_received()


class _Collected:
    def __init__(self, when_collected: Callable[[], None]) -> None:
        self.when_collected = when_collected

    def __del__(self) -> None:
        self.when_collected()


def _fail() -> None:
    raise ValueError("not an interrupt")


def test_an_interrupt_in_a_finalizer_is_not_printed_and_stops_the_command_later(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Python cannot raise out of `__del__`: it would hand the exception to
    `sys.unraisablehook`, which prints it with a traceback, and go on. The command stops at
    its next check instead; other exceptions still reach the process's hook."""
    reported: list[type[BaseException] | None] = []
    monkeypatch.setattr(
        sys, "unraisablehook", lambda unraisable: reported.append(unraisable.exc_type)
    )
    with interrupts.commands_handlers():
        _Collected(_interrupt)
        assert reported == []
        assert interrupts.interrupted()
        with pytest.raises(Interrupted, match=r"^interrupted$"):
            interrupts.stop_if_received()
        _Collected(_fail)
        assert reported == [ValueError]
    assert sys.unraisablehook is not interrupts._unraisable
