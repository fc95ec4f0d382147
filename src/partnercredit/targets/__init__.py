"""Targets and payouts (SPEC 8): attainment per partner, target and as-of period, and the
incentives each payout program earns."""
