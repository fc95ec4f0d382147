"""Defaults, values as written, and the helpers later stages use."""

from __future__ import annotations

import hashlib
from collections.abc import Callable
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from pydantic import ValidationError

from partnercredit.errors import RulesError
from partnercredit.rules import (
    PolicySpan,
    Rules,
    TargetRef,
    as_recorded,
    load_builtin,
    load_rules,
    parse_rules,
)

from .conftest import ParseRules


def test_omitted_keys_take_their_defaults(parse: ParseRules) -> None:
    rules = parse(
        """
        [association_types.dpor]
        precedence = 1
        [programs.competency]
        kind = "attainment"
        [programs.incentives]
        kind = "payout"
        """
    )
    assert (rules.fiscal_year_start_month, rules.proration, rules.areas) == (7, "daily", {})
    dpor = rules.association_types["dpor"]
    assert (dpor.exclusive, dpor.retroactive, dpor.label) == (
        False,
        True,
        {"en": "dpor", "de": "dpor"},
    )
    for program in rules.programs.values():
        assert program.credit == "full"
        assert program.window_months == 12
        assert program.rollup == "partner"
        assert program.exclude_categories == ()
        assert program.policies == ()
        assert program.targets == ()
        assert program.rates == ()
        assert program.requires_any == ()


def test_empty_file_is_rules_without_types_areas_or_programs(parse: ParseRules) -> None:
    rules = parse("")
    assert (rules.association_types, rules.areas, rules.programs) == ({}, {}, {})


@pytest.mark.parametrize(
    ("label", "expected"),
    [
        ("", {"en": "pal", "de": "pal"}),
        ("label = {}", {"en": "pal", "de": "pal"}),
        ("label = { en = 'Admin link' }", {"en": "Admin link", "de": "Admin link"}),
        ("label = { de = 'Admin-Link' }", {"en": "Admin-Link", "de": "Admin-Link"}),
        (
            "label = { en = 'Admin link', de = 'Admin-Link' }",
            {"en": "Admin link", "de": "Admin-Link"},
        ),
    ],
)
def test_missing_label_languages_fall_back(
    parse: ParseRules, label: str, expected: dict[str, str]
) -> None:
    rules = parse(f"[association_types.pal]\nprecedence = 5\n{label}\n")
    assert rules.association_types["pal"].label == expected


def test_types_and_programs_keep_file_order(parse: ParseRules) -> None:
    rules = parse(
        """
        [association_types.zeta]
        precedence = 1
        [association_types.alpha]
        precedence = 0
        [programs.b]
        kind = "payout"
        [programs.a]
        kind = "attainment"
        """
    )
    assert rules.declared_types == ("zeta", "alpha")
    assert [program.name for program in rules.programs.values()] == ["b", "a"]


@pytest.mark.parametrize(
    ("written", "value", "text"),
    [
        ("0.10", Decimal("0.10"), "0.10"),
        ("0.050", Decimal("0.050"), "0.050"),
        ("1", Decimal(1), "1"),
        ("0", Decimal(0), "0"),
        ("1.0", Decimal("1.0"), "1.0"),
        ("1e-1", Decimal("0.1"), "0.1"),
        ("0.1_25", Decimal("0.125"), "0.125"),
    ],
)
def test_rates_keep_the_digits_written(
    parse: ParseRules, written: str, value: Decimal, text: str
) -> None:
    rules = parse(
        f"""
        [areas]
        cloud = ["AZURE*"]
        [programs.incentives]
        kind = "payout"
        rates = [{{ area = "cloud", rate = {written} }}]
        """
    )
    (rate,) = rules.programs["incentives"].rates
    assert rate.rate == value
    assert rate.rate_text == text


def test_rules_keep_source_name_text_and_its_hash(tmp_path: Path) -> None:
    text = '# prices are illustrative\r\nproration = "month_end"\r\n'
    path = tmp_path / "rules.toml"
    path.write_bytes(text.encode("utf-8"))
    rules = load_rules(path)
    assert (rules.source_name, rules.text, rules.proration) == ("rules.toml", text, "month_end")
    assert rules.sha256 == hashlib.sha256(text.encode("utf-8")).hexdigest()


