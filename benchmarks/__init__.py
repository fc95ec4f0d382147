"""Benchmarks: speed and memory of partnercredit on generated data (see BENCHMARKS.md)."""
