"""What a generation is asked for, checked once, and the calendar it spans."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import pyarrow as pa

from partnercredit.errors import UsageError
from partnercredit.generate.draws import Index

FileFormat = Literal["csv", "parquet"]
FILE_FORMATS: tuple[str, ...] = get_args(FileFormat)
MAX_MONTHS = 1200  # draw indices reserve 16 bits for a month

_PERIOD = re.compile(r"^(\d{4})-(\d{2})$")


@dataclass(frozen=True)
class Parameters:
    subscriptions: int
    months: int
    start: str
    seed: int
    messy: float
    file_format: FileFormat

    def as_json(self) -> dict[str, object]:
        return {
            "subscriptions": self.subscriptions,
            "months": self.months,
            "start": self.start,
            "seed": self.seed,
            "messy": self.messy,
            "format": self.file_format,
        }


MAX_SUBSCRIPTIONS = 100_000_000
"""Ten times the largest benchmark; beyond it the partner population's arrays alone would not
fit in memory."""


def checked(
    *, subscriptions: int, months: int, start: str, seed: int, messy: float, file_format: str
) -> Parameters:
    """The parameters, or a UsageError naming the first bad one."""
    if not 1 <= subscriptions <= MAX_SUBSCRIPTIONS:
        raise UsageError(
            f"--subscriptions must be from 1 to {MAX_SUBSCRIPTIONS:,}, not {subscriptions}"
        )
    if not 1 <= months <= MAX_MONTHS:
        raise UsageError(f"--months must be between 1 and {MAX_MONTHS}, not {months}")
    match = _PERIOD.match(start)
    if match is None or not 1 <= int(match[2]) <= 12 or not 1900 <= int(match[1]) <= 9000:
        raise UsageError(f"--start must be a period YYYY-MM from 1900-01 to 9000-12, not {start!r}")
    if not 0 <= seed < 2**63:
        raise UsageError(f"--seed must be between 0 and 2**63-1, not {seed}")
    if not 0.0 <= messy <= 1.0:
        raise UsageError(f"--messy must be a fraction between 0 and 1, not {messy}")
    if file_format not in FILE_FORMATS:
        raise UsageError(f"--format must be one of {', '.join(FILE_FORMATS)}, not {file_format!r}")
    fmt: FileFormat = "csv" if file_format == "csv" else "parquet"
    return Parameters(subscriptions, months, start, seed, float(messy), fmt)


@dataclass(frozen=True)
class Calendar:
    """The generated periods; month 0 is `start`. Days count from 1970-01-01."""

    start: str
    months: int

    @property
    def first_month(self) -> np.datetime64:
        return np.datetime64(self.start, "M")

    def month_start(self, month: Index) -> Index:
        """First day of each month (relative month numbers, negative before `start`)."""
        return (self.first_month + month).astype("datetime64[D]").astype(np.int64)

    def month_of(self, day: Index) -> Index:
        months = day.astype("datetime64[D]").astype("datetime64[M]") - self.first_month
        return months.astype(np.int64)

    @property
    def start_day(self) -> int:
        return int(self.month_start(np.zeros(1, np.int64))[0])

    @property
    def end_day(self) -> int:
        """The day after the last generated period."""
        return int(self.month_start(np.array([self.months], np.int64))[0])

    def days_in(self, month: Index) -> Index:
        return self.month_start(month + 1) - self.month_start(month)

    def periods(self, month: Index) -> pa.Array:
        """YYYY-MM of each month."""
        return pa.array(np.datetime_as_string(self.first_month + month, unit="M"), pa.string())
