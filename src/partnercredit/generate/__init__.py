"""Synthetic input data at any scale: realistic, deterministic, optionally with bad rows."""

from partnercredit.generate.dataset import generate_dataset
from partnercredit.generate.report import GenerationReport, InjectedRows, TableReport

__all__ = ["GenerationReport", "InjectedRows", "TableReport", "generate_dataset"]
