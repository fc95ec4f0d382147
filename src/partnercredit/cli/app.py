"""The Typer application; each command lives in a module of its own and only renders."""

from __future__ import annotations

import sys
from typing import Annotated, NoReturn

import typer
from typer.exceptions import Abort, TyperException

from partnercredit import __version__, interrupts
from partnercredit.cli import (
    compare,
    demo,
    explain,
    generate,
    partner,
    rules,
    run,
    validate,
)
from partnercredit.errors import Interrupted, PartnerCreditError, ResourceError, UsageError

app = typer.Typer(
    name="partnercredit",
    help="Credit every partner that contributes to a customer's cloud subscription.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _show_version(asked: bool) -> None:
    if asked:
        print(f"partnercredit {__version__}")
        raise typer.Exit


@app.callback()
def _options(
    version: Annotated[
        bool,
        typer.Option(
            "--version",
            metavar="",
            is_eager=True,
            callback=_show_version,
            help="Show the version and exit.",
        ),
    ] = False,
) -> None:
    """Credit every partner that contributes to a customer's cloud subscription."""


app.command()(validate.validate)
app.command()(run.run)
app.command()(explain.explain)
app.command()(partner.partner)
app.command()(compare.verify)
app.command()(compare.diff)
app.command()(demo.demo)
app.add_typer(rules.rules_app)
generate.register(app)


def run_app(argv: list[str] | None = None) -> None:
    """Run the CLI; user errors become one line on stderr and their exit code."""
    arguments = sys.argv[1:] if argv is None else argv
    try:
        _check_utf8(arguments)
        # Not standalone: Typer would print a usage mistake in a box of several lines.
        exit_code = app(args=argv, prog_name="partnercredit", standalone_mode=False)
        # An interrupt that a library the command called swallowed (py4j's retry).
        interrupts.stop_if_received()
    except PartnerCreditError as error:
        _fail(error)
    except TyperException as error:
        _usage_mistake(error, arguments)
    except Abort:
        _fail(Interrupted(interrupts.stopped("aborted")))
    except Exception as error:
        # An engine may wrap the interrupt in an error of its own.
        if interrupts.interrupted():
            _fail(Interrupted(interrupts.stopped("interrupted")))
        if isinstance(error, OSError):
            _fail(ResourceError.file_failed(error))
        raise
    if isinstance(exit_code, int) and exit_code:
        sys.exit(exit_code)


def _check_utf8(arguments: list[str]) -> None:
    """Paths and ids are read and written as UTF-8: an argument with bytes that are not
    (which Python keeps as surrogates) would fail deep inside a command."""
    for argument in arguments:
        try:
            argument.encode("utf-8")
        except UnicodeEncodeError:
            raise UsageError(
                f"{_shown(argument)}: not valid UTF-8; partnercredit reads paths and ids as "
                "UTF-8 text"
            ) from None


def _shown(argument: str) -> str:
    """Bytes that are not UTF-8 come as surrogates: shown as the bytes they were (a caller
    of `main` may pass other surrogates, shown escaped)."""
    try:
        raw = argument.encode("utf-8", "surrogateescape")
    except UnicodeEncodeError:
        return ascii(argument)
    return raw.decode("utf-8", "backslashreplace")


def _usage_mistake(error: TyperException, argv: list[str]) -> NoReturn:
    """One line for a usage mistake, naming the help to read, exit 2 (SPEC 9); nothing more
    when the help was shown (a command group called without a command)."""
    message = error.format_message().rstrip(".")
    if not message:
        sys.exit(UsageError.exit_code)
    context = getattr(error, "ctx", None)
    command = context.command_path if context is not None else _command_path(argv)
    _fail(UsageError(f"{message} (see `{command} --help`)"))


def _command_path(argv: list[str]) -> str:
    """The command `argv` calls, as far as its first words name one (some mistakes, like a
    value given to a flag, come without the command they were made in)."""
    path, command = ["partnercredit"], typer.main.get_command(app)
    for word in argv:
        found = getattr(command, "commands", {}).get(word)
        if found is None:
            break
        path.append(word)
        command = found
    return " ".join(path)


def _fail(error: PartnerCreditError) -> NoReturn:
    print(f"partnercredit: {error}", file=sys.stderr)
    sys.exit(error.exit_code)