def test_byte_order_mark_is_allowed_and_the_hash_is_the_files(tmp_path: Path) -> None:
    """An auditor checks the run's rules with `sha256sum` of the file, BOM and CRLF and all."""
    path = tmp_path / "rules.toml"
    path.write_bytes(b"\xef\xbb\xbfproration = 'any_day'\r\n")
    rules = load_rules(path)
    assert (rules.text, rules.proration) == ("\ufeffproration = 'any_day'\r\n", "any_day")
    assert rules.sha256 == hashlib.sha256(path.read_bytes()).hexdigest()
    assert parse_rules(rules.text, "again").proration == "any_day"  # as a run's reader does


@pytest.mark.parametrize(
    ("day", "start"),
    [
        (date(1999, 12, 31), None),
        (date(2000, 1, 1), date(2000, 1, 1)),
        (date(2016, 5, 31), date(2000, 1, 1)),
        (date(2016, 6, 1), date(2016, 6, 1)),
        (date(2016, 6, 30), date(2016, 6, 1)),
        (date(2016, 7, 1), date(2016, 7, 1)),
        (date(2099, 12, 31), date(2016, 7, 1)),
    ],
)
def test_policy_on_is_the_latest_policy_started(day: date, start: date | None) -> None:
    policy = load_builtin("example").programs["competency"].policy_on(day)
    assert (policy and policy.start) == start


def test_program_without_policies_has_none_in_force(parse: ParseRules) -> None:
    program = parse("[programs.p]\nkind = 'payout'").programs["p"]
    assert program.policy_on(date(2016, 7, 1)) is None
    assert program.policy_spans() == ()


def test_policy_spans_run_until_the_next_policy_starts() -> None:
    spans = load_builtin("example").programs["competency"].policy_spans()
    assert spans == (
        PolicySpan(date(2000, 1, 1), date(2016, 6, 1), ("dpor",)),
        PolicySpan(date(2016, 6, 1), date(2016, 7, 1), ("dpor", "transacting", "delegated_admin")),
        PolicySpan(date(2016, 7, 1), None, ("dpor", "transacting", "delegated_admin", "fasttrack")),
    )
    assert [span.last_day for span in spans] == [date(2016, 5, 31), date(2016, 6, 30), None]


@given(
    gaps=st.lists(st.integers(min_value=1, max_value=400), min_size=1, max_size=6),
    day=st.dates(min_value=date(1999, 1, 1), max_value=date(2010, 12, 31)),
)
def test_policy_on_agrees_with_the_span_holding_the_day(gaps: list[int], day: date) -> None:
    starts = [date(2000, 1, 1) + timedelta(days=sum(gaps[:index])) for index in range(len(gaps))]
    policies = ", ".join(f'{{ from = {start}, types = ["dpor"] }}' for start in starts)
    text = f"""
[association_types.dpor]
precedence = 1
[programs.p]
kind = "payout"
policies = [{policies}]
"""
    program = parse_rules(text, "rules.toml").programs["p"]
    holding = [
        span.start
        for span in program.policy_spans()
        if span.start <= day and (span.end is None or day < span.end)
    ]
    policy = program.policy_on(day)
    assert holding == ([policy.start] if policy else [])


@pytest.mark.parametrize(
    ("product", "areas"),
    [
        ("O365-E3", ("cloud_productivity", "smb_cloud")),
        ("EMS", ("cloud_productivity", "smb_cloud")),
        ("INTUNE-A", ("cloud_productivity",)),
        ("CRM Online", ("cloud_crm", "smb_cloud")),
        ("DYNAMICS-365", ("cloud_crm",)),
        ("AZURE", ("cloud_platform",)),
        ("o365-E3", ()),
        ("Azure", ()),
        ("MS-AZURE", ()),
        ("", ()),
    ],
)
def test_areas_of_default_products_overlap_and_are_case_sensitive(
    product: str, areas: tuple[str, ...]
) -> None:
    assert load_rules().areas_of(product) == areas


