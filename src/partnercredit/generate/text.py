"""Vectorised text rendering: numbers, ids, dates and timestamps become Arrow string arrays."""

from __future__ import annotations

import math
from collections import Counter

import numpy as np
import pyarrow as pa
import pyarrow.compute as pc
from numpy.typing import NDArray

Ints = NDArray[np.int64]

_NULL_TEXT = pa.scalar(None, pa.string())


def integers(values: Ints) -> pa.Array:
    return pc.cast(pa.array(values, pa.int64()), pa.string())


def ids(prefix: str, numbers: Ints, width: int) -> pa.Array:
    """`prefix` followed by the number, zero-padded to at least `width` digits."""
    return join(prefix, pc.utf8_lpad(integers(numbers), width, "0"), separator="")


def fixed(scaled: Ints, decimals: int) -> pa.Array:
    """Decimal text of scaled / 10**decimals, e.g. (-1234, 2) -> "-12.34"."""
    unit = 10**decimals
    magnitude = np.abs(scaled)
    fraction = pc.utf8_lpad(integers(magnitude % unit), decimals, "0")
    digits = join(integers(magnitude // unit), fraction, separator=".")
    return pc.if_else(pa.array(scaled < 0), join("-", digits, separator=""), digits)


def dates(days: Ints) -> pa.Array:
    """ISO dates of days since 1970-01-01."""
    return pc.cast(pa.array(days.astype("datetime64[D]")), pa.string())


def timestamps(seconds: Ints) -> pa.Array:
    """ISO 8601 UTC timestamps of seconds since the epoch, e.g. 2016-03-01T09:30:00Z."""
    return pc.strftime(pa.array(seconds.astype("datetime64[s]")), format="%Y-%m-%dT%H:%M:%SZ")


def pick(labels: pa.Array, index: Ints) -> pa.Array:
    """labels[index], null where index is negative."""
    return pc.take(labels, pa.array(index, mask=index < 0))


def null_where(values: pa.Array, mask: NDArray[np.bool_]) -> pa.Array:
    return pc.if_else(pa.array(mask), _NULL_TEXT, values)


def join(*parts: pa.Array | str, separator: str = " ") -> pa.Array:
    return pc.binary_join_element_wise(*parts, separator)


def labels(values: tuple[str | None, ...] | list[str | None]) -> pa.Array:
    return pa.array(values, pa.string())


def names(index: Ints, words: tuple[str, ...], trades: tuple[str, ...]) -> pa.Array:
    """A distinct "word trade" name per index: every pair once (in a scrambled order), then
    every pair again with a number ("Contoso Data 2"), and so on."""
    pairs = len(words) * len(trades)
    # A step coprime with the number of pairs visits every pair once per round.
    step = next(step for step in range(pairs // 3 + 1, 2 * pairs + 2) if math.gcd(step, pairs) == 1)
    pair = (index * step) % pairs
    name = join(
        pick(labels(list(words)), pair % len(words)), pick(labels(list(trades)), pair // len(words))
    )
    round_number = index // pairs + 1
    return pc.if_else(pa.array(round_number > 1), join(name, integers(round_number)), name)


def distinct(texts: pa.Array) -> pa.Array:
    """The texts, each repetition numbered: "A", "A", "B" -> "A", "A 2", "B"."""
    seen: Counter[str] = Counter()
    result = []
    for value in texts.to_pylist():
        seen[value] += 1
        result.append(value if seen[value] == 1 else f"{value} {seen[value]}")
    return pa.array(result, pa.string())
