"""Every association source as one table of intervals (SPEC 4 and 7.5).

One row per link: a partner tied by a type to a subscription or a customer (maybe for one
workload) over [valid_from, valid_to). DPOR removals (no partner) and links whose interval
is empty (a DPOR event overtaken on its own day, a non-retroactive link recorded after its end)
are kept, so that explanations can show them; matching ignores them. `source_from` is the
start the source gives; `valid_from` is where the link starts to count (later for a
non-retroactive type recorded late). `specificity` orders scopes from the most specific (0, a
line: only the transacting partner is tied to a line) to the least (4, a customer without
workload). `link_rank` numbers the links in the order of (source_id, source_table), the last
tie-break between exclusive links: later stages compare that integer, not the two texts.
"""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from partnercredit.rules import Rules

LINK_COLUMNS = (
    "source_table",
    "source_id",
    "type",
    "partner_id",
    "scope",
    "scope_id",
    "workload",
    "specificity",
    "source_from",
    "valid_from",
    "valid_to",
    "recorded_at",
)
"""What `explain` reads of every link; the engine's table has `link_rank` too."""
SCOPES = ("line", "subscription", "customer")


def normalise_links(accepted: dict[str, ir.Table], rules: Rules) -> ir.Table:
    """The links of every association source, with non-retroactive types starting when
    recorded. The transacting partner, a line's own link, stays on the line: as one link per
    line it would make this table as long as the revenue (see `match_links`)."""
    links = ibis.union(
        _dpor_links(accepted["dpor_events"]),
        _customer_links(
            accepted["delegated_admin"],
            "delegated_admin",
            "relationship_id",
            "granted_on",
            "revoked_on",
            workload=None,
        ),
        _customer_links(
            accepted["fasttrack"],
            "fasttrack",
            "engagement_id",
            "start_date",
            "end_date",
            workload="workload",
        ),
        _generic_links(accepted["associations"]),
    )
    late_types = sorted(
        name for name, kind in rules.association_types.items() if not kind.retroactive
    )
    if late_types:
        recorded_day = links.recorded_at.date()
        clipped = ibis.greatest(links.source_from, recorded_day)
        links = links.mutate(
            valid_from=ibis.ifelse(links.type.isin(late_types), clipped, links.source_from)
        )
    ranking = ibis.window(order_by=[links.source_id, links.source_table])
    return links.mutate(link_rank=ibis.row_number().over(ranking))


def _link(
    table: ir.Table,
    *,
    source_table: str,
    source_id: ir.StringValue,
    link_type: ir.StringValue,
    partner_id: ir.StringValue,
    scope: str,
    scope_id: ir.StringValue,
    workload: ir.StringValue,
    start: ir.DateValue,
    end: ir.DateValue,
    recorded_at: ir.TimestampValue,
) -> ir.Table:
    base_specificity = SCOPES.index(scope) * 2
    specificity = ibis.ifelse(workload.isnull(), base_specificity, base_specificity - 1)
    return table.select(
        source_table=ibis.literal(source_table),
        source_id=source_id,
        type=link_type,
        partner_id=partner_id,
        scope=ibis.literal(scope),
        scope_id=scope_id,
        workload=workload,
        specificity=specificity.cast("int64"),
        source_from=start,
        valid_from=start,
        valid_to=end,
        recorded_at=recorded_at.fill_null(start.cast("timestamp")),
    )


def _dpor_links(events: ir.Table) -> ir.Table:
    """Each event names the partner of record of its (subscription, workload) key until the
    next event of that key; a removal names nobody."""
    recorded = events.recorded_at.fill_null(events.effective_date.cast("timestamp"))
    ordered = events.mutate(_recorded=recorded)
    key = ibis.window(
        group_by=[ordered.subscription_id, ordered.workload],
        order_by=[ordered.effective_date, ordered._recorded, ordered.event_id],
    )
    chained = ordered.mutate(_next=ordered.effective_date.lead().over(key))
    return _link(
        chained,
        source_table="dpor_events",
        source_id=chained.event_id,
        link_type=ibis.literal("dpor"),
        partner_id=chained.partner_id,
        scope="subscription",
        scope_id=chained.subscription_id,
        workload=chained.workload,
        start=chained.effective_date,
        end=chained._next,
        recorded_at=chained._recorded,
    )


def _customer_links(
    table: ir.Table,
    link_type: str,
    id_column: str,
    start: str,
    end: str,
    *,
    workload: str | None,
) -> ir.Table:
    return _link(
        table,
        source_table=link_type,
        source_id=table[id_column],
        link_type=ibis.literal(link_type),
        partner_id=table.partner_id,
        scope="customer",
        scope_id=table.customer_id,
        workload=table[workload] if workload else ibis.null("string"),
        start=table[start],
        end=table[end],
        recorded_at=table.recorded_at,
    )


def _generic_links(associations: ir.Table) -> ir.Table:
    by_customer = associations.filter(associations.customer_id.notnull())
    by_subscription = associations.filter(associations.subscription_id.notnull())
    return ibis.union(
        *(
            _link(
                rows,
                source_table="associations",
                source_id=rows.association_id,
                link_type=rows.type,
                partner_id=rows.partner_id,
                scope=scope,
                scope_id=rows[f"{scope}_id"],
                workload=rows.workload,
                start=rows.valid_from,
                end=rows.valid_to,
                recorded_at=rows.recorded_at,
            )
            for rows, scope in ((by_subscription, "subscription"), (by_customer, "customer"))
        )
    )
