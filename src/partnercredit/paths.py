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
    `open()` refuses it. A relative path that starts with `~` (a folder named so) is made
    absolute: DuckDB and Arrow would read it as the home folder."""
    if value is None:
        return None
    path = Path(os.fspath(value))
    return path.absolute() if path.parts[:1] and path.parts[0].startswith("~") else path
