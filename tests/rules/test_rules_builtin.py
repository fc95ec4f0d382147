"""The shipped rules: SPEC 6's example, and the built-in default rules it describes."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from importlib import resources

from partnercredit.rules import Rules, load_builtin, load_rules

EXAMPLE_POLICIES = [
    (date(2000, 1, 1), ("dpor",)),
    (date(2016, 6, 1), ("dpor", "transacting", "delegated_admin")),
    (date(2016, 7, 1), ("dpor", "transacting", "delegated_admin", "fasttrack")),
]
EXCLUDED = ("trial", "internal", "benefit")


def _types(rules: Rules) -> list[tuple[str, int, bool, bool]]:
    return [
        (kind.name, kind.precedence, kind.exclusive, kind.retroactive)
        for kind in rules.association_types.values()
    ]


def _policies(rules: Rules, program: str) -> list[tuple[date, tuple[str, ...]]]:
    return [(policy.start, policy.types) for policy in rules.programs[program].policies]


def _targets(rules: Rules) -> list[tuple[str, str, str | None, dict[str, Decimal | int]]]:
    return [
        (target.name, target.area, target.level, target.requirements)
        for target in rules.programs["competency"].targets
    ]


def _rates(rules: Rules) -> list[tuple[str, Decimal, str]]:
    return [(rate.area, rate.rate, rate.rate_text) for rate in rules.programs["incentives"].rates]


def test_example_is_the_listing_of_spec_section_6() -> None:
    rules = load_builtin("example")
    assert rules.source_name == "example"
    assert (rules.fiscal_year_start_month, rules.proration) == (7, "daily")
    assert _types(rules) == [
        ("dpor", 1, True, True),
        ("transacting", 2, False, True),
        ("delegated_admin", 3, False, True),
        ("fasttrack", 4, False, True),
    ]
    assert rules.association_types["dpor"].label == {
        "en": "Digital partner of record",
        "de": "Digital Partner of Record",
    }
    assert rules.association_types["fasttrack"].label == {"en": "fasttrack", "de": "fasttrack"}
    assert rules.areas == {"cloud_platform": ("AZURE*",), "cloud_productivity": ("O365*", "EMS*")}
    assert list(rules.programs) == ["competency", "incentives"]
    competency = rules.programs["competency"]
    assert (competency.kind, competency.credit, competency.window_months) == (
        "attainment",
        "full",
        12,
    )
    assert (competency.rollup, competency.exclude_categories) == ("partner", EXCLUDED)
    assert _policies(rules, "competency") == EXAMPLE_POLICIES
    assert _targets(rules) == [
        ("cloud_platform_silver", "cloud_platform", "silver", {"revenue_usd": Decimal(15000)}),
        (
            "smb_cloud_silver",
            "cloud_productivity",
            "silver",
            {"seats": Decimal(40), "new_customers": 4},
        ),
    ]
    incentives = rules.programs["incentives"]
    assert (incentives.kind, incentives.credit, incentives.exclude_categories) == (
        "payout",
        "full",
        EXCLUDED,
    )
    assert _policies(rules, "incentives") == [(date(2000, 1, 1), ("dpor",))]
    assert _rates(rules) == [
        ("cloud_productivity", Decimal("0.10"), "0.10"),
        ("cloud_platform", Decimal("0.05"), "0.05"),
    ]
    assert incentives.requires_any == ()


def test_default_is_the_example_extended_as_spec_section_6_describes() -> None:
    rules = load_rules()
    example = load_builtin("example")
    assert rules.source_name == "default"
    assert (rules.fiscal_year_start_month, rules.proration) == (7, "daily")
    assert _types(rules) == [*_types(example), ("pal", 5, False, True)]
    for program in ("competency", "incentives"):
        assert _policies(rules, program) == _policies(example, program)
        assert all("pal" not in policy.types for policy in rules.programs[program].policies)
    assert rules.areas == {
        "cloud_platform": ("AZURE*",),
        "cloud_productivity": ("O365*", "EMS*", "INTUNE*"),
        "cloud_crm": ("CRM*", "DYNAMICS*"),
        "smb_cloud": ("O365*", "EMS*", "CRM*"),
    }
    competency = rules.programs["competency"]
    assert competency.model_dump(exclude={"policies", "targets"}) == example.programs[
        "competency"
    ].model_dump(exclude={"policies", "targets"})
    assert _targets(rules) == [
        ("cloud_platform_silver", "cloud_platform", "silver", {"revenue_usd": Decimal(15000)}),
        ("cloud_platform_gold", "cloud_platform", "gold", {"revenue_usd": Decimal(100000)}),
        ("cloud_productivity_silver", "cloud_productivity", "silver", {"seats": Decimal(2000)}),
        ("cloud_productivity_gold", "cloud_productivity", "gold", {"seats": Decimal(4000)}),
        ("smb_cloud_silver", "smb_cloud", "silver", {"seats": Decimal(40), "new_customers": 4}),
        ("smb_cloud_gold", "smb_cloud", "gold", {"seats": Decimal(250), "new_customers": 25}),
        ("cloud_crm_silver", "cloud_crm", "silver", {"revenue_usd": Decimal(10000)}),
        ("cloud_crm_gold", "cloud_crm", "gold", {"revenue_usd": Decimal(50000)}),
    ]
    assert all(target.name == f"{target.area}_{target.level}" for target in competency.targets)
    incentives = rules.programs["incentives"]
    assert incentives.model_dump(exclude={"rates"}) == example.programs["incentives"].model_dump(
        exclude={"rates"}
    )
    assert _rates(rules) == [
        ("cloud_productivity", Decimal("0.10"), "0.10"),
        ("cloud_crm", Decimal("0.10"), "0.10"),
        ("cloud_platform", Decimal("0.05"), "0.05"),
    ]


def test_default_labels_every_type_in_english_and_german() -> None:
    for kind in load_rules().association_types.values():
        assert kind.label["en"] != kind.name
        assert kind.label["de"] != kind.name


def test_default_marks_its_illustrative_numbers() -> None:
    text = load_rules().text
    assert text.count("illustrative") == 2


def test_builtin_rules_keep_their_text_and_its_hash() -> None:
    text = resources.files("partnercredit.rules").joinpath("default.toml").read_text("utf-8")
    rules = load_rules()
    assert rules.text == text
    assert rules.sha256 == load_builtin("default").sha256
    assert len(rules.sha256) == 64


def test_worked_example_product_earns_the_productivity_rate_under_default_rules() -> None:
    rules = load_rules()
    assert rules.areas_of("O365-E3") == ("cloud_productivity", "smb_cloud")
    rate = rules.rate_for(rules.programs["incentives"], "O365-E3")
    assert rate is not None
    assert (rate.area, rate.rate_text) == ("cloud_productivity", "0.10")
