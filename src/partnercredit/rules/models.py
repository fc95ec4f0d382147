"""The rules model: association types, product areas and programs (SPEC 6).

Validators check shape and contradictions and report them as `KeyPathError`s that carry a key
path below the model that raised them; the loader turns them into one-line `RulesError`s.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal
from fnmatch import fnmatchcase
from itertools import pairwise, zip_longest
from typing import Annotated, Any, Literal

from pydantic import (
    AfterValidator,
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StrictBool,
    StrictInt,
    StrictStr,
    model_validator,
)
from pydantic_core import PydanticCustomError

from partnercredit.errors import RulesError

KeyPath = tuple[str | int, ...]
Language = Literal["en", "de"]

REQUIREMENTS = ("revenue_usd", "seats", "customers", "new_customers")
"""The requirement keys of a target, in the order they are shown."""


class KeyPathError(ValueError):
    """A problem with the rules at `path`, below the model whose validator raised it."""

    def __init__(self, path: KeyPath, message: str) -> None:
        super().__init__(message)
        self.path = path


def toml_value(value: object) -> str:
    """`value` spelled the way a TOML file writes it, for messages."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, str):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "an array"
    if isinstance(value, dict):
        return "a table"
    if isinstance(value, date):
        return value.isoformat()
    return str(value)


def _toml_number(value: object) -> Decimal:
    # TOML writes whole numbers as integers and the loader reads floats as Decimal; anything
    # else (a quoted "0.10", a boolean) is a mistake rather than something to coerce.
    if isinstance(value, bool) or not isinstance(value, int | Decimal):
        raise PydanticCustomError("decimal_type", "Input should be a number")
    return Decimal(value)


RATE_PLACES = 8
"""Digits a rate may have after the point: what the payouts table keeps (DECIMAL(18, 8))."""


def _rate_places(value: Decimal) -> Decimal:
    if value.normalize().as_tuple().exponent < -RATE_PLACES:  # type: ignore[operator]
        raise PydanticCustomError(
            "rate_places",
            "at most {places} digits after the point, got {value}",
            {"places": RATE_PLACES, "value": format(value, "f")},
        )
    return value


# Upper bounds keep every comparison and product within the engine's exact integer arithmetic;
# they are far above any real program's figures.
Day = Annotated[date, Strict()]
Minimum = Annotated[Decimal, BeforeValidator(_toml_number), Field(ge=0, lt=10**13)]
RateValue = Annotated[
    Decimal, BeforeValidator(_toml_number), Field(ge=0, lt=10_000), AfterValidator(_rate_places)
]
Count = Annotated[StrictInt, Field(ge=0, lt=10**12)]
Precedence = Annotated[StrictInt, Field(ge=-(10**9), le=10**9)]
WindowMonths = Annotated[StrictInt, Field(ge=1, le=1200)]
"""At most a hundred years."""
Name = Annotated[StrictStr, Field(min_length=1)]
"""A name the rules give (a type, program, target, area, label): never empty, since an empty
text is a null in the contract's CSV."""


def _first_repeat(values: Sequence[str]) -> tuple[int, int] | None:
    """(index, index of its first occurrence) of the first value that repeats an earlier one."""
    first_at: dict[str, int] = {}
    for index, value in enumerate(values):
        first = first_at.setdefault(value, index)
        if first != index:
            return index, first
    return None


def _distinct(values: tuple[str, ...]) -> tuple[str, ...]:
    """A list that names something twice is a slip (a copy meant to be edited, say)."""
    repeat = _first_repeat(values)
    if repeat is not None:
        raise PydanticCustomError(
            "repeated", "{value} is listed twice", {"value": toml_value(values[repeat[0]])}
        )
    return values


def _closed_classes(pattern: str) -> str:
    """A product pattern's character classes are closed: shell-style matching would take a
    `[` without its `]` as the character itself, so that "[AZURE*" matches no product."""
    at = pattern.find("[")
    while at != -1:
        inside = at + 1
        inside += pattern.startswith("!", inside)
        inside += pattern.startswith("]", inside)  # a first "]" is one of the class
        close = pattern.find("]", inside)
        if close == -1:
            raise PydanticCustomError(
                "unclosed_class", "the [ at position {at} has no closing ]", {"at": at + 1}
            )
        at = pattern.find("[", close + 1)
    return pattern


Names = Annotated[tuple[Name, ...], AfterValidator(_distinct)]
"""Names the rules list (types of a policy, categories): none empty, none twice."""
Pattern = Annotated[StrictStr, Field(min_length=1), AfterValidator(_closed_classes)]
"""A shell-style product pattern (case-sensitive)."""


