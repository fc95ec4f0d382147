"""What the public API is given: the wrong kind is a TypeError, out of range a UsageError."""

from __future__ import annotations

import pytest

from partnercredit.arguments import require_count, require_engine, require_text
from partnercredit.engine import EngineOptions
from partnercredit.errors import UsageError


@pytest.mark.parametrize("value", [0, 1, 10**12])
def test_whole_numbers_in_range_pass(value: int) -> None:
    require_count("n", value, 0)


@pytest.mark.parametrize(
    ("value", "error"),
    [(-1, UsageError), (True, TypeError), (1.0, TypeError), ("1", TypeError), (None, TypeError)],
)
def test_other_counts_are_refused(value: object, error: type[Exception]) -> None:
    with pytest.raises(error, match=r"^n must be"):
        require_count("n", value, 0)


def test_engine_options_or_none_pass_and_nothing_else() -> None:
    options = EngineOptions()
    assert require_engine(options) is options
    assert require_engine(None) is None
    with pytest.raises(TypeError, match="engine must be EngineOptions or None, not str"):
        require_engine("duckdb")


def test_text_passes_and_nothing_else() -> None:
    require_text("name", "", "an id")
    with pytest.raises(TypeError, match=r"^name must be an id, not 3$"):
        require_text("name", 3, "an id")
