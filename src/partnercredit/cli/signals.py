"""SIGINT and SIGTERM become `Interrupted`, which no layer mistakes for a user abort."""

from __future__ import annotations

import signal
from types import FrameType

from partnercredit.errors import Interrupted

received = False


def _interrupt(_signum: int, _frame: FrameType | None) -> None:
    global received  # noqa: PLW0603 - the one flag the handler and main share
    received = True
    raise Interrupted("interrupted; nothing was published")


def install_handlers() -> None:
    global received  # noqa: PLW0603
    received = False
    signal.signal(signal.SIGINT, _interrupt)
    signal.signal(signal.SIGTERM, _interrupt)
