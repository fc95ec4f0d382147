"""Where a line's month is cut: the days on which a link starts or stops, or a policy changes.

The cut points are a small table (most lines have none) that the segments are built from.
"""

from __future__ import annotations

from datetime import date

import ibis
import ibis.expr.types as ir


def find_cuts(lines: ir.Table, line_links: ir.Table, policy_starts: list[date]) -> ir.Table:
    """(line_no, point): the days inside a line's month (not its first) where a link starts or
    stops or a policy changes, each once."""
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
    return ibis.union(*inside, distinct=True)
