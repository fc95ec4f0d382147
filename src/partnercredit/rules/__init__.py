"""Rules: association types, product areas and programs, read from TOML and checked (SPEC 6)."""

from partnercredit.rules.load import Builtin, as_recorded, load_builtin, load_rules, parse_rules
from partnercredit.rules.models import (
    REQUIREMENTS,
    AssociationType,
    Language,
    Policy,
    PolicySpan,
    Program,
    Rate,
    Rules,
    Target,
    TargetRef,
)

__all__ = [
    "REQUIREMENTS",
    "AssociationType",
    "Builtin",
    "Language",
    "Policy",
    "PolicySpan",
    "Program",
    "Rate",
    "Rules",
    "Target",
    "TargetRef",
    "as_recorded",
    "load_builtin",
    "load_rules",
    "parse_rules",
]
