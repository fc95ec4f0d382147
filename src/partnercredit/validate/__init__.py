"""Validation of input rows (SPEC section 5): every bad row is rejected once, with a reason."""

from partnercredit.validate.validate_inputs import TableCounts, ValidatedInputs, validate_inputs

__all__ = ["TableCounts", "ValidatedInputs", "validate_inputs"]
