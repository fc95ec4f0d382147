"""What the links of each segment amount to, for every program at once: the facts from which
the reason of an uncredited day follows (SPEC 7.10)."""

from __future__ import annotations

import ibis.expr.types as ir

from partnercredit.credit.policy_in_force import counts_type
from partnercredit.rules import Rules

SEGMENT = ["line_no", "seg_start"]
"""What identifies a segment of a line."""


def counted_column(program: str) -> str:
    return f"counted_{program}"


def segment_states(rules: Rules, segments: ir.Table, resolved: ir.Table) -> ir.Table:
    """(line_no, seg_start, seg_days, is_last, linked, counted_<program>...) for every segment:
    whether any link applies in it, and whether one applies that the program's policy counts.

    One aggregation of the resolved links serves every program."""
    counted = {
        counted_column(name): (
            resolved.applies & counts_type(program, rules, resolved.precedence, resolved.seg_start)
        ).any()
        for name, program in rules.programs.items()
    }
    flags = resolved.group_by(SEGMENT).aggregate(_linked=resolved.applies.any(), **counted)
    joined = segments.left_join(flags, SEGMENT)
    return joined.select(
        *SEGMENT,
        "seg_days",
        "is_last",
        linked=joined._linked.fill_null(False),
        **{name: joined[name].fill_null(False) for name in counted},
    )
