"""Cut each line's month where anything changes, so that within a segment nothing does.

A segment [seg_start, seg_end) ends where a link starts or stops inside the month or where a
program's policy changes. Most lines have no such cut and are one segment long; only lines
with cuts go through the window that orders their cut points.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir


def cut_segments(lines: ir.Table, line_links: ir.Table, policy_starts: list[date]) -> ir.Table:
    """(line_no, seg_start, seg_end, seg_days, is_last, whole) covering every day of every
    line; `whole` marks the lines that are one segment long."""
    inside = [
        line_links.filter(line_links.seg_from > line_links.month_start).select(
            "line_no", point=line_links.seg_from
        ),
        line_links.filter(line_links.seg_to < line_links.month_end).select(
            "line_no", point=line_links.seg_to
        ),
    ]
    if policy_starts:
        starts = ibis.memtable({"_policy_start": policy_starts}).mutate(
            _policy_start=ibis._._policy_start.cast("date")
        )
        crossing = lines.join(
            starts,
            [
                starts._policy_start > lines.month_start,
                starts._policy_start < lines.month_end,
            ],
        )
        inside.append(crossing.select(line_no=crossing.line_no, point=crossing._policy_start))
    cuts = ibis.union(*inside, distinct=True)
    months = lines.select("line_no", "month_start", "month_end")

    uncut = months.anti_join(cuts, "line_no")
    whole = uncut.select(
        "line_no",
        seg_start=uncut.month_start,
        seg_end=uncut.month_end,
        is_last=ibis.literal(True),
        whole=ibis.literal(True),
    )
    cut_months = months.semi_join(cuts, "line_no")
    points = ibis.union(
        cut_months.select("line_no", point=cut_months.month_start),
        cuts,
    )
    points = points.join(cut_months.select("line_no", "month_end"), "line_no")
    ordered = ibis.window(group_by="line_no", order_by="point")
    following = points.point.lead().over(ordered)
    pieces = points.select(
        "line_no",
        seg_start=points.point,
        seg_end=following.fill_null(points.month_end),
        is_last=following.isnull(),
        whole=ibis.literal(False),
    )
    segments = ibis.union(whole, pieces)
    return segments.mutate(
        seg_days=segments.seg_end.delta(segments.seg_start, unit="day").cast("int64")
    )
