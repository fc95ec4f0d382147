"""The public API takes paths as text or path-like objects, as `open()` does."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

import partnercredit
from partnercredit.paths import as_path
from tests.conftest import TESTS, CliRunner

WORKED = TESTS / "scenarios" / "01_worked_example"


class _PathLike:
    def __init__(self, path: Path) -> None:
        self.path = path

    def __fspath__(self) -> str:
        return str(self.path)


@pytest.mark.parametrize("given", ["a/b", Path("a/b"), _PathLike(Path("a/b"))])
def test_text_and_path_likes_become_paths(given: str | os.PathLike[str]) -> None:
    assert as_path(given) == Path("a/b")


@pytest.mark.parametrize("given", ["~", "~/data", "~name/data"])
def test_a_relative_path_starting_with_a_tilde_is_made_absolute(given: str) -> None:
    assert as_path(given) == Path.cwd() / given


def test_none_stays_none() -> None:
    assert as_path(None) is None


@pytest.mark.parametrize("given", [3, b"a/b"])
def test_other_values_are_refused_as_open_refuses_them(given: object) -> None:
    with pytest.raises(TypeError):
        as_path(given)  # type: ignore[call-overload]


def test_every_api_function_takes_paths_as_text(tmp_path: Path) -> None:
    data, rules = str(WORKED / "data"), str(WORKED / "rules.toml")
    spill = tmp_path / "spill"
    engine = partnercredit.EngineOptions(spill_dir=str(spill))
    assert engine.spill_dir == spill

    assert partnercredit.validate(data, rules=rules, engine=engine).rejected == 0
    validated = str(tmp_path / "validated")
    partnercredit.validate(data, rules=rules, out_dir=validated)
    assert (Path(validated) / "run.json").is_file()

    first = str(tmp_path / "first")
    report = partnercredit.run(data, first, rules=rules, engine=engine)
    assert report.out_dir == Path(first)
    workspace = str(tmp_path / "workspace")
    second = partnercredit.run(data, workspace=workspace, rules=rules).out_dir
    assert partnercredit.workspace_runs(workspace) == [second]
    assert partnercredit.run_folder(workspace) == second

    line = partnercredit.explain_line(first, "L04")
    assert line.line_id == "L04"
    assert partnercredit.verify_run(first, data_dir=data, engine=engine).identical
    assert partnercredit.diff_runs(first, workspace).identical
    assert partnercredit.load_rules(rules) == partnercredit.load_rules(Path(rules))
    assert not list(spill.iterdir())  # every work folder there was removed


def test_relative_folders_named_like_a_home_folder_are_read_as_named(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, run_cli: CliRunner
) -> None:
    """DuckDB and Arrow read `~/x` (and `~name/x`) as a home folder's; these are folders of
    the working folder, named `~` and `~out`."""
    monkeypatch.chdir(tmp_path)
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    shutil.copytree(WORKED / "data", tmp_path / "~")
    rules = WORKED / "rules.toml"
    result = run_cli("run", "~", "--out", "~out", "--rules", rules, "--spill-dir", "~spill")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "~out" / "credits.parquet").is_file()
    assert run_cli("explain", "~out", "--line", "L04").exit_code == 0
    assert run_cli("partner", "~out", "P2").exit_code == 0
    assert run_cli("verify", "~out", "--data", "~").exit_code == 0
    assert not (tmp_path / "home").exists()
