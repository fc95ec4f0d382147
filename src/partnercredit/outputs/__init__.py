"""Outputs of a run: tables in Parquet or CSV, run.json, published all at once."""
