"""Paths as the public API takes them: a `str` or any path-like object, as `open()` does."""

from __future__ import annotations

import os
from pathlib import Path
from typing import overload

PathArg = str | os.PathLike[str]


@overload
def as_path(value: PathArg) -> Path: ...
@overload
def as_path(value: None) -> None: ...
def as_path(value: PathArg | None) -> Path | None:
    """`value` as a Path (None stays None); anything else is refused with a TypeError, as
    `open()` refuses it."""
    if value is None:
        return None
    return Path(os.fspath(value))
