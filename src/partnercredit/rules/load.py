"""Reading rules: TOML text in, a checked `Rules` out, or one `RulesError` line naming the key."""

from __future__ import annotations

import json
import re
import tomllib
from decimal import Decimal
from importlib import resources
from typing import Literal

from pydantic import ValidationError
from pydantic_core import ErrorDetails

from partnercredit.errors import RulesError
from partnercredit.paths import PathArg, as_path
from partnercredit.rules.models import KeyPath, KeyPathError, Rules, toml_value

Builtin = Literal["default", "example"]

# Fields of `Rules` that describe where the rules came from; a file may not set them.
_SOURCE_FIELDS = ("source_name", "text")

_EXPECTED = {
    "int_type": "an integer",
    "bool_type": "true or false",
    "string_type": "a string",
    "date_type": "a date (YYYY-MM-DD)",
    "decimal_type": "a number",
    "finite_number": "a finite number",
    "tuple_type": "an array",
    "dict_type": "a table",
    "model_type": "a table",
}

_BARE_KEY = re.compile(r"[A-Za-z0-9_-]+")
# A date as people write it that TOML does not read as one: 2016-6-1, 2016/06/01, 01.06.2016.
_LOOSE_DATE = re.compile(
    r"=\s*(?:[0-9]{4}(?:[/.][0-9]{1,2}[/.][0-9]{1,2}|-[0-9]-[0-9]{1,2}|-[0-9]{1,2}-[0-9](?![0-9]))"
    r"|[0-9]{1,2}[-/.][0-9]{1,2}[-/.][0-9]{4})"
)
_TOML_POSITION = re.compile(r" \(at (?:line (\d+), column (\d+)|end of document)\)$")


def load_rules(path: PathArg | None = None) -> Rules:
    """The rules in the TOML file at `path`, or the built-in default rules when None."""
    if path is None:
        return load_builtin("default")
    path = as_path(path)
    try:
        raw = path.read_bytes()
    except OSError as error:
        raise RulesError(f"{path}: cannot read rules file ({error.strerror or error})") from error
    try:
        # The byte order mark stays in the text, so that its SHA-256 is the file's.
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise RulesError(f"{path}: not UTF-8 text (byte {error.start})") from error
    # Errors name the file as it was given: several folders may each hold a rules.toml.
    return parse_rules(text, path.name, shown_as=str(path))


def load_builtin(name: Builtin) -> Rules:
    """A rules file shipped with the package: `default` (SPEC 6) or `example` (SPEC 6's listing)."""
    resource = resources.files("partnercredit.rules").joinpath(f"{name}.toml")
    return parse_rules(resource.read_text(encoding="utf-8"), name)


def parse_rules(text: str, source_name: str = "rules", *, shown_as: str | None = None) -> Rules:
    """Rules from TOML `text`; `source_name` names it in the result (and in run.json), and in
    errors unless `shown_as` is given."""
    shown = shown_as or source_name
    toml = text.removeprefix("\ufeff")
    try:
        data = tomllib.loads(toml, parse_float=Decimal)
    except tomllib.TOMLDecodeError as error:
        raise RulesError(_toml_problem(shown, str(error), toml)) from error
    for key in _SOURCE_FIELDS:
        if key in data:
            raise RulesError(f"{shown}: {key}: unknown key")
    try:
        return Rules.model_validate({**data, "source_name": source_name, "text": text})
    except ValidationError as error:
        raise RulesError(_validation_problem(shown, error.errors()[0])) from error


def _toml_problem(source_name: str, message: str, text: str) -> str:
    position = _TOML_POSITION.search(message)
    if position is None:
        return f"{source_name}: invalid TOML ({message})"
    reason = message[: position.start()]
    line, column = position.groups()
    if line is None:
        return f"{source_name}: end of file: invalid TOML ({reason})"
    problem = f"{source_name}: line {line}: invalid TOML ({reason}, column {column})"
    # TOML's own message names the character it stumbled on, not the date around it. (TOML
    # counts lines by line feeds alone; splitlines would also split at other breaks.)
    if _LOOSE_DATE.search(text.split("\n")[int(line) - 1]):
        problem += "; dates are written YYYY-MM-DD, e.g. 2016-06-01"
    return problem


def _validation_problem(source_name: str, error: ErrorDetails) -> str:
    path, message = _explain(error)
    return f"{source_name}: {_key_path(path)}: {message}"


def _explain(error: ErrorDetails) -> tuple[KeyPath, str]:
    """The key path and the message for one pydantic error, in the rules' own words."""
    path, kind, ctx = error["loc"], error["type"], error.get("ctx", {})
    problem = ctx.get("error")
    if isinstance(problem, KeyPathError):
        return (*path, *problem.path), str(problem)
    if kind == "string_too_short":
        return path[:-1] if path and path[-1] == "[key]" else path, "must not be empty"
    if path and path[-1] == "[key]":
        return path[:-1], "unknown key"
    got = toml_value(error["input"])
    if kind == "missing":
        return path, "missing"
    if kind == "extra_forbidden":
        return path, "unknown key"
    if kind == "literal_error":
        expected = str(ctx["expected"]).replace("'", '"')
        return path, f"expected {expected}, got {got}"
    if kind == "greater_than_equal":
        return path, f"must be at least {ctx['ge']}, got {got}"
    if kind == "less_than_equal":
        return path, f"must be at most {ctx['le']}, got {got}"
    if kind == "less_than":
        return path, f"must be below {ctx['lt']}, got {got}"
    if kind == "too_short":
        return path, "must not be empty"
    if kind in _EXPECTED:
        return path, f"expected {_EXPECTED[kind]}, got {got}"
    return path, error["msg"]


def _key_path(path: KeyPath) -> str:
    """`programs.competency.policies[2].types`: TOML keys joined by dots, array indices."""
    text = ""
    for part in path:
        if isinstance(part, int):
            text += f"[{part}]"
            continue
        key = part if _BARE_KEY.fullmatch(part) else json.dumps(part, ensure_ascii=False)
        text += f".{key}" if text else key
    return text


def as_recorded(rules: Rules) -> Rules:
    """`rules` if they are what their text says: a run records the text (run.json), and
    explain and verify read the rules from it again. A model changed or built field by field
    in code is refused rather than computed with and recorded as something else."""
    try:
        recorded = parse_rules(rules.text, rules.source_name)
    except RulesError as error:
        raise RulesError(f"{error} (the text of the Rules object given)") from None
    if recorded != rules:
        raise RulesError(
            f"{rules.source_name}: the Rules object differs from its own text, which is what a "
            "run records and what explain and verify read; write the change into the TOML text "
            "and read it with parse_rules or load_rules"
        )
    return rules
