"""Checks of what the public API is given: a value of the wrong kind is a `TypeError` (as
Python's own functions raise), a value of the right kind that is out of range a `UsageError`."""

from __future__ import annotations

from typing import TYPE_CHECKING

from partnercredit.errors import UsageError

if TYPE_CHECKING:
    from partnercredit.engine import EngineOptions


def require_count(name: str, value: object, least: int) -> None:
    """`value` is a whole number (not a bool) of at least `least`."""
    if not isinstance(value, int) or isinstance(value, bool):
        raise TypeError(f"{name} must be a whole number, not {value!r}")
    if value < least:
        raise UsageError(f"{name} must be at least {least}, not {value}")


def require_text(name: str, value: object, kind: str = "text") -> None:
    """`value` is a str; `kind` says what text in the error."""
    if not isinstance(value, str):
        raise TypeError(f"{name} must be {kind}, not {value!r}")


def require_engine(engine: object) -> EngineOptions | None:
    """`engine` is EngineOptions or None."""
    from partnercredit.engine import EngineOptions

    if engine is not None and not isinstance(engine, EngineOptions):
        raise TypeError(f"engine must be EngineOptions or None, not {type(engine).__name__}")
    return engine
