"""Cut each line's month where anything changes, so that within a segment nothing does.

A segment [seg_start, seg_end) ends where a link starts or stops inside the month or where a
program's policy changes. Most lines have no such cut and are one segment long; only lines
with cuts go through the window that orders their cut points.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir


def cut_segments(lines: ir.Table, cuts: ir.Table) -> ir.Table:
    """(line_no, seg_start, seg_end, seg_days, is_last, whole) covering every day of every
    line, cut at `cuts` (see `find_cuts`); `whole` marks the lines that are one segment long."""
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
