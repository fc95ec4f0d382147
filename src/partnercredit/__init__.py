"""partnercredit: multi-partner credit, targets and payouts for cloud partner programs."""
