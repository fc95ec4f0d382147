"""What a program's policy in force on a day says (SPEC 7.3): whether one exists, and whether
it counts a type."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from partnercredit.rules import Program, Rules


def counts_type(
    program: Program, rules: Rules, precedence: ir.IntegerValue, day: ir.DateValue
) -> ir.BooleanValue:
    """Whether the policy in force on `day` counts the type of `precedence` (false with no
    policy). Links carry their type's precedence, which is unique and an integer."""
    kinds = rules.association_types
    branches = [
        (
            day >= policy.start,
            precedence.isin(sorted(kinds[name].precedence for name in policy.types))
            if policy.types
            else False,
        )
        for policy in reversed(program.policies)
    ]
    return ibis.cases(*branches, else_=False) if branches else ibis.literal(False)


def has_policy(program: Program, day: ir.DateValue) -> ir.BooleanValue:
    if not program.policies:
        return ibis.literal(False)
    return day >= program.policies[0].start
