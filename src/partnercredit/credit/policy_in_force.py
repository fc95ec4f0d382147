"""What a program's policy in force on a day says (SPEC 7.3): whether one exists, and whether
it counts a type."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from partnercredit.rules import Program


def counts_type(program: Program, link_type: ir.StringValue, day: ir.DateValue) -> ir.BooleanValue:
    """Whether the policy in force on `day` counts `link_type` (false with no policy)."""
    branches = [
        (day >= policy.start, link_type.isin(list(policy.types)) if policy.types else False)
        for policy in reversed(program.policies)
    ]
    return ibis.cases(*branches, else_=False) if branches else ibis.literal(False)


def has_policy(program: Program, day: ir.DateValue) -> ir.BooleanValue:
    if not program.policies:
        return ibis.literal(False)
    return day >= program.policies[0].start