class _Model(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class AssociationType(_Model):
    """A kind of link between a partner and a customer, subscription or line."""

    name: Name
    precedence: Precedence
    exclusive: StrictBool = False
    retroactive: StrictBool = True
    label: dict[Language, Name]

    @model_validator(mode="before")
    @classmethod
    def _complete_label(cls, data: Any) -> Any:
        """A missing label is the type's name; a label in one language serves the other too."""
        if not isinstance(data, dict):
            return data
        label = data.get("label", {})
        if not isinstance(label, dict):
            return data
        english = label.get("en", label.get("de", data.get("name")))
        return {**data, "label": {**label, "en": english, "de": label.get("de", english)}}


class Policy(_Model):
    """From `start` on (TOML key `from`), the program counts associations of these types."""

    start: Day = Field(alias="from")
    types: Names


@dataclass(frozen=True)
class PolicySpan:
    """The days a policy is in force: `[start, end)`, open-ended when `end` is None."""

    start: date
    end: date | None
    types: tuple[str, ...]

    @property
    def last_day(self) -> date | None:
        return None if self.end is None else self.end - timedelta(days=1)


class Target(_Model):
    """A level of an attainment program; every requirement that is set must hold."""

    name: Name
    area: StrictStr
    level: Name | None = None
    revenue_usd: Minimum | None = None
    seats: Minimum | None = None
    customers: Count | None = None
    new_customers: Count | None = None

    @property
    def requirements(self) -> dict[str, Decimal | int]:
        """The minimums that are set, by requirement key in `REQUIREMENTS` order."""
        minimums = {key: getattr(self, key) for key in REQUIREMENTS}
        return {key: minimum for key, minimum in minimums.items() if minimum is not None}

    @model_validator(mode="after")
    def _has_requirement(self) -> Target:
        if not self.requirements:
            raise KeyPathError((), f"needs at least one of {', '.join(REQUIREMENTS)}")
        return self


class Rate(_Model):
    """The share of eligible credit a payout program pays for lines of one area."""

    area: StrictStr
    rate: RateValue

    @property
    def rate_text(self) -> str:
        """The rate as written in the rules: a Decimal read from TOML keeps its digits."""
        return format(self.rate, "f")


class TargetRef(_Model):
    """A target of an attainment program, written `program.target` in the rules."""

    program: StrictStr
    target: StrictStr

    @model_validator(mode="before")
    @classmethod
    def _from_text(cls, data: Any) -> Any:
        if isinstance(data, dict | TargetRef):
            return data
        if isinstance(data, str):
            program, dot, target = data.partition(".")
            if program and dot and target:
                return {"program": program, "target": target}
        raise KeyPathError((), f'expected "program.target", got {toml_value(data)}')

    def __str__(self) -> str:
        return f"{self.program}.{self.target}"


def _check_unique(key: str, field: str, values: list[str]) -> None:
    """Raise at the first entry of `key` whose `field` repeats an earlier entry's."""
    repeat = _first_repeat(values)
    if repeat is not None:
        index, first = repeat
        raise KeyPathError(
            (key, index, field), f'"{values[index]}" is already used by {key}[{first}]'
        )


_KIND_KEYS: dict[str, tuple[str, ...]] = {
    "attainment": ("targets",),
    "payout": ("rates", "requires_any"),
}


class Program(_Model):
    """Rules that turn associations into credit: targets (attainment) or money (payout)."""

    name: Name
    kind: Literal["attainment", "payout"]
    credit: Literal["full", "split"] = "full"
    window_months: WindowMonths = 12
    rollup: Literal["partner", "root"] = "partner"
    exclude_categories: Names = ()
    policies: tuple[Policy, ...] = ()
    targets: tuple[Target, ...] = ()
    rates: tuple[Rate, ...] = ()
    requires_any: tuple[TargetRef, ...] = ()

    @model_validator(mode="after")
    def _check(self) -> Program:
        for kind, keys in _KIND_KEYS.items():
            for key in keys:
                if kind != self.kind and key in self.model_fields_set:
                    raise KeyPathError((key,), f"only {kind} programs have {key}")
        for index, (earlier, later) in enumerate(pairwise(self.policies), start=1):
            if later.start <= earlier.start:
                raise KeyPathError(
                    ("policies", index, "from"),
                    f"policies must strictly increase by from: {later.start} is not after "
                    f"{earlier.start}",
                )
        _check_unique("targets", "name", [target.name for target in self.targets])
        # Only the first rate whose area holds a product applies: a second one for the same
        # area could never apply.
        _check_unique("rates", "area", [rate.area for rate in self.rates])
        return self

    def policy_on(self, day: date) -> Policy | None:
        """The policy in force on `day`: the one with the latest start on or before it."""
        current = None
        for policy in self.policies:
            if policy.start > day:
                break
            current = policy
        return current

    def policy_spans(self) -> tuple[PolicySpan, ...]:
        """Each policy with the days it is in force: until the next one starts."""
        return tuple(
            PolicySpan(policy.start, None if following is None else following.start, policy.types)
            for policy, following in zip_longest(self.policies, self.policies[1:])
        )

    def target(self, name: str) -> Target:
        """The target called `name`; KeyError if the program has none."""
        for target in self.targets:
            if target.name == name:
                return target
        raise KeyError(f'program "{self.name}" has no target "{name}"')


def _named(section: str, tables: Any) -> Any:
    """Types and programs are named by their key; the name is not a key of their own."""
    if not isinstance(tables, dict):
        return tables
    named = {}
    for name, table in tables.items():
        if isinstance(table, dict) and "name" in table:
            raise KeyPathError((section, name, "name"), "unknown key")
        named[name] = {**table, "name": name} if isinstance(table, dict) else table
    return named


class Rules(_Model):
    """One complete, self-consistent set of rules, with the text it was read from."""

    fiscal_year_start_month: Annotated[StrictInt, Field(ge=1, le=12)] = 7
    proration: Literal["daily", "any_day", "month_end"] = "daily"
    association_types: dict[Name, AssociationType] = Field(default_factory=dict)
    areas: dict[
        Name, Annotated[tuple[Pattern, ...], Field(min_length=1), AfterValidator(_distinct)]
    ] = Field(default_factory=dict)
    programs: dict[Name, Program] = Field(default_factory=dict)
    source_name: StrictStr
    text: StrictStr

    @model_validator(mode="before")
    @classmethod
    def _name_tables(cls, data: Any) -> Any:
        if not isinstance(data, dict):
            return data
        named = dict(data)
        for section in ("association_types", "programs"):
            if section in data:
                named[section] = _named(section, data[section])
        return named

    @model_validator(mode="after")
    def _check_references(self) -> Rules:
        holders: dict[int, str] = {}
        for declared in self.association_types.values():
            holder = holders.setdefault(declared.precedence, declared.name)
            if holder != declared.name:
                raise KeyPathError(
                    ("association_types",),
                    f'types "{holder}" and "{declared.name}" share precedence '
                    f"{declared.precedence}",
                )
        for program in self.programs.values():
            self._check_program(("programs", program.name), program)
        return self

    def _check_program(self, at: KeyPath, program: Program) -> None:
        for index, policy in enumerate(program.policies):
            for name in policy.types:
                if name not in self.association_types:
                    raise KeyPathError(
                        (*at, "policies", index, "types"), f'unknown association type "{name}"'
                    )
        named_areas = [
            *(("targets", index, target.area) for index, target in enumerate(program.targets)),
            *(("rates", index, rate.area) for index, rate in enumerate(program.rates)),
        ]
        for key, index, area in named_areas:
            if area not in self.areas:
                raise KeyPathError((*at, key, index, "area"), f'unknown area "{area}"')
        for index, ref in enumerate(program.requires_any):
            problem = self._unresolved(ref)
            if problem:
                raise KeyPathError((*at, "requires_any", index), problem)

    def _unresolved(self, ref: TargetRef) -> str | None:
        """Why `ref` names no target of an attainment program, or None when it does."""
        program = self.programs.get(ref.program)
        if program is None:
            dotted = [name for name in self.programs if str(ref).startswith(f"{name}.")]
            if dotted:
                # "program.target" is split at its first dot.
                return f'program "{dotted[0]}" cannot be named here: its name contains "."'
            return f'unknown program "{ref.program}"'
        if program.kind != "attainment":
            return f'program "{ref.program}" is not an attainment program'
        if all(target.name != ref.target for target in program.targets):
            return f'program "{ref.program}" has no target "{ref.target}"'
        return None

    @property
    def sha256(self) -> str:
        """SHA-256 of the rules text (UTF-8), hex."""
        return hashlib.sha256(self.text.encode("utf-8")).hexdigest()

    @property
    def declared_types(self) -> tuple[str, ...]:
        """The association type names, in the order the rules declare them."""
        return tuple(self.association_types)

    def areas_of(self, product: str) -> tuple[str, ...]:
        """Every area with a pattern matching `product` (case-sensitive), in rules order."""
        return tuple(
            area
            for area, patterns in self.areas.items()
            if any(fnmatchcase(product, pattern) for pattern in patterns)
        )

    def require_programs(self) -> None:
        """Rules for a run: without a program there is nothing to credit."""
        if not self.programs:
            raise RulesError(
                f"{self.source_name}: the rules declare no program: there is nothing to credit"
            )

    def rate_for(self, program: Program, product: str) -> Rate | None:
        """The first rate of a payout program whose area holds `product`, if any (SPEC 8)."""
        areas = self.areas_of(product)
        return next((rate for rate in program.rates if rate.area in areas), None)
