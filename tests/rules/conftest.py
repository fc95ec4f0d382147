"""Helpers that turn TOML snippets into rules files or parsed rules."""

from __future__ import annotations

import textwrap
from collections.abc import Callable
from pathlib import Path

import pytest

from partnercredit.rules import Rules, parse_rules

WriteRules = Callable[..., Path]
ParseRules = Callable[[str], Rules]


@pytest.fixture
def write_rules(tmp_path: Path) -> WriteRules:
    """Write a (dedented) TOML snippet to `tmp_path / name` and return its path."""

    def write(text: str, name: str = "rules.toml") -> Path:
        path = tmp_path / name
        path.write_text(textwrap.dedent(text), encoding="utf-8")
        return path

    return write


@pytest.fixture
def parse() -> ParseRules:
    """Parse a (dedented) TOML snippet as if it were read from `rules.toml`."""

    def parse_snippet(text: str) -> Rules:
        return parse_rules(textwrap.dedent(text), "rules.toml")

    return parse_snippet
