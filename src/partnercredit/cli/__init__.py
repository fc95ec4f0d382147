"""The `partnercredit` command: thin Typer shells over the core API."""

from partnercredit.cli.app import main

__all__ = ["main"]
