"""What a generation wrote, and what validating it must give: generate.json."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path

from partnercredit.contract import REJECTION_REASONS
from partnercredit.generate.parameters import Parameters

REPORT_FILE = "generate.json"
SCHEMA_VERSION = 1
GENERATOR_VERSION = 2
"""Raised whenever the same parameters give other data: a dataset generated before is then
generated again by the demo and the benchmarks instead of being reused."""


@dataclass(frozen=True)
class InjectedRows:
    """The bad rows of one kind in one table."""

    kind: str
    reason: str
    column: str | None
    rows: int
    rejected: int
    collapsed: int


@dataclass(frozen=True)
class TableReport:
    file: str
    rows: int  # data rows in the file, good and bad
    injected: tuple[InjectedRows, ...]

    @property
    def injected_rows(self) -> int:
        return sum(entry.rows for entry in self.injected)

    @property
    def rejected(self) -> int:
        return sum(entry.rejected for entry in self.injected)

    @property
    def collapsed(self) -> int:
        return sum(entry.collapsed for entry in self.injected)

    @property
    def accepted(self) -> int:
        return self.rows - self.rejected - self.collapsed

    @property
    def rejected_by_reason(self) -> dict[str, int]:
        """Rejections per reason code that occurs, in SPEC order."""
        counts = {reason: 0 for reason in REJECTION_REASONS}
        for entry in self.injected:
            counts[entry.reason] += entry.rejected
        return {reason: count for reason, count in counts.items() if count}

    def as_json(self) -> dict[str, object]:
        return {
            "file": self.file,
            "rows": self.rows,
            "accepted": self.accepted,
            "rejected": self.rejected,
            "collapsed": self.collapsed,
            "injected_rows": self.injected_rows,
            "rejected_by_reason": self.rejected_by_reason,
            "injected": [vars(entry) for entry in self.injected],
        }


@dataclass(frozen=True)
class GenerationReport:
    out_dir: Path
    parameters: Parameters
    first_period: str
    last_period: str
    tables: Mapping[str, TableReport]  # in SPEC 4 order

    def as_json(self) -> dict[str, object]:
        return {
            "schema_version": SCHEMA_VERSION,
            "generator_version": GENERATOR_VERSION,
            "parameters": self.parameters.as_json(),
            "periods": {"first": self.first_period, "last": self.last_period},
            "tables": {name: table.as_json() for name, table in self.tables.items()},
        }
