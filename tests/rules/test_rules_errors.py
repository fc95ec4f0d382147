"""Every problem with a rules file is one `RulesError` line naming the file and the key."""

from __future__ import annotations

from pathlib import Path

import pytest

from partnercredit.errors import RulesError, StructuralError
from partnercredit.rules import load_rules, parse_rules

from .conftest import ParseRules, WriteRules

TYPES = """
[association_types.dpor]
precedence = 1
[association_types.transacting]
precedence = 2
"""
AREAS = """
[areas]
cloud = ["AZURE*"]
crm = ["CRM*"]
"""
ATTAINMENT = f"""{TYPES}{AREAS}
[programs.competency]
kind = "attainment"
"""
PAYOUT = f"""{TYPES}{AREAS}
[programs.incentives]
kind = "payout"
"""
TARGET = f"""{ATTAINMENT}
[[programs.competency.targets]]
name = "cloud_silver"
area = "cloud"
"""

# (TOML text, the error line it gives)
CASES = [
    # TOML itself
    (
        "proration = daily\n",
        "rules.toml: line 1: invalid TOML (Invalid value, column 13)",
    ),
    (
        "fiscal_year_start_month = 7\nfiscal_year_start_month = 8\n",
        "rules.toml: line 2: invalid TOML (Cannot overwrite a value, column 28)",
    ),
    ("areas = { cloud = [1,\n", "rules.toml: end of file: invalid TOML (Invalid value)"),
    # a date as people write it, which TOML cannot read: the message says how to write it
    (
        "[programs.c]\nkind = 'attainment'\npolicies = [ { from = 2016-6-1, types = [] } ]",
        "rules.toml: line 3: invalid TOML (Unclosed inline table, column 27); dates are "
        "written YYYY-MM-DD, e.g. 2016-06-01",
    ),
    (
        "[programs.c]\nkind = 'attainment'\npolicies = [ { from = 01.06.2016, types = [] } ]",
        "rules.toml: line 3: invalid TOML (Unclosed inline table, column 24); dates are "
        "written YYYY-MM-DD, e.g. 2016-06-01",
    ),
    (
        "[programs.c]\nkind = 'attainment'\npolicies = [ { from = 2016-06-01, types = [x] } ]",
        "rules.toml: line 3: invalid TOML (Invalid value, column 44)",
    ),
    # top level
    ("proratoin = 'daily'", "rules.toml: proratoin: unknown key"),
    # requires_any's "program.target" is split at its first dot
    (
        f"""{TYPES}{AREAS}
[programs."comp.v2"]
kind = "attainment"
[[programs."comp.v2".targets]]
name = "silver"
area = "cloud"
seats = 1
[programs.incentives]
kind = "payout"
requires_any = ["comp.v2.silver"]
""",
        'rules.toml: programs.incentives.requires_any[0]: program "comp.v2" cannot be named '
        'here: its name contains "."',
    ),
    ("text = 'x'", "rules.toml: text: unknown key"),
    ("source_name = 'x'", "rules.toml: source_name: unknown key"),
    (
        "fiscal_year_start_month = 13",
        "rules.toml: fiscal_year_start_month: must be at most 12, got 13",
    ),
    (
        "fiscal_year_start_month = 0",
        "rules.toml: fiscal_year_start_month: must be at least 1, got 0",
    ),
    (
        "fiscal_year_start_month = '7'",
        'rules.toml: fiscal_year_start_month: expected an integer, got "7"',
    ),
    (
        "fiscal_year_start_month = 7.0",
        "rules.toml: fiscal_year_start_month: expected an integer, got 7.0",
    ),
    (
        "fiscal_year_start_month = true",
        "rules.toml: fiscal_year_start_month: expected an integer, got true",
    ),
    (
        "proration = 'weekly'",
        'rules.toml: proration: expected "daily", "any_day" or "month_end", got "weekly"',
    ),
    ("association_types = 5", "rules.toml: association_types: expected a table, got 5"),
    ("programs = []", "rules.toml: programs: expected a table, got an array"),
    # association types
    (
        "[association_types.fasttrack]\nexclusive = true",
        "rules.toml: association_types.fasttrack.precedence: missing",
    ),
    (
        "[association_types.dpor]\nprecedence = '1'",
        'rules.toml: association_types.dpor.precedence: expected an integer, got "1"',
    ),
    (
        '[association_types."partner admin"]\nprecedence = 1.5',
        'rules.toml: association_types."partner admin".precedence: expected an integer, got 1.5',
    ),
    (
        "[association_types.dpor]\nprecedence = 1\nexclusive = 'yes'",
        'rules.toml: association_types.dpor.exclusive: expected true or false, got "yes"',
    ),
    (
        "[association_types.dpor]\nprecedence = 1\nretroactive = 0",
        "rules.toml: association_types.dpor.retroactive: expected true or false, got 0",
    ),
    (
        "[association_types.dpor]\nprecedence = 1\nexlusive = true",
        "rules.toml: association_types.dpor.exlusive: unknown key",
    ),
    (
        "[association_types.dpor]\nprecedence = 1\nname = 'dpor'",
        "rules.toml: association_types.dpor.name: unknown key",
    ),
    (
        "[association_types.dpor]\nprecedence = 1\nlabel = 'DPOR'",
        'rules.toml: association_types.dpor.label: expected a table, got "DPOR"',
    ),
    (
        "[association_types.dpor]\nprecedence = 1\nlabel = { en = 'DPOR', fr = 'DPOR' }",
        "rules.toml: association_types.dpor.label.fr: unknown key",
    ),
    (
        "[association_types.dpor]\nprecedence = 1\nlabel = { de = 1 }",
        "rules.toml: association_types.dpor.label.de: expected a string, got 1",
    ),
    ("association_types.dpor = 1", "rules.toml: association_types.dpor: expected a table, got 1"),
    (
        "[association_types.a]\nprecedence = 2\n[association_types.b]\nprecedence = 2",
        'rules.toml: association_types: types "a" and "b" share precedence 2',
    ),
    # areas
    ("[areas]\ncloud = 'AZURE*'", 'rules.toml: areas.cloud: expected an array, got "AZURE*"'),
    ("[areas]\ncloud = []", "rules.toml: areas.cloud: must not be empty"),
    ("[areas]\ncloud = ['AZURE*', 1]", "rules.toml: areas.cloud[1]: expected a string, got 1"),
    # slips that would match no product, or repeat themselves
    (
        "[areas]\ncloud = ['[AZURE*']",
        "rules.toml: areas.cloud[0]: the [ at position 1 has no closing ]",
    ),
    (
        "[areas]\ncloud = ['A[!]*']",
        "rules.toml: areas.cloud[0]: the [ at position 2 has no closing ]",
    ),
    ("[areas]\ncloud = ['']", "rules.toml: areas.cloud[0]: must not be empty"),
    ("[areas]\ncloud = ['A*', 'B*', 'A*']", 'rules.toml: areas.cloud: "A*" is listed twice'),
    (
        "[programs.competency]\nkind = 'attainment'\nexclude_categories = ['trial', 'trial']",
        'rules.toml: programs.competency.exclude_categories: "trial" is listed twice',
    ),
    (
        "[programs.competency]\nkind = 'attainment'\nexclude_categories = ['']",
        "rules.toml: programs.competency.exclude_categories[0]: must not be empty",
    ),
    (
        "[association_types.dpor]\nprecedence = 1\n[programs.competency]\nkind = 'attainment'\n"
        "policies = [{ from = 2016-01-01, types = ['dpor', 'dpor'] }]",
        'rules.toml: programs.competency.policies[0].types: "dpor" is listed twice',
    ),
    # programs
    ("[programs.competency]\ncredit = 'full'", "rules.toml: programs.competency.kind: missing"),
    ("programs.competency = 1", "rules.toml: programs.competency: expected a table, got 1"),
    (
        "[programs.competency]\nkind = 'bonus'",
        'rules.toml: programs.competency.kind: expected "attainment" or "payout", got "bonus"',
    ),
    (
        "[programs.competency]\nkind = 'attainment'\nname = 'competency'",
        "rules.toml: programs.competency.name: unknown key",
    ),
    (
        "[programs.competency]\nkind = 'attainment'\ncredit = 'half'",
        'rules.toml: programs.competency.credit: expected "full" or "split", got "half"',
    ),
    (
        "[programs.competency]\nkind = 'attainment'\nwindow_months = 0",
        "rules.toml: programs.competency.window_months: must be at least 1, got 0",
    ),
    (
        "[programs.competency]\nkind = 'attainment'\nwindow_months = 1201",
        "rules.toml: programs.competency.window_months: must be at most 1200, got 1201",
    ),
    (
        "[association_types.dpor]\nprecedence = 99999999999999999999",
        "rules.toml: association_types.dpor.precedence: must be at most 1000000000, got "
        "99999999999999999999",
    ),
    (
        "[association_types.dpor]\nprecedence = -1000000001",
        "rules.toml: association_types.dpor.precedence: must be at least -1000000000, got "
        "-1000000001",
    ),
    # an empty name would be a null in the CSV outputs
    ('[programs.""]\nkind = "attainment"', 'rules.toml: programs."": must not be empty'),
    (
        '[association_types.""]\nprecedence = 1',
        'rules.toml: association_types."": must not be empty',
    ),
    (
        "[association_types.dpor]\nprecedence = 1\nlabel = { de = '' }",
        "rules.toml: association_types.dpor.label.de: must not be empty",
    ),
    ('[areas]\n"" = ["AZURE*"]', 'rules.toml: areas."": must not be empty'),
    (
        f"{ATTAINMENT}\n[[programs.competency.targets]]\nname = ''\narea = 'cloud'\nseats = 1",
        "rules.toml: programs.competency.targets[0].name: must not be empty",
    ),
    (
        "[programs.competency]\nkind = 'attainment'\nrollup = 'top'",
        'rules.toml: programs.competency.rollup: expected "partner" or "root", got "top"',
    ),
    (
        "[programs.competency]\nkind = 'attainment'\nexclude_categories = 'trial'",
        'rules.toml: programs.competency.exclude_categories: expected an array, got "trial"',
    ),
    (
        "[programs.competency]\nkind = 'attainment'\npolices = []",
        "rules.toml: programs.competency.polices: unknown key",
    ),
    # policies
    (
        ATTAINMENT + "policies = [{ from = 2016-01-01 }]",
        "rules.toml: programs.competency.policies[0].types: missing",
    ),
    (
        ATTAINMENT + "policies = [{ types = ['dpor'] }]",
        "rules.toml: programs.competency.policies[0].from: missing",
    ),
    (
        ATTAINMENT + "policies = [{ from = '2016-01-01', types = ['dpor'] }]",
        "rules.toml: programs.competency.policies[0].from: expected a date (YYYY-MM-DD), "
        'got "2016-01-01"',
    ),
    (
        ATTAINMENT + "policies = [{ from = 2016-01-01T00:00:00, types = ['dpor'] }]",
        "rules.toml: programs.competency.policies[0].from: expected a date (YYYY-MM-DD), "
        "got 2016-01-01T00:00:00",
    ),
    (
        ATTAINMENT + "policies = [{ from = 2016-01-01, until = 2017-01-01, types = ['dpor'] }]",
        "rules.toml: programs.competency.policies[0].until: unknown key",
    ),
    (
        ATTAINMENT + "policies = [{ from = 2016-01-01, types = 'dpor' }]",
        'rules.toml: programs.competency.policies[0].types: expected an array, got "dpor"',
    ),
    (
        ATTAINMENT
        + """policies = [
          { from = 2000-01-01, types = ["dpor"] },
          { from = 2016-06-01, types = ["dpor", "transacting"] },
          { from = 2016-07-01, types = ["dpor", "pal"] },
        ]""",
        'rules.toml: programs.competency.policies[2].types: unknown association type "pal"',
    ),
    (
        ATTAINMENT
        + """policies = [
          { from = 2016-07-01, types = ["dpor"] },
          { from = 2016-06-01, types = ["dpor"] },
        ]""",
        "rules.toml: programs.competency.policies[1].from: policies must strictly increase by "
        "from: 2016-06-01 is not after 2016-07-01",
    ),
    (
        ATTAINMENT
        + """policies = [
          { from = 2016-07-01, types = ["dpor"] },
          { from = 2016-07-01, types = ["transacting"] },
        ]""",
        "rules.toml: programs.competency.policies[1].from: policies must strictly increase by "
        "from: 2016-07-01 is not after 2016-07-01",
    ),
    # kind-specific keys
    (
        PAYOUT + "targets = []",
        "rules.toml: programs.incentives.targets: only attainment programs have targets",
    ),
    (
        ATTAINMENT + "rates = [{ area = 'cloud', rate = 0.1 }]",
        "rules.toml: programs.competency.rates: only payout programs have rates",
    ),
    (
        ATTAINMENT + "requires_any = []",
        "rules.toml: programs.competency.requires_any: only payout programs have requires_any",
    ),
    # targets
    (
        ATTAINMENT + "[[programs.competency.targets]]\narea = 'cloud'\nseats = 1",
        "rules.toml: programs.competency.targets[0].name: missing",
    ),
    (
        TARGET,
        "rules.toml: programs.competency.targets[0]: needs at least one of revenue_usd, seats, "
        "customers, new_customers",
    ),
    (
        TARGET + "revenue = 100",
        "rules.toml: programs.competency.targets[0].revenue: unknown key",
    ),
    (
        TARGET + "revenue_usd = '15000'",
        'rules.toml: programs.competency.targets[0].revenue_usd: expected a number, got "15000"',
    ),
    (
        TARGET + "revenue_usd = 100000000000000000",
        "rules.toml: programs.competency.targets[0].revenue_usd: must be below 10000000000000, "
        "got 100000000000000000",
    ),
    (
        TARGET + "customers = 1000000000000",
        "rules.toml: programs.competency.targets[0].customers: must be below 1000000000000, "
        "got 1000000000000",
    ),
    (
        TARGET + "revenue_usd = -1",
        "rules.toml: programs.competency.targets[0].revenue_usd: must be at least 0, got -1",
    ),
    (
        TARGET + "seats = nan",
        "rules.toml: programs.competency.targets[0].seats: expected a finite number, got NaN",
    ),
    (
        TARGET + "customers = 2.5",
        "rules.toml: programs.competency.targets[0].customers: expected an integer, got 2.5",
    ),
    (
        TARGET + "new_customers = -4",
        "rules.toml: programs.competency.targets[0].new_customers: must be at least 0, got -4",
    ),
    (
        TARGET + "level = 3\nseats = 1",
        "rules.toml: programs.competency.targets[0].level: expected a string, got 3",
    ),
    (
        ATTAINMENT + "[[programs.competency.targets]]\nname = 't'\narea = 'azure'\nseats = 1",
        'rules.toml: programs.competency.targets[0].area: unknown area "azure"',
    ),
    (
        TARGET
        + "seats = 1\n"
        + "[[programs.competency.targets]]\nname = 'crm'\narea = 'crm'\nseats = 1\n"
        + "[[programs.competency.targets]]\nname = 'cloud_silver'\narea = 'cloud'\nseats = 2",
        'rules.toml: programs.competency.targets[2].name: "cloud_silver" is already used by '
        "targets[0]",
    ),
    # rates
    (
        PAYOUT + "rates = [{ area = 'cloud' }]",
        "rules.toml: programs.incentives.rates[0].rate: missing",
    ),
    (
        PAYOUT + "rates = [{ area = 'cloud', rate = '0.10' }]",
        'rules.toml: programs.incentives.rates[0].rate: expected a number, got "0.10"',
    ),
    (
        PAYOUT + "rates = [{ area = 'cloud', rate = -0.05 }]",
        "rules.toml: programs.incentives.rates[0].rate: must be at least 0, got -0.05",
    ),
    (
        PAYOUT + "rates = [{ area = 'cloud', rate = 0.123456789 }]",
        "rules.toml: programs.incentives.rates[0].rate: at most 8 digits after the point, "
        "got 0.123456789",
    ),
    (
        PAYOUT + "rates = [{ area = 'cloud', rate = 100000000000 }]",
        "rules.toml: programs.incentives.rates[0].rate: must be below 10000, got 100000000000",
    ),
    (
        PAYOUT + "rates = [{ area = 'cloud', rate = 0.1 }, { area = 'azure', rate = 0.1 }]",
        'rules.toml: programs.incentives.rates[1].area: unknown area "azure"',
    ),
    (
        PAYOUT + "rates = [{ area = 'cloud', rate = 0.1 }, { area = 'cloud', rate = 0.2 }]",
        'rules.toml: programs.incentives.rates[1].area: "cloud" is already used by rates[0]',
    ),
    # requires_any
    (
        PAYOUT + "requires_any = ['competency']",
        'rules.toml: programs.incentives.requires_any[0]: expected "program.target", '
        'got "competency"',
    ),
    (
        PAYOUT + "requires_any = [5]",
        'rules.toml: programs.incentives.requires_any[0]: expected "program.target", got 5',
    ),
    (
        PAYOUT + "requires_any = ['competency.cloud_silver']",
        'rules.toml: programs.incentives.requires_any[0]: unknown program "competency"',
    ),
    (
        PAYOUT + "requires_any = ['incentives.cloud_silver']",
        'rules.toml: programs.incentives.requires_any[0]: program "incentives" is not an '
        "attainment program",
    ),
    (
        TARGET
        + "seats = 1\n[programs.incentives]\nkind = 'payout'\n"
        + "requires_any = ['competency.cloud_silver', 'competency.cloud_gold']",
        'rules.toml: programs.incentives.requires_any[1]: program "competency" has no target '
        '"cloud_gold"',
    ),
]


