"""Which links touch which revenue line, and on which days of its month (SPEC 7.5).

A line sees the links of its own line id, of its subscription and of its customer, each with
no workload or with the line's workload. Each scope is its own equality join: an OR of join
conditions would defeat every engine's hash join.
"""

from __future__ import annotations

import ibis
import ibis.expr.datatypes as dt
import ibis.expr.types as ir

from partnercredit.contract import TRANSACTING

LINE_LINK_COLUMNS = (
    "line_no",
    "month_start",
    "month_end",
    "link_rank",
    "precedence",
    "exclusive",
    "partner_no",
    "specificity",
    "valid_from",
    "valid_to",
    "recorded_at",
)
_SCOPE_KEYS = {"subscription": "subscription_id", "customer": "customer_id"}


def match_links(
    lines: ir.Table, links: ir.Table, types: ir.Table, partner_numbers: ir.Table
) -> ir.Table:
    """(line, link) pairs with the days of the line's month the link covers, [seg_from, seg_to).

    Links of types the rules do not declare link nobody and are dropped here, as are DPOR
    removals. Partners are referred to by number (`partner_numbers`: partner_id, partner_no).
    """
    declared = (
        links.filter(links.partner_id.notnull())
        .join(types, "type")
        .join(partner_numbers, "partner_id")
        # A row number is an int32 on Spark.
        .mutate(link_rank=links.link_rank.cast("int64"))
    )
    matched = ibis.union(
        _transacting(lines, types, partner_numbers, declared.recorded_at.type()),
        *(_match_scope(lines, declared, scope, key) for scope, key in _SCOPE_KEYS.items()),
    )
    seg_from = ibis.greatest(matched.valid_from, matched.month_start)
    seg_to = ibis.least(matched.valid_to.fill_null(matched.month_end), matched.month_end)
    return matched.mutate(seg_from=seg_from, seg_to=seg_to).filter(lambda t: t.seg_to > t.seg_from)


def _transacting(
    lines: ir.Table, types: ir.Table, partner_numbers: ir.Table, stamp: dt.DataType
) -> ir.Table:
    """A line's only line-scoped link is its transacting partner, read from the line itself
    (when the rules declare the type)."""
    kind = types.filter(types.type == TRANSACTING)
    sold = lines.filter(lines.transacting_partner_id.notnull()).join(
        partner_numbers, lines.transacting_partner_id == partner_numbers.partner_id
    )
    return (
        sold.cross_join(kind)
        .select(
            "line_no",
            "month_start",
            "month_end",
            "precedence",
            "exclusive",
            "partner_no",
            # The only link of specificity 0 on its line: never compared by rank.
            link_rank=ibis.literal(0, "int64"),
            specificity=ibis.literal(0, "int64"),
            valid_from=sold.month_start,
            valid_to=sold.month_end,
            recorded_at=sold.month_start.cast(stamp),
        )
        .select(*LINE_LINK_COLUMNS)
    )


def _match_scope(lines: ir.Table, links: ir.Table, scope: str, key: str) -> ir.Table:
    scoped = links.filter(links.scope == scope).drop("scope")
    line_side = lines.select(
        "line_no", "month_start", "month_end", _key=lines[key], _line_workload=lines.workload
    )
    joined = line_side.join(scoped, line_side._key == scoped.scope_id)
    same_workload = joined.workload.isnull() | (joined.workload == joined._line_workload)
    return joined.filter(same_workload).select(*LINE_LINK_COLUMNS)
