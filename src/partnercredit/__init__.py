"""partnercredit: multi-partner credit, targets and payouts for cloud partner programs.

The public API is small: `validate` and `run` over a data directory (each phase they enter
reported as a `Phase`), `explain_line` for one line of a finished run, `verify_run` and
`diff_runs` to check and compare runs, the run folders of a workspace, the rules (read from a
file or from TOML text), the engine options, the types of the results and the errors the API
raises. Folders and files may be given as text or as path-like objects. docs/python-api.md
describes each.
Names are imported on first use, so that `import partnercredit` (and the command line's
start-up) stays fast.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

__version__ = "0.1.0"

_EXPORTS = {
    "EngineOptions": "partnercredit.engine",
    "Interrupted": "partnercredit.errors",
    "LineExplanation": "partnercredit.explain",
    "PartnerCreditError": "partnercredit.errors",
    "Phase": "partnercredit.messages",
    "Refused": "partnercredit.messages",
    "Rejection": "partnercredit.core",
    "ResourceError": "partnercredit.errors",
    "Rules": "partnercredit.rules",
    "RulesError": "partnercredit.errors",
    "RunDifference": "partnercredit.compare",
    "RunReport": "partnercredit.core",
    "RunSummary": "partnercredit.summary",
    "StrictRefusal": "partnercredit.errors",
    "StructuralError": "partnercredit.errors",
    "TableComparison": "partnercredit.compare",
    "TableCounts": "partnercredit.validation",
    "UnreadableData": "partnercredit.errors",
    "UsageError": "partnercredit.errors",
    "ValidationReport": "partnercredit.core",
    "Verification": "partnercredit.compare",
    "diff_runs": "partnercredit.compare",
    "explain_line": "partnercredit.explain",
    "load_rules": "partnercredit.rules",
    "parse_rules": "partnercredit.rules",
    "run": "partnercredit.core",
    "run_folder": "partnercredit.workspace",
    "validate": "partnercredit.core",
    "verify_run": "partnercredit.compare",
    "workspace_runs": "partnercredit.workspace",
}

__all__ = [
    "EngineOptions",
    "Interrupted",
    "LineExplanation",
    "PartnerCreditError",
    "Phase",
    "Refused",
    "Rejection",
    "ResourceError",
    "Rules",
    "RulesError",
    "RunDifference",
    "RunReport",
    "RunSummary",
    "StrictRefusal",
    "StructuralError",
    "TableComparison",
    "TableCounts",
    "UnreadableData",
    "UsageError",
    "ValidationReport",
    "Verification",
    "__version__",
    "diff_runs",
    "explain_line",
    "load_rules",
    "parse_rules",
    "run",
    "run_folder",
    "validate",
    "verify_run",
    "workspace_runs",
]

if TYPE_CHECKING:
    from partnercredit.compare import RunDifference, TableComparison, Verification
    from partnercredit.compare.diff_runs import diff_runs
    from partnercredit.compare.verify_run import verify_run
    from partnercredit.core import Rejection, RunReport, ValidationReport, run, validate
    from partnercredit.engine import EngineOptions
    from partnercredit.errors import (
        Interrupted,
        PartnerCreditError,
        ResourceError,
        RulesError,
        StrictRefusal,
        StructuralError,
        UnreadableData,
        UsageError,
    )
    from partnercredit.explain import LineExplanation
    from partnercredit.explain.explain_line import explain_line
    from partnercredit.messages import Phase, Refused
    from partnercredit.rules import Rules, load_rules, parse_rules
    from partnercredit.summary import RunSummary
    from partnercredit.validation import TableCounts
    from partnercredit.workspace import run_folder, workspace_runs


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(import_module(_EXPORTS[name]), name)
    raise AttributeError(f"module 'partnercredit' has no attribute {name!r}")


def __dir__() -> list[str]:
    """The public names (tab completion lists them, not this module's imports)."""
    return list(__all__)
