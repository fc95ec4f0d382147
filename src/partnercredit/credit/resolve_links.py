"""The links in force in each segment of a line, with exclusive types resolved (SPEC 7.6)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def resolve_links(segments: ir.Table, line_links: ir.Table, partner_roots: ir.Table) -> ir.Table:
    """(segment, link) for every link covering the whole segment, `applies` false for the
    links an exclusive type's winner shadows, and each partner's top parent as `root_id`.

    The winner of an exclusive type in a segment is the most specific link, then the latest
    start, then the latest recorded_at, then the greatest id as text.
    """
    within = segments.join(
        line_links.drop("month_start", "month_end"),
        [
            "line_id",
            line_links.seg_from <= segments.seg_start,
            line_links.seg_to >= segments.seg_end,
        ],
    ).drop("seg_from", "seg_to")
    contest = ibis.window(
        group_by=[within.line_id, within.seg_start, within.type],
        order_by=[
            within.specificity,
            within.valid_from.desc(),
            within.recorded_at.desc(),
            within.source_id.desc(),
            within.source_table.desc(),
        ],
    )
    exclusive = within.filter(within.exclusive).mutate(_rank=ibis.row_number().over(contest))
    ranked = ibis.union(
        within.filter(~within.exclusive).mutate(applies=ibis.literal(True)),
        exclusive.mutate(applies=exclusive._rank == 0).drop("_rank"),
    )
    roots = partner_roots.select(_partner="partner_id", root_id="root_partner_id")
    return ranked.join(roots, ranked.partner_id == roots._partner).drop("_partner")