@pytest.mark.parametrize(("text", "message"), CASES)
def test_problem_is_one_line_naming_file_and_key(
    parse: ParseRules, text: str, message: str
) -> None:
    with pytest.raises(RulesError) as raised:
        parse(text)
    assert str(raised.value) == message


def test_rules_errors_are_structural_errors_with_exit_code_2() -> None:
    with pytest.raises(StructuralError) as raised:
        parse_rules("proration = 1", "mine.toml")
    assert raised.value.exit_code == 2
    assert str(raised.value).startswith("mine.toml: proration: ")


def test_file_errors_name_the_file(write_rules: WriteRules) -> None:
    path = write_rules("[areas]\ncloud = []\n", name="operator.toml")
    with pytest.raises(RulesError) as raised:
        load_rules(path)
    # As given: the folder too, since several folders may each hold a rules file.
    assert str(raised.value) == f"{path}: areas.cloud: must not be empty"


def test_missing_file_names_its_path(tmp_path: Path) -> None:
    path = tmp_path / "absent.toml"
    with pytest.raises(RulesError) as raised:
        load_rules(path)
    assert str(raised.value) == f"{path}: cannot read rules file (No such file or directory)"


def test_directory_is_not_a_rules_file(tmp_path: Path) -> None:
    with pytest.raises(RulesError, match=r"cannot read rules file"):
        load_rules(tmp_path)


def test_file_that_is_not_utf8(tmp_path: Path) -> None:
    path = tmp_path / "latin1.toml"
    path.write_bytes("[areas]\nb\xfcro = ['A*']\n".encode("latin-1"))
    with pytest.raises(RulesError) as raised:
        load_rules(path)
    assert str(raised.value) == f"{path}: not UTF-8 text (byte 9)"
