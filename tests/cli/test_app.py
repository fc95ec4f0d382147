"""Usage mistakes on the command line are one line and exit code 2 (SPEC 9)."""

from __future__ import annotations

import pytest

from tests.conftest import CliRunner


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        (
            ("validate", "data", "--bogus"),
            "partnercredit: No such option: --bogus (Possible options: --out) "
            "(see `partnercredit validate --help`)",
        ),
        (("run",), "partnercredit: Missing argument 'DATA_DIR' (see `partnercredit run --help`)"),
        (("nosuch",), "partnercredit: No such command 'nosuch' (see `partnercredit --help`)"),
        (
            ("rules", "check"),
            "partnercredit: Missing argument 'FILE' (see `partnercredit rules check --help`)",
        ),
        # mistakes that come without the command they were made in
        (
            ("run", "data", "--out", "out", "--strict=yes"),
            "partnercredit: Option '--strict' does not take a value "
            "(see `partnercredit run --help`)",
        ),
        (
            ("rules", "check", "--json=1", "rules.toml"),
            "partnercredit: No such option: --json (see `partnercredit rules check --help`)",
        ),
    ],
)
def test_usage_mistakes_are_one_line(
    run_cli: CliRunner, arguments: tuple[str, ...], message: str
) -> None:
    result = run_cli(*arguments)
    assert (result.exit_code, result.stderr.strip(), result.stdout) == (2, message, "")


@pytest.mark.parametrize("arguments", [(), ("rules",)])
def test_a_group_without_its_command_shows_its_help(
    run_cli: CliRunner, arguments: tuple[str, ...]
) -> None:
    result = run_cli(*arguments)
    assert result.exit_code == 2
    assert "Usage:" in result.stdout
    assert result.stderr == ""


def test_help_exits_0(run_cli: CliRunner) -> None:
    result = run_cli("run", "--help")
    assert (result.exit_code, result.stderr) == (0, "")
    assert "--workspace" in result.stdout


def test_version(run_cli: CliRunner) -> None:
    from partnercredit import __version__

    result = run_cli("--version")
    expected = (0, f"partnercredit {__version__}\n", "")
    assert (result.exit_code, result.stdout, result.stderr) == expected


def test_flags_show_no_value_in_help(run_cli: CliRunner) -> None:
    """A flag takes no value: its help shows none (Typer would show `<bool>`)."""
    for command, flag in [("run", "--strict"), ("explain", "--json"), ("demo", "--no-serve")]:
        lines = [line for line in run_cli(command, "--help").stdout.splitlines() if flag in line]
        assert lines, (command, flag)
        assert "<bool>" not in lines[0], lines[0]
