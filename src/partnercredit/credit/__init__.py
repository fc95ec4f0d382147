"""Credit (SPEC 7): from accepted inputs to the daily-prorated ledger and unattributed revenue.

The stages, each a module named after the function it exports:
prepare_lines -> normalise_links -> match_links -> find_cuts -> cut_segments ->
resolve_links -> segment_states -> credit_program (each program's shares of the lines and
uncredited days; `price_credits` and `price_unattributed` turn those of all programs into
cents in one join with the lines).
"""
