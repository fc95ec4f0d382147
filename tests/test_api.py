"""The public API as a Python program (a notebook, a scheduler, the web app) meets it."""

from __future__ import annotations

from pathlib import Path

import pytest

import partnercredit
from partnercredit import EngineOptions, RulesError, UsageError
from tests.conftest import TESTS

WORKED = TESTS / "scenarios" / "01_worked_example"


def test_every_public_name_resolves_and_is_what_dir_lists() -> None:
    assert dir(partnercredit) == sorted(partnercredit.__all__)
    for name in partnercredit.__all__:
        assert getattr(partnercredit, name) is not None


def test_rules_from_text_are_what_the_run_records(tmp_path: Path) -> None:
    text = (WORKED / "rules.toml").read_text(encoding="utf-8")
    changed = text.replace('proration = "daily"', 'proration = "month_end"')
    assert changed != text
    out = tmp_path / "out"
    partnercredit.run(WORKED / "data", out, rules=partnercredit.parse_rules(changed))
    assert partnercredit.explain_line(out, "L04").programs[0].proration == "month_end"
    assert partnercredit.verify_run(out).identical


def test_rules_changed_field_by_field_are_refused_before_anything_is_read(
    tmp_path: Path,
) -> None:
    rules = partnercredit.load_rules(WORKED / "rules.toml")
    changed = rules.model_copy(update={"proration": "month_end"})
    out = tmp_path / "out"
    with pytest.raises(RulesError, match="the Rules object differs from its own text"):
        partnercredit.run(WORKED / "data", out, rules=changed)
    assert not out.exists()


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"engine": {"memory_limit": "1GB"}}, TypeError, "engine must be EngineOptions or None"),
        ({"examples_per_reason": -1}, UsageError, "examples_per_reason must be at least 0"),
        ({"examples_per_reason": "3"}, TypeError, "examples_per_reason must be a whole number"),
    ],
)
def test_settings_of_the_wrong_kind_are_refused_before_anything_is_read(
    tmp_path: Path, settings: dict[str, object], error: type[Exception], message: str
) -> None:
    for call in (partnercredit.validate, partnercredit.run):
        out = tmp_path / call.__name__
        with pytest.raises(error, match=message):
            call(WORKED / "data", out_dir=out, **settings)  # type: ignore[arg-type]
        assert not out.exists()


@pytest.mark.parametrize(
    ("settings", "error", "message"),
    [
        ({"engine": {}}, TypeError, "engine must be EngineOptions or None, not dict"),
        ({"examples_per_table": -1}, UsageError, "examples_per_table must be at least 0"),
        ({"examples_per_table": "3"}, TypeError, "examples_per_table must be a whole number"),
    ],
)
def test_comparisons_refuse_settings_of_the_wrong_kind(
    tmp_path: Path, settings: dict[str, object], error: type[Exception], message: str
) -> None:
    out = tmp_path / "out"
    partnercredit.run(WORKED / "data", out, rules=WORKED / "rules.toml")
    with pytest.raises(error, match=message):
        partnercredit.verify_run(out, **settings)  # type: ignore[arg-type]
    with pytest.raises(error, match=message):
        partnercredit.diff_runs(out, out, **settings)  # type: ignore[arg-type]


def test_engine_options_are_kept_as_given(tmp_path: Path) -> None:
    options = EngineOptions("duckdb", "2GB", str(tmp_path), threads=1, lines_per_batch=10)
    assert (options.memory_limit, options.spill_dir, options.threads) == ("2GB", tmp_path, 1)
    assert options == EngineOptions(
        engine="duckdb", memory_limit="2GB", spill_dir=tmp_path, threads=1, lines_per_batch=10
    )
