"""`partnercredit run` and `validate`: exit codes, --strict, and all-or-nothing publishing."""

from __future__ import annotations

import errno
import io
import json
import os
import pickle
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from contextlib import suppress
from importlib import resources
from pathlib import Path

import pyarrow.parquet as pq
import pytest
from rich.console import Console

from partnercredit import core, statement
from partnercredit.cli import main, render
from partnercredit.core import Rejection, ValidationReport
from partnercredit.errors import Interrupted, StrictRefusal, UsageError
from partnercredit.messages import Phase
from partnercredit.messages import render as render_message
from tests.conftest import TESTS, CliRunner, read_csv

FIXTURES = TESTS / "fixtures" / "validation"
CLEAN = FIXTURES / "utf8_bom" / "data"
WITH_REJECTIONS = FIXTURES / "cascade_customer" / "data"


def _snapshot(folder: Path) -> dict[str, bytes]:
    return {
        str(path.relative_to(folder)): path.read_bytes()
        for path in sorted(folder.rglob("*"))
        if path.is_file()
    }


def test_run_publishes_rejected_inputs_and_manifest(tmp_path: Path, run_cli: CliRunner) -> None:
    out = tmp_path / "out"
    result = run_cli("run", WITH_REJECTIONS, "--out", out)
    assert result.exit_code == 0, result.stderr
    assert "published" in result.stdout
    assert (out / "rejected.parquet").exists()
    assert pq.read_table(out / "rejected.parquet").num_rows == 8
    assert {path.name for path in (out / "inputs").iterdir()} >= {"revenue.parquet"}
    manifest = json.loads((out / "run.json").read_text())
    assert manifest["tables"]["customers"] == {
        "read": 2,
        "accepted": 1,
        "rejected": 1,
        "collapsed": 0,
    }
    assert manifest["outputs"]["rows"]["rejected"] == 8
    assert manifest["rules"]["source"] == "default"
    assert all(len(entry["sha256"]) == 64 for entry in manifest["inputs"])


def test_strict_refuses_when_rows_are_rejected(tmp_path: Path, run_cli: CliRunner) -> None:
    out = tmp_path / "out"
    result = run_cli("run", WITH_REJECTIONS, "--out", out, "--strict")
    assert result.exit_code == 1
    assert (
        result.stderr
        == "partnercredit: --strict: 8 input rows were rejected; nothing was published\n"
    )
    # What was rejected, as `validate` shows it.
    assert "First rejections of each reason:" in result.stdout
    assert "bad_reference: revenue row 2, subscription_id = 'S2'" in result.stdout
    assert not out.exists()


SUMMARY_IN_ENGLISH = (
    "Input rows",
    "read",
    "accepted",
    "Rejected rows",
    "First rejections",
    " row ",
    "Output rows",
    "Revenue periods",
    "Credit by program",
    "credited",
    "Partners attaining",
    "as of",
    "Payouts",
    "eligible",
    "earned",
    "published",
    "FY",
)


