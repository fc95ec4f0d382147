"""`rules show` and `rules check`, run through a Typer app that mounts `rules_app`."""

from __future__ import annotations

from pathlib import Path

import pytest
import typer
from typer.testing import CliRunner, Result

from partnercredit.cli.rules import rules_app
from partnercredit.errors import RulesError
from partnercredit.rules import load_builtin, load_rules

from .conftest import WriteRules

app = typer.Typer(pretty_exceptions_enable=False)
app.add_typer(rules_app)


def _invoke(*args: str) -> Result:
    return CliRunner().invoke(app, ["rules", *args], env={"COLUMNS": "200"})


def test_show_prints_the_default_rules() -> None:
    result = _invoke("show")
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert lines[:3] == [
        f"rules: default (sha256 {load_rules().sha256})",
        "fiscal_year_start_month = 7",
        "proration = daily",
    ]
    for expected in [
        "from 2000-01-01 until 2016-05-31: dpor",
        "from 2016-06-01 until 2016-06-30: dpor, transacting, delegated_admin",
        "from 2016-07-01 on: dpor, transacting, delegated_admin, fasttrack",
        "from 2000-01-01 on: dpor",
        "exclude_categories = trial, internal, benefit",
        "requires_any = none",
    ]:
        assert expected in lines
    rows = [_cells(line) for line in lines if line.startswith("│")]
    assert ["pal", "5", "false", "true", "Partner admin link", "Partner-Admin-Link"] in rows
    assert ["cloud_productivity", "O365*, EMS*, INTUNE*"] in rows
    assert ["smb_cloud_silver", "smb_cloud", "silver", "", "40", "", "4"] in rows
    assert ["cloud_crm", "0.10"] in rows


def test_show_prints_a_rules_file_as_written(write_rules: WriteRules) -> None:
    path = write_rules(
        """
        proration = "month_end"
        [association_types.dpor]
        precedence = 1
        [areas]
        beta = ["[[]beta]*"]
        [programs.competency]
        kind = "attainment"
        [programs.incentives]
        kind = "payout"
        policies = [{ from = 2016-07-01, types = [] }]
        rates = [{ area = "beta", rate = 0.250 }]
        requires_any = []
        """
    )
    result = _invoke("show", "--rules", str(path))
    assert result.exit_code == 0, result.output
    lines = [line.strip() for line in result.output.splitlines()]
    assert "proration = month_end" in lines
    assert "none: the program credits nobody" in lines
    assert "from 2016-07-01 on: no type counted" in lines
    rows = [_cells(line) for line in lines if line.startswith("│")]
    assert ["beta", "[[]beta]*"] in rows
    assert ["beta", "0.250"] in rows


def test_check_summarises_a_valid_file(write_rules: WriteRules) -> None:
    path = write_rules(load_builtin("example").text)
    result = _invoke("check", str(path))
    assert result.exit_code == 0, result.output
    assert result.output == (
        "rules.toml: OK (4 association types, 2 areas, 2 programs, 4 policies, 2 targets, "
        "2 rates)\n"
    )


def test_check_counts_in_the_singular(write_rules: WriteRules) -> None:
    path = write_rules(
        """
        [association_types.dpor]
        precedence = 1
        [areas]
        cloud = ["AZURE*"]
        [programs.incentives]
        kind = "payout"
        policies = [{ from = 2016-07-01, types = ["dpor"] }]
        rates = [{ area = "cloud", rate = 0.1 }]
        """
    )
    result = _invoke("check", str(path))
    assert result.output == (
        "rules.toml: OK (1 association type, 1 area, 1 program, 1 policy, 0 targets, 1 rate)\n"
    )


@pytest.mark.parametrize("command", ["check", "show --rules"])
def test_invalid_rules_raise_one_rules_error(write_rules: WriteRules, command: str) -> None:
    path = write_rules("[association_types.pal]\nlabel = { en = 'Partner admin link' }\n")
    result = _invoke(*command.split(), str(path))
    assert isinstance(result.exception, RulesError)
    assert str(result.exception) == f"{path}: association_types.pal.precedence: missing"


@pytest.mark.parametrize("text", ["", "[areas]\ncloud = ['AZURE*']\n"])
def test_check_refuses_rules_without_a_program(write_rules: WriteRules, text: str) -> None:
    """What `run` would refuse: there is nothing to credit."""
    result = _invoke("check", str(write_rules(text)))
    assert isinstance(result.exception, RulesError)
    assert str(result.exception) == (
        "rules.toml: the rules declare no program: there is nothing to credit"
    )


def test_check_of_a_missing_file_names_it(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    result = _invoke("check", str(path))
    assert isinstance(result.exception, RulesError)
    assert str(path) in str(result.exception)


def _cells(line: str) -> list[str]:
    return [cell.strip() for cell in line.strip("│").split("│")]


def test_show_keeps_words_whole_when_piped(monkeypatch: pytest.MonkeyPatch) -> None:
    """Output to a pipe or file is not squeezed into 80 columns (rich's default there), which
    broke table cells inside words ("retroactiv" over "e")."""
    monkeypatch.delenv("COLUMNS", raising=False)
    result = CliRunner().invoke(app, ["rules", "show"])
    assert result.exit_code == 0, result.output
    for word in ("retroactive", "Transaktionspartner", "Delegierter Administrator"):
        assert word in result.output
