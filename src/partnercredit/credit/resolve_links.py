"""The links in force in each segment of a line, with exclusive types resolved (SPEC 7.6)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

RESOLVED_COLUMNS = (
    "line_no",
    "seg_start",
    "seg_days",
    "is_last",
    "precedence",
    "partner_no",
    "root_no",
    "applies",
)
_GROUP = ("line_no", "seg_start", "precedence")


def resolve_links(segments: ir.Table, line_links: ir.Table, roots: ir.Table) -> ir.Table:
    """(segment, link) for every link covering the whole segment, `applies` false for the
    links an exclusive type's winner shadows, and each partner's top parent as `root_no`
    (`roots`: partner_no, root_no).

    The winner of an exclusive type in a segment is the most specific link, then the latest
    start, then the latest recorded_at, then the greatest (source id, source table) as text
    (the greatest `link_rank`). Only the few groups with more than one candidate are ranked.
    """
    # Each kind on its own, so that the engine never keeps every link of every segment.
    exclusive = _links_per_segment(segments, line_links.filter(line_links.exclusive))
    others = _links_per_segment(segments, line_links.filter(~line_links.exclusive))
    crowded = (
        exclusive.group_by(_GROUP)
        .aggregate(_candidates=ibis._.count())
        .filter(ibis._._candidates > 1)
        .select(*_GROUP, _crowded=ibis.literal(True))
    )
    # One left join with the few crowded groups marks every exclusive link at once.
    joined = exclusive.left_join(crowded, list(_GROUP))
    marked = joined.select(*exclusive.columns, _crowded=joined._crowded.fill_null(False))
    contested = marked.filter(marked._crowded).drop("_crowded")
    contest = ibis.window(
        group_by=[contested[name] for name in _GROUP],
        order_by=[
            contested.specificity,
            contested.valid_from.desc(),
            contested.recorded_at.desc(),
            contested.link_rank.desc(),
        ],
    )
    ranked = ibis.union(
        others.mutate(applies=ibis.literal(True)),
        marked.filter(~marked._crowded).drop("_crowded").mutate(applies=ibis.literal(True)),
        contested.mutate(applies=ibis.row_number().over(contest) == 0),
    )
    return ranked.join(roots, "partner_no").select(*RESOLVED_COLUMNS)


def _links_per_segment(segments: ir.Table, line_links: ir.Table) -> ir.Table:
    """Lines that are one segment long take their links as they are; only the lines cut
    inside their month need the range join."""
    pieces = segments.filter(~segments.whole).drop("whole")
    cut_lines = pieces.select("line_no").distinct()
    uncut = line_links.anti_join(cut_lines, "line_no")
    whole = uncut.mutate(
        seg_start=uncut.month_start,
        seg_days=uncut.month_end.delta(uncut.month_start, unit="day").cast("int64"),
        is_last=ibis.literal(True),
    )
    cut = line_links.semi_join(cut_lines, "line_no")
    inside = pieces.join(
        cut,
        ["line_no", cut.seg_from <= pieces.seg_start, cut.seg_to >= pieces.seg_end],
    )
    columns = (
        "line_no",
        "seg_start",
        "seg_days",
        "is_last",
        "precedence",
        "exclusive",
        "partner_no",
        "specificity",
        "valid_from",
        "recorded_at",
        "link_rank",
    )
    return ibis.union(whole.select(*columns), inside.select(*columns))
