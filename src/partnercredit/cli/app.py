"""The Typer application; each command lives in a module of its own and only renders."""

from __future__ import annotations

import signal
import sys
from types import FrameType
from typing import NoReturn

import typer

from partnercredit.cli import explain, generate, rules, run, validate
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
app.add_typer(rules.rules_app)
generate.register(app)


class _Signals:
    """Turns SIGINT and SIGTERM into `Interrupted`, which no layer mistakes for a user abort."""

    received = False

    @classmethod
    def handle(cls, _signum: int, _frame: FrameType | None) -> None:
        cls.received = True
        raise Interrupted("interrupted; nothing was published")


def main(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one line on stderr and their exit code."""
    _Signals.received = False
    signal.signal(signal.SIGINT, _Signals.handle)
    signal.signal(signal.SIGTERM, _Signals.handle)
    try:
        app(args=argv, prog_name="partnercredit")
    except PartnerCreditError as error:
        _fail(error)
    except Exception:
        # An engine may wrap the interrupt in an error of its own.
        if _Signals.received:
            _fail(Interrupted("interrupted; nothing was published"))
        raise


def _fail(error: PartnerCreditError) -> NoReturn:
    print(f"partnercredit: {error}", file=sys.stderr)
    sys.exit(error.exit_code)
