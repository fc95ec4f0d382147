"""Input readers: find the table files of a data directory and stream them as text.

Every reader yields Arrow record batches in which each contract column is text (a missing
optional column is null everywhere) plus `_row`, the 1-based data row number. Nothing is
materialised per row in Python; CSV lines with the wrong number of fields are collected as
malformed rows.
"""

from partnercredit.readers.discover import SourceFile, discover_tables
from partnercredit.readers.open_table import (
    MalformedRow,
    TableStream,
    damaged_parquet,
    open_table,
)

__all__ = [
    "MalformedRow",
    "SourceFile",
    "TableStream",
    "damaged_parquet",
    "discover_tables",
    "open_table",
]
