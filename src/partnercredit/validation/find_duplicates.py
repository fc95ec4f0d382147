"""Exact copies collapse to one row; a key whose rows still differ is rejected (SPEC 5)."""

from __future__ import annotations

import ibis
import ibis.expr.types as ir

from partnercredit.contract import TableSpec
from partnercredit.readers.open_table import ROW_COLUMN
from partnercredit.validation.checks import DUPLICATE, KEY


def find_duplicates(keyed: ir.Table, spec: TableSpec) -> ir.Table:
    """(_row, _dup) for the rows of keys that occur more than once.

    `_dup` is "collapsed" for every exact copy after the first, "duplicate_key" for the first
    row of each content of a key that has several contents, and null for the single content
    of a key that only had exact copies. Only the few repeated keys are looked at closely.
    """
    repeated = (
        keyed.filter(keyed[KEY].notnull())
        .group_by(KEY)
        .aggregate(_copies=ibis._.count())
        .filter(ibis._._copies > 1)
        .select(KEY)
    )
    candidates = keyed.semi_join(repeated, KEY)
    same_content = ibis.window(group_by=list(spec.column_names), order_by=ROW_COLUMN)
    ranked = candidates.mutate(_copy=ibis.row_number().over(same_content))
    contents = ranked.filter(ranked._copy == 0).group_by(KEY).aggregate(_contents=ibis._.count())
    marked = ranked.join(contents, KEY).mutate(
        **{
            DUPLICATE: ibis.cases(
                (ibis._._copy > 0, "collapsed"),
                (ibis._._contents > 1, "duplicate_key"),
                else_=ibis.null("string"),
            )
        }
    )
    return marked.select(ROW_COLUMN, DUPLICATE)
