"""SIGINT and SIGTERM become `Interrupted`, which no layer mistakes for a user abort, until
what a command publishes is going into place: from then on the command finishes."""

from __future__ import annotations

import signal
from types import FrameType

from partnercredit.errors import Interrupted

_received = False
_held = False


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    global _received  # noqa: PLW0603 - the state the handler and the commands share
    _received = True
    if not _held:
        raise Interrupted("interrupted; nothing was published")


def install_handlers() -> None:
    global _received, _held  # noqa: PLW0603
    _received = _held = False
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)


def interrupted() -> bool:
    """An interrupt arrived while it could still stop the command."""
    return _received and not _held


def hold() -> None:
    """From now on an interrupt does not stop the command: what it publishes is being moved
    into place, and the rest (clearing up, the summary) is short. An interrupt stopping it
    half way would leave a staging folder behind and say that nothing was published."""
    global _held  # noqa: PLW0603
    _held = True


def release() -> None:
    """Interrupts stop the command again (for a command that goes on to other work after
    publishing); one that arrived while they were held stops it now."""
    global _held  # noqa: PLW0603
    _held = False
    if _received:
        raise Interrupted("interrupted; nothing more was published")
