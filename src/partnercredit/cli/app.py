"""The Typer application; each command lives in a module of its own and only renders."""

from __future__ import annotations

import sys
from typing import NoReturn

import typer

from partnercredit.cli import demo, explain, generate, partner, rules, run, signals, validate
from partnercredit.errors import Interrupted, PartnerCreditError

app = typer.Typer(
    name="partnercredit",
    help="Credit every partner that contributes to a customer's cloud subscription.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
app.command()(validate.validate)
app.command()(run.run)
app.command()(explain.explain)
app.command()(partner.partner)
app.command()(demo.demo)
app.add_typer(rules.rules_app)
generate.register(app)


def run_app(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one line on stderr and their exit code."""
    try:
        app(args=argv, prog_name="partnercredit")
    except PartnerCreditError as error:
        _fail(error)
    except Exception:
        # An engine may wrap the interrupt in an error of its own.
        if signals.received:
            _fail(Interrupted("interrupted; nothing was published"))
        raise


def _fail(error: PartnerCreditError) -> NoReturn:
    print(f"partnercredit: {error}", file=sys.stderr)
    sys.exit(error.exit_code)
