"""partnercredit: multi-partner credit, targets and payouts for cloud partner programs.

The public API is small: `validate` and `run` over a data directory, the rules loader, the
engine options and the errors the API raises.
"""

__version__ = "0.1.0"

from partnercredit.core import Rejection, RunReport, ValidationReport, run, validate
from partnercredit.engine import EngineOptions
from partnercredit.errors import (
    PartnerCreditError,
    RulesError,
    StrictRefusal,
    StructuralError,
    UsageError,
)
from partnercredit.rules import Rules, load_rules

__all__ = [
    "EngineOptions",
    "PartnerCreditError",
    "Rejection",
    "Rules",
    "RulesError",
    "RunReport",
    "StrictRefusal",
    "StructuralError",
    "UsageError",
    "ValidationReport",
    "__version__",
    "load_rules",
    "run",
    "validate",
]
