"""The credit stage as a whole: every program's ledger and unattributed revenue."""

from __future__ import annotations

import math
from dataclasses import dataclass

import ibis
import ibis.expr.types as ir
import pyarrow as pa

from partnercredit.credit.credit_program import (
    credit_program,
    credited_partners,
    excluded_lines,
    partners_per_day,
    price_credits,
    price_unattributed,
)
from partnercredit.credit.cut_segments import cut_segments
from partnercredit.credit.find_cuts import find_cuts
from partnercredit.credit.match_links import match_links
from partnercredit.credit.normalise_links import LINK_COLUMNS, normalise_links
from partnercredit.credit.order_ranges import RANGE_COLUMN, in_ranges, range_bounds
from partnercredit.credit.prepare_lines import CODED, prepare_lines
from partnercredit.credit.resolve_links import resolve_links
from partnercredit.credit.segment_states import segment_states
from partnercredit.credit.split_base import with_split_base
from partnercredit.engine import Backend
from partnercredit.engine.backend import AfterSort
from partnercredit.engine.money import MAX_DIVISOR
from partnercredit.errors import PartnerCreditError
from partnercredit.rules import Program, Rules

_LONGEST_MONTH = 31
_CREDIT_RANGE_KEYS = ("_order_program", "partner_no")


@dataclass(frozen=True)
class CreditResult:
    lines: ir.Table
    links: ir.Table
    partner_numbers: ir.Table
    """(partner_id, partner_no): partner numbers sort like the ids."""
    products: list[str]
    """Every product of the lines."""
    credits: ir.Table
    """The `credits` output as codes, with the `credits_order` columns: `decode_credits`
    makes the output's columns of it; money in integer cents."""
    credits_order: tuple[str, ...]
    """What sorts the credits as their Parquet file is sorted (by program, partner_id,
    period, line_id and association_type): integers that rank the texts in code-point order
    wherever one is at hand, since they sort far faster."""
    decode_credits: AfterSort
    credit_ranges: int
    """In how many ranges of their order the credits may be sorted (see
    `Backend.write_parquet`)."""
    unattributed: ir.Table
    """The `unattributed` output; money in integer cents; with the `unattributed_order`
    columns."""
    unattributed_order: tuple[str, ...]
    """What sorts the unattributed rows as their Parquet file is sorted (by every column): a
    line has at most one row per program and reason, so these three keys give the same order,
    and far fewer keys sort faster; in a batched run the number of the row's range (see
    `unattributed_ranges`) comes first."""
    unattributed_ranges: int
    """In how many ranges of their order the unattributed rows may be sorted."""
    batches: int
    """In how many batches of customers the lines were credited."""
    scratch: tuple[ir.Table, ...]
    """What `credits` and `unattributed` are computed from: `release` it once both are
    written."""
    states: ir.Table | None
    """What only `unattributed` is computed from: `release_states` once it is written, so
    that the engine has that memory for the credits."""

    @property
    def explained_links(self) -> ir.Table:
        """The links as `explain` reads them."""
        return self.links.select(*LINK_COLUMNS)

    def release_states(self, backend: Backend) -> None:
        if self.states is not None:
            backend.drop(self.states)

    def release(self, backend: Backend) -> None:
        for table in self.scratch:
            backend.drop(table)


