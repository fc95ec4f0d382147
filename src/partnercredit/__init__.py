"""partnercredit: multi-partner credit, targets and payouts for cloud partner programs."""

__version__ = "0.1.0"
