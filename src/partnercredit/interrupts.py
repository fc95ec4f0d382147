"""SIGINT and SIGTERM become `Interrupted`, which no layer mistakes for a user abort, until
what a command publishes is going into place: from then on the command finishes."""

from __future__ import annotations

import signal
import sys
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from types import FrameType

from partnercredit.errors import Interrupted

_received = False
_held = False
_publishes = False
_scratch = False
_cancellers: list[Callable[[], object]] = []
_unraisable_hook = sys.unraisablehook


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    global _received  # noqa: PLW0603 - the state the handler and the commands share
    _received = True
    if not _held:
        for cancel in _cancellers:
            # On a thread of its own: the interrupted thread may be inside a call to what it
            # cancels (a py4j call to Spark, whose connection a second call from the same
            # thread would break). Whatever that does, the command stops here.
            threading.Thread(target=_quietly, args=(cancel,), daemon=True).start()
        raise Interrupted(stopped("interrupted"))


def _unraisable(unraisable: sys.UnraisableHookArgs) -> None:
    """An interrupt that lands in a finalizer (`__del__`) cannot stop the command there:
    Python would print it with its traceback and go on. It was received, and stops the
    command at its next check (`stop_if_received`)."""
    if not isinstance(unraisable.exc_value, Interrupted):
        _unraisable_hook(unraisable)


def _quietly(cancel: Callable[[], object]) -> None:
    with suppress(Exception):
        cancel()


def stopped(how: str) -> str:
    """What a command stopped by `how` ("interrupted", "aborted") says: a command that would
    have published something says that nothing was."""
    return f"{how}; nothing was published" if _publishes else how


def publishes() -> None:
    """The command is going to publish what it makes (`stopped` says then that nothing was)."""
    global _publishes  # noqa: PLW0603
    if not _scratch:
        _publishes = True


@contextmanager
def in_scratch() -> Iterator[None]:
    """Work whose results go to a scratch folder (`verify` computing a run again): nothing it
    publishes there is the command's, so it neither makes the command say that nothing was
    published nor holds interrupts while moving its results into place."""
    global _scratch  # noqa: PLW0603
    _scratch = True
    try:
        yield
    finally:
        _scratch = False


def install_handlers() -> None:
    global _received, _held, _publishes, _scratch, _unraisable_hook  # noqa: PLW0603
    _received = _held = _publishes = _scratch = False
    _cancellers.clear()
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
    if sys.unraisablehook is not _unraisable:
        _unraisable_hook, sys.unraisablehook = sys.unraisablehook, _unraisable


@contextmanager
def commands_handlers() -> Iterator[None]:
    """The command's handlers while it runs; afterwards the process's own again, and what
    the command received forgotten (a process may go on: a notebook, a test suite)."""
    global _received, _held, _publishes, _scratch  # noqa: PLW0603
    previous = {number: signal.getsignal(number) for number in (signal.SIGINT, signal.SIGTERM)}
    previous_hook = sys.unraisablehook
    install_handlers()
    try:
        yield
    finally:
        for number, handler in previous.items():
            signal.signal(number, handler)
        sys.unraisablehook = previous_hook
        _received = _held = _publishes = _scratch = False
        _cancellers.clear()


def installed() -> bool:
    """Whether interrupts stop commands in this process (the CLI's handler is in place), rather
    than being the host application's to handle (a notebook's, say)."""
    return signal.getsignal(signal.SIGINT) is _interrupt


def cancel_on_interrupt(cancel: Callable[[], object]) -> Callable[[], None]:
    """Have an interrupt that stops the command call `cancel` first (to stop work that runs
    outside Python, such as Spark's jobs); returns what forgets `cancel` again."""
    _cancellers.append(cancel)

    def forget() -> None:
        with suppress(ValueError):
            _cancellers.remove(cancel)

    return forget


def interrupted() -> bool:
    """An interrupt arrived while it could still stop the command."""
    return _received and not _held


def hold() -> None:
    """From now on an interrupt does not stop the command: what it publishes is being moved
    into place, and the rest (clearing up, the summary) is short. An interrupt stopping it
    half way would leave a staging folder behind and say that nothing was published.

    An interrupt that arrived before stops the command here, even if what it interrupted
    swallowed the exception (py4j sends a call to Spark again when an interrupt broke it
    while it was being sent)."""
    global _held  # noqa: PLW0603
    stop_if_received()
    _held = not _scratch


def stop_if_received() -> None:
    """Stop the command if an interrupt arrived that did not stop it: what it interrupted
    swallowed the exception. (Not once the command's handlers are gone: such an interrupt is
    an earlier command's.)"""
    if _received and not _held and installed():
        raise Interrupted(stopped("interrupted"))


def release() -> None:
    """Interrupts stop the command again (for a command that goes on to other work after
    publishing); one that arrived while they were held stops it now."""
    global _held  # noqa: PLW0603
    _held = False
    if _received:
        raise Interrupted("interrupted; nothing more was published")