def compute_credit(
    backend: Backend,
    accepted: dict[str, ir.Table],
    partner_roots: ir.Table,
    rules: Rules,
    *,
    lines_ascend: bool,
) -> CreditResult:
    """Every program's ledger and unattributed revenue; `rules` declare at least one program
    (the run checks that before reading any input). `lines_ascend`: the revenue's line ids
    ascend with its `source_row` (validation knows)."""
    vocabularies = {column: _distinct(backend, accepted["revenue"], column) for column in CODED}
    # Kept as Parquet, not by the engine: the lines are read a few times, column by column,
    # and the memory they would hold is what the sorts of the outputs need.
    lines = backend.stash(
        "lines",
        prepare_lines(
            accepted["revenue"],
            accepted["subscriptions"],
            accepted["customers"],
            accepted["fx_rates"],
            vocabularies,
        ),
    )
    line_count = backend.count(lines)
    links = backend.materialize("links", normalise_links(accepted, rules))
    numbers = backend.materialize("partner_numbers", _partner_numbers(accepted["partners"]))
    roots = backend.materialize("root_numbers", _root_numbers(partner_roots, numbers))
    batches = max(1, -(-line_count // backend.options.lines_per_batch))
    # Integers sort far faster than texts: the line numbers when they order the lines as
    # their ids do.
    line_order = "line_no" if lines_ascend else "line_id"
    unattributed_keys = ("_order_program", line_order)
    credit_bounds: list[tuple[object, ...]] = []
    unattributed_bounds: list[tuple[object, ...]] = []
    if batches == 1:
        # Credited straight into the outputs; the engine keeps the tables they are computed
        # from until they are written (`CreditResult.release`).
        ledger, uncredited, states, scratch = _credit_batch(
            backend, lines, links, numbers, roots, rules
        )
    else:
        ledgers, uncrediteds = [], []
        for batch in range(batches):
            # A customer's lines share their links: batches are made of whole customers.
            part = backend.stash("batch_lines", _customer_batch(lines, batch, batches))
            ledger, uncredited, states, scratch = _credit_batch(
                backend, part, links, numbers, roots, rules
            )
            if batch == 0 and backend.sorts_in_ranges:
                # The first batch's customers are a sample of all: its rows show where to
                # cut each output's order into ranges of about equal rows, which are sorted
                # one at a time (one sort of every row can run out of memory).
                ledger = backend.stash("first_ledger", ledger)
                uncredited = backend.stash("first_uncredited", uncredited)
                credit_bounds = range_bounds(backend, ledger, _CREDIT_RANGE_KEYS, batches)
                unattributed_bounds = range_bounds(backend, uncredited, unattributed_keys, batches)
            # Written to Parquet rather than kept by the engine: the next batch and the sorts
            # of the outputs need the memory.
            ledgers.append(
                backend.stash(
                    "ledger", in_ranges(ledger, _CREDIT_RANGE_KEYS, credit_bounds), RANGE_COLUMN
                )
            )
            uncrediteds.append(
                backend.stash(
                    "uncredited",
                    in_ranges(uncredited, unattributed_keys, unattributed_bounds),
                    RANGE_COLUMN,
                )
            )
            for table in (states, *scratch, part):
                backend.drop(table)
        ledger, uncredited = ibis.union(*ledgers), ibis.union(*uncrediteds)
        states, scratch = None, ()
    in_ranges_first = (RANGE_COLUMN,) if batches > 1 else ()
    credits_order: tuple[str, ...] = (
        *in_ranges_first,
        "_order_program",
        "_order_partner",
        "_order_month",
        line_order,
        "_order_type",
    )
    unattributed_order = (*in_ranges_first, *unattributed_keys, "reason")
    return CreditResult(
        lines,
        links,
        numbers,
        vocabularies["product"],
        _output_columns(ledger, _CODED_CREDIT_COLUMNS, credits_order),
        credits_order,
        _credits_decoder(rules, vocabularies),
        len(credit_bounds) + 1,
        _output_columns(uncredited, _UNATTRIBUTED_COLUMNS, unattributed_order),
        unattributed_order,
        len(unattributed_bounds) + 1,
        batches,
        scratch,
        states,
    )


def _customer_batch(table: ir.Table, batch: int, batches: int) -> ir.Table:
    """The rows of every `batches`-th customer (by `customer_no`), from the `batch`-th on."""
    return table.filter(table.customer_no % batches == batch)


def _credit_batch(
    backend: Backend,
    lines: ir.Table,
    links: ir.Table,
    numbers: ir.Table,
    roots: ir.Table,
    rules: Rules,
) -> tuple[ir.Table, ir.Table, ir.Table, tuple[ir.Table, ...]]:
    """(ledger, uncredited, states, scratch): every credit (_order_program, partner_id,
    _order_type, days, credit_cents, seat_credit_cents and the line's LINE_FACTS) and the
    uncredited days of these lines under every program, and the engine's tables they are
    computed from (`states` only for the uncredited days); every other intermediate table is
    dropped again."""
    line_links = backend.materialize(
        "line_links", match_links(lines, links, _types(rules), numbers)
    )
    policy_starts = sorted(
        {policy.start for program in rules.programs.values() for policy in program.policies}
    )
    # Kept as a table of known (small) size: the segments read the cuts three times, and the
    # engine then builds its hash tables on the cuts rather than on the lines.
    cuts = backend.materialize("cuts", find_cuts(lines, line_links, policy_starts))
    segments = backend.materialize("segments", cut_segments(lines, cuts))
    backend.drop(cuts)
    resolved = backend.materialize("resolved", resolve_links(segments, line_links, roots))
    backend.drop(line_links)
    states = backend.materialize("segment_states", segment_states(rules, segments, resolved))
    backend.drop(segments)
    shares, uncredited, scratch = [], [], []
    for name, program in rules.programs.items():
        excluded = excluded_lines(program, lines)
        if excluded is not None:
            # A table of known size: the engine then builds its hash tables on these lines
            # rather than on the links it checks against them.
            excluded = backend.materialize(f"excluded_{name}", excluded)
            scratch.append(excluded)
        credited = backend.materialize(
            f"credited_{name}", credited_partners(program, rules, resolved, excluded)
        )
        scratch.append(credited)
        result = credit_program(
            program,
            rules,
            states,
            credited,
            excluded,
            _split_counts(backend, program, rules.proration, credited, lines),
        )
        order = sorted(rules.programs).index(name)
        shares.append(result.shares.mutate(_order_program=order))
        uncredited.append(
            result.uncredited.mutate(program=ibis.literal(name), _order_program=order)
        )
    # Each program's credited partners hold all that the ledger needs of the resolved links.
    backend.drop(resolved)
    # Every program's rows at once: the engine builds one hash table of the lines, not one
    # per program.
    ledger = price_credits(rules, ibis.union(*shares), lines)
    return (
        ledger.join(numbers, "partner_no"),
        price_unattributed(rules, ibis.union(*uncredited), lines),
        states,
        tuple(scratch),
    )


_CODED_CREDIT_COLUMNS = (
    "partner_id",
    "line_id",
    "subscription_id",
    "customer_id",
    "period",
    "product_code",
    "workload_code",
    "days",
    "days_in_period",
    "amount_usd",
    "credit_usd",
    "seat_credit",
)
"""The credits as they are sorted: the program, association type, product and workload as
integer codes, which `_credits_decoder` turns into the texts once the rows are in order."""
_UNATTRIBUTED_COLUMNS = (
    "program",
    "line_id",
    "subscription_id",
    "customer_id",
    "period",
    "reason",
    "days",
    "uncredited_usd",
)


def _output_columns(table: ir.Table, columns: tuple[str, ...], order: tuple[str, ...]) -> ir.Table:
    """The output's columns and the keys that sort it (a key may be a column too)."""
    named = {
        "amount_usd": "amount_cents",
        "credit_usd": "credit_cents",
        "seat_credit": "seat_credit_cents",
        "uncredited_usd": "uncredited_cents",
        "_order_partner": "partner_no",
    }
    return table.select(
        **{name: table[named.get(name, name)] for name in dict.fromkeys((*columns, *order))}
    )


def _credits_decoder(rules: Rules, vocabularies: dict[str, list[str]]) -> AfterSort:
    """The coded credits with the `credits` output's columns added."""
    programs, types = sorted(rules.programs), sorted(rules.association_types)
    products, workloads = (vocabularies[column] for column in CODED)

    def decode(rows: ir.Table) -> ir.Table:
        return rows.mutate(
            program=_decoded(programs, rows._order_program),
            product=_decoded(products, rows.product_code),
            workload=_decoded(workloads, rows.workload_code),
            association_type=_decoded(types, rows._order_type),
        )

    return decode


def _decoded(values: list[str], code: ir.IntegerValue) -> ir.StringValue:
    """The value whose index in `values` is `code`, null for none. (Spark indexes arrays by
    32-bit integers only, fails on a null index, and takes an empty array for one of nulls.)"""
    if not values:
        return ibis.null("string")
    value = ibis.literal(values, type="array<string>")[code.cast("int32")]
    return ibis.cases((code.notnull(), value), else_=ibis.null("string"))


def _distinct(backend: Backend, table: ir.Table, column: str) -> list[str]:
    """The column's values other than null, in code-point order."""
    values = table.select(column).distinct()
    return sorted(backend.to_arrow(values.filter(values[column].notnull())).column(0).to_pylist())


def _partner_numbers(partners: ir.Table) -> ir.Table:
    """(partner_id, partner_no): numbers in the order of the ids, so that sorting by number
    sorts by id."""
    ordered = ibis.window(order_by="partner_id")
    return partners.select("partner_id", partner_no=ibis.row_number().over(ordered))


def _root_numbers(partner_roots: ir.Table, numbers: ir.Table) -> ir.Table:
    """(partner_no, root_no) for every accepted partner."""
    roots = numbers.select(_root_id="partner_id", root_no="partner_no")
    joined = partner_roots.join(numbers, "partner_id").join(
        roots, partner_roots.root_partner_id == roots._root_id
    )
    return joined.select("partner_no", "root_no")


def _types(rules: Rules) -> ir.Table:
    return ibis.memtable(
        pa.table(
            {
                "type": pa.array(list(rules.association_types), pa.string()),
                "precedence": pa.array(
                    [kind.precedence for kind in rules.association_types.values()], pa.int64()
                ),
                "exclusive": pa.array(
                    [kind.exclusive for kind in rules.association_types.values()], pa.bool_()
                ),
            }
        )
    )


def _split_counts(
    backend: Backend, program: Program, proration: str, credited: ir.Table, lines: ir.Table
) -> tuple[int, ...]:
    """Every number of partners credited on one day, for daily split credit; checks that
    each line's shares divide exactly."""
    if program.credit != "split" or proration != "daily":
        return ()
    counts = tuple(
        sorted(backend.to_arrow(partners_per_day(credited)).column("partners").to_pylist())
    )
    if math.lcm(*counts) * _LONGEST_MONTH <= MAX_DIVISOR:
        return counts  # no line can have a larger base than all counts together
    # In floating point, which cannot overflow: the check is about being far too large.
    bases = with_split_base(credited, counts, base_type="float64")
    largest = bases.order_by([bases._base.desc(), bases.line_no]).limit(1)
    found = backend.to_arrow(
        largest.join(lines, "line_no").select("line_id", "subscription_id", "_base")
    ).to_pylist()
    if found and found[0]["_base"] * _LONGEST_MONTH > MAX_DIVISOR:
        line = found[0]
        raise PartnerCreditError(
            f"programs.{program.name}: on revenue line {line['line_id']!r} (subscription "
            f"{line['subscription_id']!r}) the number of partners that share a day changes so "
            f"often within its month (their least common multiple is {int(line['_base'])}) "
            f"that partnercredit cannot divide its split credit exactly"
        )
    return counts