def test_run_summarises_in_german(
    tmp_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COLUMNS", "250")
    out = tmp_path / "out"
    result = run_cli("run", WITH_REJECTIONS, "--out", out, "--lang", "de")
    assert result.exit_code == 0, result.stderr
    lines = [line.rstrip() for line in result.stdout.splitlines()]
    assert "Eingabezeilen" in lines and "Erste Ablehnungen je Grund:" in lines
    # A rejection's message in German, from its code (the rejected table holds the English).
    assert (
        "  bad_value: customers Datenzeile 2, country = 'de': country muss ein Ländercode nach "
        'ISO 3166-1 in Großbuchstaben wie DE sein, nicht "de".' in lines
    )
    assert "Umsatzmonate: 2016-04 (GJ 2016) bis 2016-04 (GJ 2016)" in lines
    # 1,000.00 of revenue, a payout of 100.00; the partners of a target, as of the last month.
    assert any(
        line.split()
        == ["│", "competency", "│", "1.000,00", "│", "1.000,00", "│", "0,00", "│", "1", "│"]
        for line in lines
    )
    assert "Partner, die das jeweilige Ziel erreichen, Stand 2016-04 (GJ 2016)" in lines
    run_id = json.loads((out / "run.json").read_text())["run_id"]
    assert lines[-1] == f"Lauf {run_id} veröffentlicht in {out}"
    for english in SUMMARY_IN_ENGLISH:
        assert english not in result.stdout, english


@pytest.mark.parametrize("language", ["en", "de"])
def test_a_credit_above_the_revenue_is_explained_under_the_table(
    tmp_path: Path, run_cli: CliRunner, language: str
) -> None:
    """The worked example credits 17,000.00 of 6,000.00 in competency (full credit, several
    partners a day); a run whose credit is the revenue says nothing."""
    worked = TESTS / "scenarios" / "01_worked_example"
    rules = worked / "rules.toml"
    full = run_cli(
        "run", worked / "data", "--out", tmp_path / "a", "--rules", rules, "--lang", language
    )
    plain = run_cli("run", WITH_REJECTIONS, "--out", tmp_path / "b", "--lang", language)
    caption = render_message("summary.full_credit", {}, language)  # type: ignore[arg-type]
    # A caption is as wide as its table: compared word by word.
    assert caption in " ".join(full.stdout.split())
    assert caption not in " ".join(plain.stdout.split())


def test_validate_and_a_strict_refusal_summarise_in_german(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    checked = run_cli("validate", WITH_REJECTIONS, "--lang", "de")
    refused = run_cli("run", WITH_REJECTIONS, "--out", tmp_path / "out", "--strict", "--lang", "de")
    clean = run_cli("validate", CLEAN, "--lang", "de")
    assert (checked.exit_code, refused.exit_code, clean.exit_code) == (0, 1, 0)
    for result in (checked, refused):
        assert "Abgelehnte Zeilen nach Grund" in result.stdout
        assert "bad_reference: revenue Datenzeile 2, subscription_id = 'S2'" in result.stdout
    assert "Keine Zeile wurde abgelehnt." in clean.stdout


def test_a_rejection_of_a_code_this_version_does_not_know_is_shown_as_written() -> None:
    """Its English text, as the `rejected` output holds it, rather than a failure."""
    report = ValidationReport(
        {},
        {"bad_value": 1},
        [Rejection("revenue", 2, "L1", "amount", "x", "bad_value", "as written", "new.code")],
    )
    [line] = render.rejection_examples(report, render.Wording("de", {}))
    assert line == "bad_value: revenue Datenzeile 2, amount = 'x': as written"


@pytest.mark.parametrize("command", ["run", "validate"])
def test_an_unknown_language_is_refused_before_reading(
    command: str, tmp_path: Path, run_cli: CliRunner
) -> None:
    out = ("--out", tmp_path / "out")
    result = run_cli(command, tmp_path / "no such data", *out, "--lang", "fr")
    assert result.exit_code == 2
    assert result.stderr == "partnercredit: --lang: use en or de, not 'fr'\n"
    assert not (tmp_path / "out").exists()


def test_the_api_refuses_an_unknown_output_format_and_keeps_validate_callable(
    tmp_path: Path,
) -> None:
    """`validate` stays the API's function once the validation package has been imported (it
    was replaced by the package of that name)."""
    import partnercredit

    with pytest.raises(UsageError, match=r"^output_format: use parquet or csv, not 'CSV'$"):
        partnercredit.run(CLEAN, tmp_path / "out", output_format="CSV")  # type: ignore[arg-type]
    assert not (tmp_path / "out").exists()
    partnercredit.run(CLEAN, tmp_path / "out")
    assert partnercredit.validate(CLEAN).rejected == 0


def test_a_strict_refusal_survives_pickling(tmp_path: Path) -> None:
    with pytest.raises(StrictRefusal) as refusal:
        core.run(WITH_REJECTIONS, tmp_path / "out", strict=True)
    again = pickle.loads(pickle.dumps(refusal.value))
    assert (str(again), again.validation) == (str(refusal.value), refusal.value.validation)


def test_strict_passes_clean_input(tmp_path: Path, run_cli: CliRunner) -> None:
    result = run_cli("run", CLEAN, "--out", tmp_path / "out", "--strict")
    assert result.exit_code == 0, result.stderr


def test_failed_run_leaves_previous_output_untouched(tmp_path: Path, run_cli: CliRunner) -> None:
    out = tmp_path / "out"
    assert run_cli("run", CLEAN, "--out", out).exit_code == 0
    before = _snapshot(out)
    result = run_cli("run", WITH_REJECTIONS, "--out", out, "--strict")
    assert result.exit_code == 1
    assert _snapshot(out) == before
    assert [path.name for path in tmp_path.iterdir()] == ["out"]


def test_rerun_replaces_previous_output(tmp_path: Path, run_cli: CliRunner) -> None:
    out = tmp_path / "out"
    assert run_cli("run", CLEAN, "--out", out).exit_code == 0
    assert run_cli("run", WITH_REJECTIONS, "--out", out, "--format", "csv").exit_code == 0
    assert (out / "rejected.csv").exists()
    assert not (out / "rejected.parquet").exists()


def test_refuses_to_replace_a_folder_that_is_not_a_run(tmp_path: Path, run_cli: CliRunner) -> None:
    out = tmp_path / "precious"
    out.mkdir()
    (out / "notes.txt").write_text("keep me")
    result = run_cli("run", CLEAN, "--out", out)
    assert result.exit_code == 2
    assert "not empty" in result.stderr
    assert (out / "notes.txt").read_text() == "keep me"


def test_usage_errors_exit_2(tmp_path: Path, run_cli: CliRunner) -> None:
    assert run_cli("run", CLEAN, "--out", tmp_path / "o", "--format", "xlsx").exit_code == 2
    assert run_cli("run", tmp_path / "missing", "--out", tmp_path / "o").exit_code == 2
    assert run_cli("run", CLEAN).exit_code == 2


@pytest.mark.parametrize("where", ["data", "out"])
def test_an_argument_that_is_not_utf8_is_one_line(
    where: str, tmp_path: Path, run_cli: CliRunner
) -> None:
    """Python keeps bytes that are not UTF-8 in an argument as surrogates."""
    odd = os.fsdecode(os.fsencode(tmp_path) + b"/d\xe9")
    data, out = (odd, tmp_path / "out") if where == "data" else (CLEAN, odd)
    result = run_cli("run", data, "--out", out)
    assert result.exit_code == 2
    assert result.stderr == (
        f"partnercredit: {tmp_path}/d\\xe9: not valid UTF-8; partnercredit reads paths and ids "
        "as UTF-8 text\n"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_lone_surrogate_from_a_caller_is_one_line(run_cli: CliRunner) -> None:
    """Not a byte that Python decoded: a caller of `main` passed it."""
    result = run_cli("explain", "run", "--line", "L\ud800")
    assert (result.exit_code, result.stderr) == (
        2,
        "partnercredit: 'L\\ud800': not valid UTF-8; partnercredit reads paths and ids as UTF-8 "
        "text\n",
    )


def test_validate_writes_nothing_without_out(tmp_path: Path, run_cli: CliRunner) -> None:
    before = set(tmp_path.iterdir())
    result = run_cli("validate", WITH_REJECTIONS)
    assert result.exit_code == 0, result.stderr
    assert "bad_reference" in result.stdout
    assert "customers" in result.stdout
    assert set(tmp_path.iterdir()) == before


def test_validate_with_out_publishes_rejections(tmp_path: Path, run_cli: CliRunner) -> None:
    result = run_cli("validate", WITH_REJECTIONS, "--out", tmp_path / "out")
    assert result.exit_code == 0, result.stderr
    assert (tmp_path / "out" / "rejected.parquet").exists()


def test_the_phases_of_a_run_are_shown_in_the_chosen_language(tmp_path: Path) -> None:
    phases: list[Phase] = []
    core.run(CLEAN, tmp_path / "out", on_phase=phases.append)
    assert [phase.text("en") for phase in phases][:4] == [
        "reading and checking inputs",
        "keeping the accepted inputs",
        "crediting partners",
        "writing rejected",
    ]
    assert phases[-1].text("de") == "Tabelle payouts wird geschrieben"
    shown = io.StringIO()
    with render.progress(Console(file=shown, force_terminal=True), "de") as on_phase:
        on_phase(phases[2])
    assert "Umsätze werden den Partnern angerechnet" in shown.getvalue()


def test_validate_refuses_a_folder_it_may_not_replace_before_validating(tmp_path: Path) -> None:
    out = tmp_path / "out"
    core.validate(WITH_REJECTIONS, out_dir=out)
    (out / "NOTES.txt").write_text("mine")
    phases: list[Phase] = []
    with pytest.raises(UsageError, match=r"besides an earlier run the folder holds NOTES\.txt"):
        core.validate(CLEAN, out_dir=out, on_phase=phases.append)
    assert phases == []
    assert (out / "NOTES.txt").read_text() == "mine"


def test_validate_with_out_does_not_replace_a_run(tmp_path: Path, run_cli: CliRunner) -> None:
    """A validation replaces an earlier validation; a run replaces either; but a validation
    never takes a run's credits away."""
    out = tmp_path / "out"
    assert run_cli("validate", WITH_REJECTIONS, "--out", out).exit_code == 0
    assert run_cli("validate", CLEAN, "--out", out).exit_code == 0
    assert run_cli("run", CLEAN, "--out", out).exit_code == 0
    before = sorted(path.name for path in out.iterdir())
    result = run_cli("validate", CLEAN, "--out", out)
    assert result.exit_code == 2
    assert result.stderr == (
        f"partnercredit: {out}: holds a run with credits, which validate --out would replace "
        "with a validation only; choose another folder\n"
    )
    assert sorted(path.name for path in out.iterdir()) == before


def test_rules_commands_are_wired(run_cli: CliRunner) -> None:
    result = run_cli("rules", "show")
    assert result.exit_code == 0
    assert "competency" in result.stdout


def test_killed_run_leaves_previous_output_untouched(tmp_path: Path, run_cli: CliRunner) -> None:
    """SIGKILL at any moment: OUT_DIR is either the old run or the new one, never a mix; the
    next run removes the scratch and staging folders that the killed ones left."""
    out, spill = tmp_path / "out", tmp_path / "spill"
    assert run_cli("run", CLEAN, "--out", out).exit_code == 0
    before = _snapshot(out)
    command = ["run", str(WITH_REJECTIONS), "--out", str(out), "--spill-dir", str(spill)]
    # The last one is killed once it has made its scratch folder, however slow the machine.
    for delay in (0.5, 1.0, 1.5, 2.0, 2.5, None):
        earlier = _entries(spill)
        process = subprocess.Popen(
            [sys.executable, "-m", "partnercredit", *command],
            stdout=subprocess.DEVNULL,
            stderr=subprocess.DEVNULL,
        )
        if delay is None:
            _wait_for_new_entry(spill, earlier, process)
        else:
            time.sleep(delay)
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        after = _snapshot(out)
        assert after == before or (
            "rejected.parquet" in after and pq.read_table(out / "rejected.parquet").num_rows == 8
        )
        before = after
    assert list(spill.iterdir()), "no run was killed after it had made its scratch folder"
    assert run_cli(*command).exit_code == 0
    assert list(spill.iterdir()) == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["out", "spill"]


def _entries(folder: Path) -> set[Path]:
    return set(folder.iterdir()) if folder.is_dir() else set()


def _wait_for_new_entry(folder: Path, earlier: set[Path], process: subprocess.Popen[bytes]) -> None:
    """Until `folder` holds an entry that is not one of `earlier` (or the process ended)."""
    deadline = time.monotonic() + 120
    while not _entries(folder) - earlier and process.poll() is None:
        assert time.monotonic() < deadline, f"nothing new in {folder} after 120 s"
        time.sleep(0.05)


def test_interrupted_run_exits_130_and_publishes_nothing(tmp_path: Path) -> None:
    out = tmp_path / "out"
    process = subprocess.Popen(
        [sys.executable, "-m", "partnercredit", "run", str(WITH_REJECTIONS), "--out", str(out)],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.PIPE,
        text=True,
    )
    # Once its staging folder is there, the command's handlers are: a signal before that
    # (a slow start on a loaded machine) would end the interpreter before it ran anything.
    _wait_for_new_entry(tmp_path, set(), process)
    process.send_signal(signal.SIGTERM)
    _, stderr = process.communicate(timeout=60)
    if process.returncode == 0:  # finished before the signal arrived
        return
    assert process.returncode == 130, stderr
    assert "interrupted" in stderr
    assert not out.exists()
    assert not [path for path in tmp_path.iterdir() if path.name.startswith(".partnercredit")]


@pytest.mark.parametrize(
    ("command", "message"),
    [
        (["run", CLEAN, "--out"], "interrupted; nothing was published"),
        (["validate", CLEAN], "interrupted"),
    ],
)
def test_an_interrupt_a_library_swallowed_still_stops_the_command(
    command: list[str | Path],
    message: str,
    tmp_path: Path,
    run_cli: CliRunner,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A Spark run in CI once finished with exit 0 after such an interrupt."""
    monkeypatch.setattr(core, "validate_inputs", _swallowing(core.validate_inputs))
    # It stops at the next phase, not at the end of the run.
    monkeypatch.setattr(core, "compute_credit", None)
    out = tmp_path / "out"
    result = run_cli(*command, *([out] if command[-1] == "--out" else []))
    assert (result.exit_code, result.stderr) == (130, f"partnercredit: {message}\n")
    assert list(tmp_path.iterdir()) == []


def _swallowing(call: Callable[..., object]) -> Callable[..., object]:
    """`call`, after an interrupt that it swallows: py4j sends a call to Spark again when an
    interrupt broke it while it was being sent, and the command never sees the `Interrupted`."""

    def swallowing(*args: object, **kwargs: object) -> object:
        with suppress(Interrupted):
            os.kill(os.getpid(), signal.SIGINT)
        return call(*args, **kwargs)

    return swallowing


def test_the_api_after_an_interrupted_command_is_not_interrupted(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """A notebook that ran the CLI in its own process, then calls the API: the command's
    handlers are gone, and its interrupt with them."""
    monkeypatch.setattr(core, "validate_inputs", _swallowing(core.validate_inputs))
    with pytest.raises(SystemExit) as stop:
        main(["validate", str(CLEAN)])
    assert stop.value.code == 130
    assert capsys.readouterr().err == "partnercredit: interrupted\n"
    monkeypatch.undo()
    assert core.run(CLEAN, tmp_path / "out").validation.rejected == 0


def test_an_interrupt_swallowed_in_a_command_without_phases_stops_it_at_its_end(
    tmp_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`partner` only reads a run: nothing to stop at but the command's end."""
    core.run(CLEAN, tmp_path / "out")
    monkeypatch.setattr(statement, "_statement", _swallowing(statement._statement))
    result = run_cli("partner", tmp_path / "out", "P1")
    assert (result.exit_code, result.stderr) == (130, "partnercredit: interrupted\n")


@pytest.mark.parametrize("command", ["run", "validate"])
def test_a_missing_table_is_found_before_an_engine_starts(
    command: str, tmp_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Spark took seconds to start (and printed its banners) before the run found it."""
    monkeypatch.setattr(core, "open_backend", None)
    data = tmp_path / "data"
    data.mkdir()
    result = run_cli(command, data, "--out", tmp_path / "out", "--engine", "spark")
    assert (result.exit_code, result.stderr) == (
        2,
        f"partnercredit: {data}: required table partners is missing "
        "(expected partners.csv or partners.parquet)\n",
    )
    assert sorted(path.name for path in tmp_path.iterdir()) == ["data"]


def test_engine_out_of_memory_is_one_line_and_publishes_nothing(
    tmp_path: Path, run_cli: CliRunner
) -> None:
    out = tmp_path / "out"
    result = run_cli("run", CLEAN, "--out", out, "--memory-limit", "1MB")
    assert result.exit_code == 2
    assert result.stderr.startswith("partnercredit: the engine ran out of memory")
    assert "--memory-limit" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


def test_full_disk_is_one_line_and_publishes_nothing(
    tmp_path: Path, run_cli: CliRunner, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A file the run writes itself (not through the engine) on a full disk."""
    out = tmp_path / "out"

    def full_disk(_manifest: object, path: Path) -> None:
        raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(path))

    monkeypatch.setattr(core, "write_manifest", full_disk)
    result = run_cli("run", CLEAN, "--out", out)
    assert result.exit_code == 2
    assert result.stderr.startswith("partnercredit: could not read or write ")
    assert "run.json: No space left on device (make room on that disk" in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not out.exists()


@pytest.mark.parametrize(
    ("limit", "message"),
    [
        # refused before any engine starts
        ("lots", "memory limit 'lots' is not a size of memory; write it like 8GB or 512MiB"),
        # refused by the engine, once the scratch folder is made
        ("500B", "the engine ran out of memory within its limit of 500B"),
    ],
)
def test_bad_memory_limit_is_one_line_and_leaves_no_scratch_folder(
    limit: str, message: str, tmp_path: Path, run_cli: CliRunner
) -> None:
    spill = tmp_path / "spill"
    result = run_cli(
        "run", CLEAN, "--out", tmp_path / "out", "--memory-limit", limit, "--spill-dir", spill
    )
    assert result.exit_code == 2
    assert message in result.stderr
    assert len(result.stderr.strip().splitlines()) == 1
    assert not spill.exists() or list(spill.iterdir()) == []


def test_folders_named_like_columns_change_nothing(tmp_path: Path, run_cli: CliRunner) -> None:
    """DuckDB would read a folder `name=value` on a file's path as a column `name`, and put
    its value into a file's column of that name: in the inputs' path, the output's and the
    spill folder's, such folders are only folders."""
    plain, odd = tmp_path / "plain", tmp_path / "customer_id=C0" / "partner_id=P0"
    for root in (plain, odd):
        generated = run_cli(
            "generate", root / "data", "--subscriptions", "40", "--format", "parquet"
        )
        assert generated.exit_code == 0, generated.stderr
    runs = [
        run_cli("run", root / "data", "--out", root / "out", "--spill-dir", root / spill)
        for root, spill in ((plain, "spill"), (odd, "period=2016-01"))
    ]
    assert [run.exit_code for run in runs] == [0, 0], runs[1].stderr
    for table in ("credits", "unattributed", "attainment", "payouts"):
        written = [pq.read_table(root / "out" / f"{table}.parquet") for root in (plain, odd)]
        assert written[0].num_rows > 0, table
        assert written[1].equals(written[0]), table
    partner = pq.read_table(plain / "out" / "credits.parquet").column("partner_id")[0].as_py()
    statements = [run_cli("partner", root / "out", partner) for root in (plain, odd)]
    assert statements[1].stdout == statements[0].stdout
    assert run_cli("verify", odd / "out").exit_code == 0


def test_glob_characters_in_paths_are_only_characters(tmp_path: Path, run_cli: CliRunner) -> None:
    """DuckDB would read `d[1]` as the folder `d1` and `d*` as every folder starting with d:
    a decoy folder beside each, with other data, changes nothing."""
    plain, odd = tmp_path / "plain", tmp_path / "odd[1]*?"
    decoy = tmp_path / "odd1xy"
    for root, seed in ((plain, "1"), (odd, "1"), (decoy, "2")):
        generated = run_cli(
            "generate",
            root / "d[1]",
            "--subscriptions",
            "40",
            "--seed",
            seed,
            "--format",
            "parquet",
        )
        assert generated.exit_code == 0, generated.stderr
        (root / "d[1]").rename(root / "data")
    (decoy / "data").rename(decoy / "d1")
    (odd / "data").rename(odd / "d[1]")
    runs = [
        run_cli("run", data, "--out", root / "out", "--spill-dir", root / "s[p]*")
        for root, data in ((plain, plain / "data"), (odd, odd / "d[1]"))
    ]
    assert [run.exit_code for run in runs] == [0, 0], runs[1].stderr
    assert runs[1].stdout.split("Output rows")[0] == runs[0].stdout.split("Output rows")[0]
    for table in ("credits", "unattributed", "attainment", "payouts", "rejected"):
        written = [pq.read_table(root / "out" / f"{table}.parquet") for root in (plain, odd)]
        assert written[1].equals(written[0]), table
    line = pq.read_table(plain / "out" / "credits.parquet").column("line_id")[0].as_py()
    explained = [run_cli("explain", root / "out", "--line", line) for root in (plain, odd)]
    assert explained[1].exit_code == 0 and explained[1].stdout == explained[0].stdout
    assert run_cli("verify", odd / "out").exit_code == 0
    assert "No differences" in run_cli("diff", plain / "out", odd / "out").stdout


@pytest.mark.parametrize(
    ("program", "reason"),
    [
        ('kind = "payout"', "no_policy"),
        ('kind = "attainment"\npolicies = [ { from = 2000-01-01, types = [] } ]', "no_association"),
    ],
    ids=["no-policy", "policy-of-no-types"],
)
def test_rules_without_association_types_credit_nobody(
    program: str, reason: str, tmp_path: Path, run_cli: CliRunner
) -> None:
    """Rules that declare no association type are valid (`rules check` says so): every line is
    uncredited (the run once failed with a traceback ranking the types)."""
    rules = tmp_path / "rules.toml"
    rules.write_text(f"fiscal_year_start_month = 7\n[programs.p]\n{program}\n")
    out = tmp_path / "out"
    data = TESTS / "scenarios" / "01_worked_example" / "data"
    result = run_cli("run", data, "--out", out, "--rules", rules, "--format", "csv")
    assert result.exit_code == 0, result.stderr
    assert (out / "credits.csv").read_text().count("\n") == 1  # the header alone
    unattributed = read_csv(out / "unattributed.csv")
    assert unattributed
    assert {row["reason"] for row in unattributed} == {reason}


@pytest.mark.parametrize(
    ("option", "below_file", "message"),
    [
        ("--out", "sub", "sub: cannot create the output folder ({file} is a file, not a folder)"),
        ("--spill-dir", "", "cannot make the engine's scratch folder there ({file} is a file,"),
        ("--spill-dir", "x", "cannot make the engine's scratch folder there ({file} is a file,"),
    ],
    ids=["out-below-a-file", "spill-dir-a-file", "spill-dir-below-a-file"],
)
def test_a_file_in_the_way_of_a_folder_is_named(
    option: str, below_file: str, message: str, tmp_path: Path, run_cli: CliRunner
) -> None:
    """Not "File exists" or "Not a directory", which leave the reader to guess which."""
    in_the_way = tmp_path / "a-file"
    in_the_way.write_text("")
    folder = in_the_way / below_file if below_file else in_the_way
    out = folder if option == "--out" else tmp_path / "out"
    arguments = ["run", CLEAN, "--out", out]
    if option == "--spill-dir":
        arguments += ["--spill-dir", folder]
    result = run_cli(*arguments)
    assert result.exit_code == 2
    assert message.format(file=in_the_way) in result.stderr
    assert result.stderr.count("\n") == 1


def _csv_data(folder: Path, tables: dict[str, str]) -> Path:
    """A data folder of one CSV file per table, from its text."""
    folder.mkdir()
    for name, text in tables.items():
        (folder / f"{name}.csv").write_text(text, encoding="utf-8")
    return folder


def test_a_sum_too_large_for_the_outputs_is_one_line(tmp_path: Path, run_cli: CliRunner) -> None:
    """120 lines of 999,999,999,999 EUR at 89 USD: each within the inputs' limits, their sum
    (about 1.07e16 USD) beyond the outputs' DECIMAL(18, 2)."""
    tables = {
        "partners": "partner_id,name\nP1,a\n",
        "customers": "customer_id,name,country\nC1,x,DE\n",
        "subscriptions": "subscription_id,customer_id\nS1,C1\n",
        "fx_rates": "period,currency,usd_per_unit\n2016-07,EUR,89\n",
        "revenue": "line_id,subscription_id,period,product,workload,amount,currency,quantity,"
        "transacting_partner_id\n"
        + "".join(f"L{n:03d},S1,2016-07,O365-E3,,999999999999,EUR,0,P1\n" for n in range(120)),
    }
    result = run_cli("run", _csv_data(tmp_path / "data", tables), "--out", tmp_path / "out")
    assert result.exit_code == 2
    assert result.stderr == (
        "partnercredit: a sum of revenue_usd is too large for the outputs, which hold at most 16 "
        "digits before the point (DECIMAL(18, 2)): the inputs' amounts or quantities (or a "
        "payout's sum times its rate) add up beyond that\n"
    )
    assert not (tmp_path / "out").exists()


def paid_at(
    folder: Path, rate: str, lines: int, amount: str = "999999999999.99"
) -> tuple[Path, Path]:
    """A data folder and rules: `lines` lines of `amount` USD (in July 2016, O365-E3)
    credited to one partner, paid at `rate` (by default beyond DECIMAL(18, 2))."""
    tables = {
        "partners": "partner_id,name\nP1,a\n",
        "customers": "customer_id,name\nC1,x\n",
        "subscriptions": "subscription_id,customer_id\nS1,C1\n",
        "revenue": "line_id,subscription_id,period,product,amount,currency\n"
        + "".join(f"L{n},S1,2016-07,O365-E3,{amount},USD\n" for n in range(lines)),
        "dpor_events": "event_id,subscription_id,partner_id,effective_date\nE1,S1,P1,2016-01-01\n",
    }
    rules = folder / "rules.toml"
    rules.write_text(
        resources.files("partnercredit.rules")
        .joinpath("default.toml")
        .read_text("utf-8")
        .replace(
            '{ area = "cloud_productivity", rate = 0.10 }',
            f'{{ area = "cloud_productivity", rate = {rate} }}',
        ),
        encoding="utf-8",
    )
    return _csv_data(folder / "data", tables), rules


@pytest.mark.parametrize(
    ("amount", "rate", "earned"),
    [
        ("0.03", "1.5", "0.04"),  # 0.045, to even
        ("0.05", "1.5", "0.08"),  # 0.075, to even
        ("100000.00", "9999.99999999", "1000000000.00"),  # 999,999,999.999
    ],
)
def test_payout_rates_above_one_are_paid_to_the_cent(
    amount: str, rate: str, earned: str, tmp_path: Path
) -> None:
    data, rules = paid_at(tmp_path, rate, 1, amount)
    core.run(data, tmp_path / "out", rules=rules, output_format="csv")
    [payout] = read_csv(tmp_path / "out" / "payouts.csv")
    assert (payout["eligible_usd"], payout["rate"], payout["earned_usd"]) == (amount, rate, earned)


@pytest.mark.parametrize(
    ("output_format", "lines", "rate"),
    [("parquet", 2, "9999"), ("csv", 2, "9999"), ("parquet", 10, "9999.99999999")],
)
def test_a_payout_too_large_for_the_outputs_is_one_line(
    output_format: str, lines: int, rate: str, tmp_path: Path, run_cli: CliRunner
) -> None:
    """Two lines at a rate of 9999 earn about 2.0e16 USD; ten at 9999.99999999 earn 1.0e17
    USD, beyond 64-bit integers of cents."""
    data, rules = paid_at(tmp_path, rate, lines)
    out = tmp_path / "out"
    result = run_cli("run", data, "--out", out, "--rules", rules, "--format", output_format)
    assert result.exit_code == 2
    assert result.stderr.startswith("partnercredit: a sum")
    assert "is too large for the outputs" in result.stderr
    assert result.stderr.count("\n") == 1
    assert not out.exists()
