"""Validation of input rows (SPEC section 5): every bad row is rejected once, with a reason."""

from partnercredit.validation.validate_inputs import (
    SOURCE_ROW,
    TableCounts,
    ValidatedInputs,
    validate_inputs,
)

__all__ = ["SOURCE_ROW", "TableCounts", "ValidatedInputs", "validate_inputs"]
