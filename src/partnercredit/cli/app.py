"""The Typer application; each command lives in a module of its own and only renders."""

from __future__ import annotations

import signal
import sys
from types import FrameType

import typer

from partnercredit.cli import rules, run, validate
from partnercredit.errors import PartnerCreditError

app = typer.Typer(
    name="partnercredit",
    help="Credit every partner that contributes to a customer's cloud subscription.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(validate.validate)
app.command()(run.run)
app.add_typer(rules.rules_app)


def _terminate(_signum: int, _frame: FrameType | None) -> None:
    raise KeyboardInterrupt


def main() -> None:
    """Run the CLI; user errors become one line on stderr and their exit code."""
    signal.signal(signal.SIGTERM, _terminate)
    try:
        app()
    except PartnerCreditError as error:
        print(f"partnercredit: {error}", file=sys.stderr)
        sys.exit(error.exit_code)
    except KeyboardInterrupt:
        print("partnercredit: interrupted; nothing was published", file=sys.stderr)
        sys.exit(130)
