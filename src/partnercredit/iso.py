"""ISO 3166-1 alpha-2 country codes and ISO 4217 currency codes, shipped as data files."""

from __future__ import annotations

from functools import cache
from importlib.resources import files


def _codes(resource: str) -> frozenset[str]:
    text = files("partnercredit.data").joinpath(resource).read_text(encoding="utf-8")
    lines = (line for line in text.splitlines() if not line.startswith("#"))
    return frozenset(code for line in lines for code in line.split())


@cache
def country_codes() -> frozenset[str]:
    return _codes("countries.txt")


@cache
def currency_codes() -> frozenset[str]:
    return _codes("currencies.txt")
