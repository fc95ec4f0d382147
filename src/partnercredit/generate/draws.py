"""Counter-based random draws: every value is a pure function of (seed, stream, index).

Nothing depends on how rows are grouped into chunks, so any chunk size gives the same data.
"""

from __future__ import annotations

import zlib
from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
from numpy.typing import NDArray

Index = NDArray[np.int64]

_GOLDEN = np.uint64(0x9E3779B97F4A7C15)
_MIX_1 = np.uint64(0xBF58476D1CE4E5B9)
_MIX_2 = np.uint64(0x94D049BB133111EB)
_UNIT = 2.0**-53


def _mix(x: NDArray[np.uint64]) -> NDArray[np.uint64]:
    """The splitmix64 finaliser: a bijection on 64-bit words that scatters every input bit."""
    x = (x ^ (x >> np.uint64(30))) * _MIX_1
    x = (x ^ (x >> np.uint64(27))) * _MIX_2
    return x ^ (x >> np.uint64(31))


@dataclass(frozen=True)
class Stream:
    """One named source of randomness; draws for different indices are independent."""

    key: np.uint64

    def bits(self, index: Index) -> NDArray[np.uint64]:
        return _mix(index.astype(np.uint64) * _GOLDEN + self.key)

    def uniform(self, index: Index) -> NDArray[np.float64]:
        """Uniform in the open interval (0, 1)."""
        return ((self.bits(index) >> np.uint64(11)).astype(np.float64) + 0.5) * _UNIT

    def normal(self, index: Index) -> NDArray[np.float64]:
        bits = self.bits(index)
        u1 = ((bits >> np.uint64(11)).astype(np.float64) + 0.5) * _UNIT
        u2 = ((_mix(bits) >> np.uint64(11)).astype(np.float64) + 0.5) * _UNIT
        result: NDArray[np.float64] = np.sqrt(-2.0 * np.log(u1)) * np.cos(2.0 * np.pi * u2)
        return result

    def chance(self, index: Index, probability: float) -> NDArray[np.bool_]:
        return self.uniform(index) < probability

    def integers(self, index: Index, low: int, high: int) -> Index:
        """Uniform integers in [low, high)."""
        return low + (self.bits(index) % np.uint64(high - low)).astype(np.int64)

    def spread(self, index: Index, size: Index | int) -> Index:
        """Uniform integers in [0, size) for a size per element (size >= 1)."""
        return np.minimum((self.uniform(index) * size).astype(np.int64), size - 1)

    def choice(self, index: Index, cdf: NDArray[np.float64]) -> Index:
        """Indices into a categorical distribution given by its cumulative weights."""
        return categorical(self.uniform(index), cdf)


@dataclass(frozen=True)
class Draws:
    """Named streams under one seed."""

    seed: int

    def __call__(self, name: str) -> Stream:
        salt = np.uint64(zlib.crc32(name.encode()))
        seed = np.array([self.seed], dtype=np.uint64)
        return Stream(_mix(_mix(seed) ^ salt)[0])


def categorical(uniform: NDArray[np.float64], cdf: NDArray[np.float64]) -> Index:
    """Map uniforms in (0, 1) to categories with the given cumulative weights."""
    picked: Index = np.searchsorted(cdf, uniform * cdf[-1], side="right").astype(np.int64)
    return np.minimum(picked, len(cdf) - 1)


def cdf(weights: NDArray[np.float64] | Sequence[float]) -> NDArray[np.float64]:
    return np.cumsum(np.asarray(weights, dtype=np.float64))


def zipf_weights(count: int, exponent: float) -> NDArray[np.float64]:
    """Weights of ranks 0..count-1: rank 0 is the giant, the tail is long."""
    result: NDArray[np.float64] = (np.arange(count, dtype=np.float64) + 1.0) ** -exponent
    return result


def combine(major: Index, minor: Index | int) -> Index:
    """One draw index for a pair such as (subscription, month); minor must be < 2**16."""
    return (major << 16) | minor