def test_areas_of_uses_shell_patterns(parse: ParseRules) -> None:
    rules = parse(
        """
        [areas]
        suites = ["E[35]-*"]
        single = ["E?"]
        literal = ["[[]beta]*"]
        """
    )
    assert rules.areas_of("E3-Office") == ("suites",)
    assert rules.areas_of("E4-Office") == ()
    assert rules.areas_of("E5") == ("single",)
    assert rules.areas_of("[beta] CRM") == ("literal",)


def test_rate_for_is_the_first_rate_whose_area_holds_the_product(parse: ParseRules) -> None:
    rules = parse(
        """
        [areas]
        crm = ["CRM*"]
        smb = ["O365*", "CRM*"]
        [programs.incentives]
        kind = "payout"
        rates = [{ area = "smb", rate = 0.02 }, { area = "crm", rate = 0.10 }]
        """
    )
    incentives = rules.programs["incentives"]
    # "CRM Online" lies in both areas; the order of `rates` decides, not the order of `areas`.
    rates = [rules.rate_for(incentives, product) for product in ("CRM Online", "O365-E3", "AZURE")]
    assert [rate and rate.rate_text for rate in rates] == ["0.02", "0.02", None]


def test_target_and_target_ref() -> None:
    competency = load_rules().programs["competency"]
    assert competency.target("smb_cloud_gold").requirements == {
        "seats": Decimal(250),
        "new_customers": 25,
    }
    with pytest.raises(KeyError, match="has no target"):
        competency.target("smb_cloud_platinum")
    ref = TargetRef(program="competency", target="cloud_platform_silver")
    assert str(ref) == "competency.cloud_platform_silver"


def test_requires_any_keeps_rules_order(parse: ParseRules) -> None:
    rules = parse(
        """
        [areas]
        cloud = ["AZURE*"]
        [programs.competency]
        kind = "attainment"
        targets = [
          { name = "gold", area = "cloud", revenue_usd = 100 },
          { name = "silver", area = "cloud", revenue_usd = 10 },
        ]
        [programs.incentives]
        kind = "payout"
        requires_any = ["competency.silver", "competency.gold"]
        """
    )
    required = rules.programs["incentives"].requires_any
    assert [str(ref) for ref in required] == ["competency.silver", "competency.gold"]
    assert [rules.programs[ref.program].target(ref.target).name for ref in required] == [
        "silver",
        "gold",
    ]


def test_rules_are_frozen() -> None:
    rules = load_rules()
    with pytest.raises(ValidationError):
        rules.proration = "any_day"  # type: ignore[misc]


def test_rules_read_from_text_are_as_recorded() -> None:
    rules = parse_rules(load_rules().text)
    assert rules.source_name == "rules"
    assert as_recorded(rules) is rules


@pytest.mark.parametrize(
    ("changed", "problem"),
    [
        (
            lambda rules: rules.model_copy(update={"proration": "month_end"}),
            "default: the Rules object differs from its own text",
        ),
        (
            lambda rules: Rules(source_name="mine", text="", areas=rules.areas),
            "mine: the Rules object differs from its own text",
        ),
        (
            lambda rules: rules.model_copy(update={"text": "proration = 1"}),
            "default: proration: expected .* \\(the text of the Rules object given\\)",
        ),
    ],
    ids=["a_field_changed", "built_without_its_text", "a_text_that_is_not_rules"],
)
def test_rules_that_are_not_what_their_text_says_are_refused(
    changed: Callable[[Rules], Rules], problem: str
) -> None:
    """A run records the rules' text; explain and verify read the rules from it again."""
    with pytest.raises(RulesError, match=problem):
        as_recorded(changed(load_rules()))


def test_patterns_with_closed_classes_are_accepted(parse: ParseRules) -> None:
    """A first `]` (after an optional `!`) belongs to its class, as in shell matching."""
    patterns = ("[]A]*", "[!AB]*", "O365-[EF][135]", "CRM*")
    rules = parse(f"[areas]\nall = {list(patterns)!r}".replace("'", '"'))
    assert rules.areas["all"] == patterns
