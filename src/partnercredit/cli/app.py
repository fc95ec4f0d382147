"""The Typer application; each command lives in a module of its own and only renders."""

from __future__ import annotations

import sys

import typer

from partnercredit.errors import PartnerCreditError

app = typer.Typer(
    name="partnercredit",
    help="Credit every partner that contributes to a customer's cloud subscription.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def main() -> None:
    """Run the CLI; user errors become one line on stderr and their exit code."""
    try:
        app()
    except PartnerCreditError as error:
        print(f"partnercredit: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("partnercredit: interrupted; nothing was published", file=sys.stderr)
        sys.exit(130)
