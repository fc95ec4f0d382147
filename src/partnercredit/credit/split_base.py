"""The whole number that daily split credit of a line is counted in (SPEC 7.8).

A partner's share of a day is 1 / (D * n_d). Summed exactly over the days of a line, the
shares are whole multiples of 1 / (D * L), where L is the least common multiple of the
partner counts n_d of that line's days; L is one count for most lines and stays small unless
the partners of one line change many times within its month.
"""

from __future__ import annotations

from collections.abc import Iterable

import ibis
import ibis.expr.types as ir

from partnercredit.credit.segment_states import SEGMENT


def with_split_base(
    credited: ir.Table, counts: Iterable[int], base_type: str = "int64"
) -> ir.Table:
    """`credited` (the credited partners of each segment) with `_partners`, the number of
    partners credited in the row's segment, and `_base`, the least common multiple of those
    numbers over the row's line (of `base_type`); `counts` holds every number of partners
    that occurs."""
    credited = credited.mutate(_partners=ibis._.count().over(ibis.window(group_by=SEGMENT)))
    line = ibis.window(group_by="line_no")
    base: ir.NumericValue = ibis.literal(1, base_type)
    # The least common multiple is the product, over primes, of the highest power of each
    # prime that divides one of the counts: a maximum per prime over the line.
    for powers in _prime_powers(counts).values():
        prime_power = ibis.cases(
            *((credited._partners == count, power) for count, power in powers.items()),
            else_=1,
        ).cast(base_type)
        base = base * prime_power.max().over(line)
    return credited.mutate(_base=base)


def _prime_powers(counts: Iterable[int]) -> dict[int, dict[int, int]]:
    """For every prime that divides one of `counts`: the highest power of it that divides
    each count it divides, by count."""
    powers: dict[int, dict[int, int]] = {}
    for count in counts:
        rest, prime = count, 2
        while rest > 1:
            if prime * prime > rest:
                prime = rest
            power = 1
            while rest % prime == 0:
                rest //= prime
                power *= prime
            if power > 1:
                powers.setdefault(prime, {})[count] = power
            prime += 1
    return powers
