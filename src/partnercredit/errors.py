"""Errors that end a command with a one-line message instead of a traceback."""

from __future__ import annotations

import errno
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from partnercredit.core import ValidationReport


class PartnerCreditError(Exception):
    """Base of every error the CLI turns into one line on stderr and an exit code."""

    exit_code = 2


class StructuralError(PartnerCreditError):
    """Input that cannot be processed at all: missing table or column, unreadable file."""


class UnreadableData(StructuralError):
    """A file the engine could not decode (a damaged Parquet file): the engine's message names
    no file, the reader of the inputs may find it."""


class RulesError(StructuralError):
    """A rules file that is not valid TOML, does not fit the model, or contradicts itself."""


class UsageError(PartnerCreditError):
    """A command used wrongly: bad option value, missing run folder."""


class ResourceError(PartnerCreditError):
    """The engine ran out of memory, or a file could not be read or written (a full disk)."""

    @classmethod
    def out_of_memory(cls, limit: str) -> ResourceError:
        return cls(
            f"the engine ran out of memory within its limit of {limit}: raise it with "
            "--memory-limit, and keep the spill folder (--spill-dir) on a disk with room"
        )

    @classmethod
    def file_failed(cls, error: OSError) -> ResourceError:
        where = f" {error.filename}" if error.filename else ""
        advice = (
            " (make room on that disk, or choose other folders with --out and --spill-dir)"
            if error.errno in (errno.ENOSPC, errno.EDQUOT)
            else ""
        )
        return cls(f"could not read or write{where}: {error.strerror or error}{advice}")


class StrictRefusal(PartnerCreditError):
    """`--strict` and at least one rejected row: nothing is published. Carries the inputs'
    validation, so that the refusal can show what was rejected."""

    exit_code = 1

    def __init__(self, message: str, validation: ValidationReport) -> None:
        super().__init__(message)
        self.validation = validation

    def __reduce__(self) -> tuple[type[StrictRefusal], tuple[object, ...]]:
        return type(self), (str(self), self.validation)


class Interrupted(PartnerCreditError):
    """Stopped by SIGINT or SIGTERM: nothing was published."""

    exit_code = 130
