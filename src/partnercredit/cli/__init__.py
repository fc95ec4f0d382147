"""The `partnercredit` command: thin Typer shells over the core API."""

from __future__ import annotations

import logging
import sys


def main(argv: list[str] | None = None) -> None:
    """Install the signal handlers before the heavy imports, then run the application."""
    from partnercredit.errors import Interrupted
    from partnercredit.interrupts import commands_handlers

    with commands_handlers():
        # The command speaks in one-line messages; a library that logs on the root logger
        # (py4j does when an interrupt breaks one of its connections) would print through
        # logging's last resort.
        root = logging.getLogger()
        if not root.handlers:
            root.addHandler(logging.NullHandler())
        try:
            from partnercredit.cli.app import run_app
        except Interrupted as stop:
            print(f"partnercredit: {stop}", file=sys.stderr)
            sys.exit(stop.exit_code)
        run_app(argv)


__all__ = ["main"]
