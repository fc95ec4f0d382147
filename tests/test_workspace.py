"""Workspaces: `run --workspace WS` publishes each run to a new folder; readers take the latest."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from partnercredit.errors import UsageError
from partnercredit.workspace import RUNS_FOLDER, run_folder, workspace_runs
from tests.conftest import TESTS, CliRunner

CLEAN = TESTS / "fixtures" / "validation" / "utf8_bom" / "data"
WITH_REJECTIONS = TESTS / "fixtures" / "validation" / "cascade_customer" / "data"


def test_each_run_gets_a_new_folder_and_readers_take_the_latest(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    workspace = tmp_path / "ws"
    first = run_cli("run", CLEAN, "--workspace", workspace)
    assert first.exit_code == 0, first.stderr
    [first_run] = workspace_runs(workspace)
    second = run_cli("run", WITH_REJECTIONS, "--workspace", workspace, "--format", "csv")
    assert second.exit_code == 0, second.stderr

    runs = workspace_runs(workspace)
    assert runs[0] == first_run
    assert len(runs) == 2
    assert f"Run {runs[0].name} published" in first.stdout
    assert f"Run {runs[1].name} published" in second.stdout
    assert [folder.parent for folder in runs] == [workspace / RUNS_FOLDER] * 2
    for folder in runs:
        manifest = json.loads((folder / "run.json").read_text())
        assert folder.name == manifest["run_id"]
    assert (runs[0] / "credits.parquet").exists()
    assert (runs[1] / "credits.csv").exists()
    assert run_folder(workspace) == runs[1]
    assert run_folder(runs[0]) == runs[0]
    # Only published runs are in the workspace: no staging or scratch folder is left.
    assert sorted(path.name for path in (workspace / RUNS_FOLDER).iterdir()) == sorted(
        folder.name for folder in runs
    )


def test_a_refused_run_adds_no_run_to_the_workspace(tmp_path: Path, run_cli: CliRunner) -> None:
    workspace = tmp_path / "ws"
    assert run_cli("run", CLEAN, "--workspace", workspace).exit_code == 0
    before = workspace_runs(workspace)
    result = run_cli("run", WITH_REJECTIONS, "--workspace", workspace, "--strict")
    assert result.exit_code == 1
    assert workspace_runs(workspace) == before
    assert [path.name for path in (workspace / RUNS_FOLDER).iterdir()] == [before[0].name]


def test_readers_accept_a_workspace(tmp_path: Path, run_cli: CliRunner) -> None:
    workspace = tmp_path / "ws"
    assert run_cli("run", CLEAN, "--workspace", workspace).exit_code == 0
    latest = run_folder(workspace)
    for command in (("explain", "--line", "L1", "--json"), ("partner", "P1")):
        from_workspace = run_cli(command[0], workspace, *command[1:])
        from_folder = run_cli(command[0], latest, *command[1:])
        assert (from_workspace.exit_code, from_workspace.stdout) == (
            from_folder.exit_code,
            from_folder.stdout,
        )


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (("--out", "{tmp}/o", "--workspace", "{tmp}/ws"), "either an output folder (--out)"),
        ((), "either an output folder (--out) or a workspace"),
        (("--workspace", "{tmp}/a_run"), "is a run folder, not a workspace"),
        (("--workspace", "{tmp}/a_file"), "exists and is not a folder"),
    ],
)
def test_wrong_destinations_are_usage_errors(
    tmp_path: Path, run_cli: CliRunner, arguments: tuple[str, ...], message: str
) -> None:
    assert run_cli("run", CLEAN, "--out", tmp_path / "a_run").exit_code == 0
    (tmp_path / "a_file").write_text("")
    before = sorted(path.name for path in tmp_path.iterdir())
    result = run_cli("run", CLEAN, *(argument.format(tmp=tmp_path) for argument in arguments))
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert sorted(path.name for path in tmp_path.iterdir()) == before


def test_a_folder_that_is_neither_names_what_is_expected(tmp_path: Path) -> None:
    with pytest.raises(UsageError, match="not a partnercredit run folder"):
        run_folder(tmp_path)
    (tmp_path / RUNS_FOLDER).mkdir()
    with pytest.raises(UsageError, match="holds no published run yet"):
        run_folder(tmp_path)


def test_a_folder_that_nothing_was_published_to_has_no_runs(tmp_path: Path) -> None:
    assert workspace_runs(tmp_path) == []


@pytest.mark.parametrize(
    ("make", "message"),
    [
        (lambda folder: None, "no such folder"),
        (lambda folder: folder.write_text("x"), "exists and is not a folder"),
        (
            lambda folder: folder.mkdir() or (folder / "run.json").write_text("{}"),
            "is a run folder, not a workspace",
        ),
    ],
    ids=["missing", "a_file", "a_run_folder"],
)
def test_what_is_no_workspace_has_no_runs_but_an_error(
    tmp_path: Path, make: Callable[[Path], object], message: str
) -> None:
    """A mistyped workspace is not a workspace without runs."""
    folder = tmp_path / "ws"
    make(folder)
    with pytest.raises(UsageError, match=message):
        workspace_runs(folder)


def test_the_latest_run_is_the_one_that_finished_last(tmp_path: Path) -> None:
    for name, finished_at in [
        ("20261127T100000Z-ffffffff", "2026-11-27T10:00:05+00:00"),
        ("20261127T100000Z-00000000", "2026-11-27T10:00:07.250000+00:00"),
        ("20261127T090000Z-aaaaaaaa", "2026-11-27T10:00:07+00:00"),
    ]:
        folder = tmp_path / RUNS_FOLDER / name
        folder.mkdir(parents=True)
        (folder / "run.json").write_text(json.dumps({"finished_at": finished_at}))
    (tmp_path / RUNS_FOLDER / ".partnercredit-staging-x").mkdir()
    assert [folder.name for folder in workspace_runs(tmp_path)] == [
        "20261127T100000Z-ffffffff",
        "20261127T090000Z-aaaaaaaa",
        "20261127T100000Z-00000000",
    ]


@pytest.mark.parametrize(
    ("run_json", "message"),
    [
        ("{", "run.json: not valid JSON, so the workspace's latest run cannot be told"),
        ('{"run_id": "x"}', "run.json: does not say when the run finished, so the workspace's"),
        ("[]", "run.json: not the run.json of a partnercredit run, so the workspace's"),
        (None, "run.json: cannot be read (No such file or directory), so the workspace's"),
    ],
)
def test_a_run_whose_run_json_is_damaged_is_not_passed_over(
    tmp_path: Path, run_json: str | None, message: str
) -> None:
    """Once taken for the oldest run: readers answered from the run before, without a word."""
    for name, text in [
        ("20261127T100000Z-aaaaaaaa", json.dumps({"finished_at": "2026-11-27T10:00:05+00:00"})),
        ("20261127T110000Z-bbbbbbbb", run_json),
    ]:
        folder = tmp_path / RUNS_FOLDER / name
        folder.mkdir(parents=True)
        if text is not None:
            (folder / "run.json").write_text(text)
    with pytest.raises(UsageError, match=r"repair or remove that run folder$") as refusal:
        run_folder(tmp_path)
    assert str(refusal.value).startswith(str(tmp_path / RUNS_FOLDER / "20261127T110000Z-bbbbbbbb"))
    assert message in str(refusal.value)


def test_a_workspace_runs_folder_is_not_taken_for_the_workspace(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    """Once `run --workspace ws/runs` published to ws/runs/runs/RUN_ID."""
    workspace = tmp_path / "ws"
    assert run_cli("run", CLEAN, "--workspace", workspace).exit_code == 0
    runs = workspace / RUNS_FOLDER
    again = run_cli("run", CLEAN, "--workspace", runs)
    assert (again.exit_code, again.stderr) == (
        2,
        f"partnercredit: {runs}: is the runs folder of the workspace {workspace}; "
        f"use --workspace {workspace}\n",
    )
    explained = run_cli("explain", runs, "--line", "L1")
    assert (explained.exit_code, explained.stderr) == (
        2,
        f"partnercredit: {runs}: is the runs folder of the workspace {workspace}; "
        "give the workspace or one of its run folders\n",
    )
    assert len(workspace_runs(workspace)) == 1
    with pytest.raises(UsageError, match=f"; give the workspace {re.escape(str(workspace))}$"):
        workspace_runs(runs)


@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_workspace_is_not_replaced_by_one_run(
    tmp_path: Path, run_cli: CliRunner, command: str
) -> None:
    workspace = tmp_path / "ws"
    assert run_cli("run", CLEAN, "--workspace", workspace).exit_code == 0
    result = run_cli(command, CLEAN, "--out", workspace)
    assert (result.exit_code, result.stderr) == (
        2,
        f"partnercredit: {workspace}: is a workspace; use --workspace {workspace} to add a run "
        "to it, or choose another folder for --out\n",
    )
    assert len(workspace_runs(workspace)) == 1


def test_no_workspace_is_made_inside_another_s_runs_folder(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    """Its runs would be in none of the other's runs, which its readers list."""
    workspace = tmp_path / "ws"
    assert run_cli("run", CLEAN, "--workspace", workspace).exit_code == 0
    inner = workspace / RUNS_FOLDER / "new"
    result = run_cli("run", CLEAN, "--workspace", inner)
    assert (result.exit_code, result.stderr) == (
        2,
        f"partnercredit: {inner}: is inside the runs folder of the workspace {workspace}; use "
        f"--workspace {workspace}, or a folder outside it\n",
    )
    assert not inner.exists()


def test_a_folder_named_runs_of_ones_own_runs_may_be_a_workspace(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    """Runs published with --out into a folder of one's own that happens to be called
    `runs`: that folder is no workspace's runs folder (its runs are not named by run id)."""
    mine = tmp_path / RUNS_FOLDER
    assert run_cli("run", CLEAN, "--out", mine / "january").exit_code == 0
    result = run_cli("run", CLEAN, "--workspace", mine)
    assert result.exit_code == 0, result.stderr
    [run] = workspace_runs(mine)
    assert run.parent == mine / RUNS_FOLDER
    assert re.fullmatch(r"[0-9]{8}T[0-9]{6}Z-[0-9a-f]{8}", run.name)
