"""Texts shown to people, as codes with parameters, in English and German.

The core attaches a message code to every rejection and explanation step; a surface (CLI,
dashboard, output file) renders it with `render` in the reader's language. Parameters are
named in braces. For rejections they are the rejected row's own columns: {column}, {value},
{key}.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Literal

Language = Literal["en", "de"]
LANGUAGES: tuple[Language, ...] = ("en", "de")

CATALOG: dict[str, dict[Language, str]] = {
    "malformed": {
        "en": "This line has a different number of fields than the header row, so it cannot "
        "be read.",
        "de": "Diese Zeile hat eine andere Anzahl von Feldern als die Kopfzeile und kann "
        "nicht gelesen werden.",
    },
    "duplicate_key": {
        "en": "Other rows have the same key {value} but different content, so none of them "
        "is used.",
        "de": "Andere Zeilen haben denselben Schlüssel {value}, aber anderen Inhalt; keine "
        "davon wird verwendet.",
    },
    "missing_value": {
        "en": "{column} is empty, but a value is required.",
        "de": "{column} ist leer, aber ein Wert ist erforderlich.",
    },
    "missing_value.scope": {
        "en": "Neither customer_id nor subscription_id is set; an association needs exactly "
        "one of them.",
        "de": "Weder customer_id noch subscription_id ist gesetzt; eine Zuordnung braucht "
        "genau eines davon.",
    },
    "bad_value.scope": {
        "en": "Both customer_id and subscription_id are set; an association needs exactly "
        "one of them.",
        "de": "customer_id und subscription_id sind beide gesetzt; eine Zuordnung braucht "
        "genau eines davon.",
    },
    "bad_value.date": {
        "en": '{column} must be a calendar date written YYYY-MM-DD, not "{value}".',
        "de": '{column} muss ein Kalenderdatum der Form JJJJ-MM-TT sein, nicht "{value}".',
    },
    "bad_value.period": {
        "en": '{column} must be a month written YYYY-MM, not "{value}".',
        "de": '{column} muss ein Monat der Form JJJJ-MM sein, nicht "{value}".',
    },
    "bad_value.timestamp": {
        "en": '{column} must be an ISO 8601 timestamp such as 2016-07-01T09:30:00Z, not "{value}".',
        "de": "{column} muss ein Zeitstempel nach ISO 8601 wie 2016-07-01T09:30:00Z sein, "
        'nicht "{value}".',
    },
    "bad_value.number": {
        "en": "{column} must be a number such as 1234.56 (a dot for decimals, no thousands "
        'separators), not "{value}".',
        "de": "{column} muss eine Zahl wie 1234.56 sein (Punkt als Dezimaltrennzeichen, "
        'keine Tausendertrennzeichen), nicht "{value}".',
    },
    "bad_value.amount_digits": {
        "en": '{column} "{value}" has more digits than are computed exactly: at most 12 '
        "before and 6 after the decimal point.",
        "de": '{column} "{value}" hat mehr Stellen als exakt berechnet werden: höchstens 12 '
        "vor und 6 nach dem Dezimalpunkt.",
    },
    "bad_value.rate_digits": {
        "en": '{column} "{value}" has more digits than are computed exactly: at most 4 '
        "before and 12 after the decimal point.",
        "de": '{column} "{value}" hat mehr Stellen als exakt berechnet werden: höchstens 4 '
        "vor und 12 nach dem Dezimalpunkt.",
    },
    "bad_value.rate": {
        "en": '{column} must be greater than zero, not "{value}".',
        "de": '{column} muss größer als null sein, nicht "{value}".',
    },
    "bad_value.quantity": {
        "en": '{column} must be a whole number of zero or more (at most 15 digits), not "{value}".',
        "de": '{column} muss eine ganze Zahl ab null sein (höchstens 15 Stellen), nicht "{value}".',
    },
    "bad_value.country": {
        "en": '{column} must be an ISO 3166-1 country code in capitals such as DE, not "{value}".',
        "de": "{column} muss ein Ländercode nach ISO 3166-1 in Großbuchstaben wie DE sein, "
        'nicht "{value}".',
    },
    "bad_value.currency": {
        "en": '{column} must be an ISO 4217 currency code in capitals such as EUR, not "{value}".',
        "de": "{column} muss ein Währungscode nach ISO 4217 in Großbuchstaben wie EUR sein, "
        'nicht "{value}".',
    },
    "bad_interval": {
        "en": "{column} {value} is not after the start of the interval; the interval would "
        "be empty.",
        "de": "{column} {value} liegt nicht nach dem Beginn des Zeitraums; der Zeitraum wäre leer.",
    },
    "unknown_type": {
        "en": 'Association type "{value}" is not declared in the rules.',
        "de": 'Der Zuordnungstyp "{value}" ist in den Regeln nicht deklariert.',
    },
    "cycle": {
        "en": "This partner's chain of parent partners leads back to itself (via {value}).",
        "de": "Die Kette der übergeordneten Partner führt zu diesem Partner zurück (über {value}).",
    },
    "bad_reference.unknown": {
        "en": '{column} "{value}" does not exist.',
        "de": '{column} "{value}" existiert nicht.',
    },
    "bad_reference.rejected": {
        "en": '{column} "{value}" was itself rejected (see its own row), so this row cannot '
        "be used either.",
        "de": '{column} "{value}" wurde selbst abgelehnt (siehe dessen Zeile), daher kann '
        "auch diese Zeile nicht verwendet werden.",
    },
    "missing_fx": {
        "en": "There is no exchange rate for {value} in this line's period.",
        "de": "Für {value} gibt es im Zeitraum dieser Zeile keinen Wechselkurs.",
    },
}

EXPLANATIONS: dict[str, dict[Language, str]] = {
    "conversion": {
        "en": "{amount} {currency} at {rate} USD per {currency} = {amount_usd} USD (rounded "
        "half to even, to the cent)",
        "de": "{amount} {currency} zu {rate} USD je {currency} = {amount_usd} USD (auf den "
        "Cent gerundet, halb zur geraden Zahl)",
    },
    "usd": {
        "en": "{amount} USD, rounded to the cent: {amount_usd} USD",
        "de": "{amount} USD, auf den Cent gerundet: {amount_usd} USD",
    },
    "category_excluded": {
        "en": "Subscriptions of category {category} earn no credit in this program.",
        "de": "Abonnements der Kategorie {category} erhalten in diesem Programm keine Anrechnung.",
    },
    "policy": {
        "en": "{first_day} to {last_day}: the policy counts {types}",
        "de": "{first_day} bis {last_day}: die Richtlinie zählt {types}",
    },
    "policy_none": {
        "en": "{first_day} to {last_day}: no policy is in force",
        "de": "{first_day} bis {last_day}: keine Richtlinie in Kraft",
    },
    "credited": {
        "en": "applied and credited",
        "de": "gilt und wird angerechnet",
    },
    "credited_as": {
        "en": "applied; the partner is credited once, as {type} (a lower precedence number)",
        "de": "gilt; der Partner wird nur einmal angerechnet, als {type} (niedrigere Rangfolge)",
    },
    "not_counted": {
        "en": "applies, but the policy in force (since {since}) does not count this type",
        "de": "gilt, aber die geltende Richtlinie (seit {since}) zählt diesen Typ nicht",
    },
    "no_policy": {
        "en": "applies, but no policy is in force",
        "de": "gilt, aber keine Richtlinie ist in Kraft",
    },
    "excluded_category": {
        "en": "applies, but category {category} earns no credit",
        "de": "gilt, aber die Kategorie {category} erhält keine Anrechnung",
    },
    "shadowed": {
        "en": "shadowed by {by}, which wins for this exclusive type (more specific, later "
        "start, later recorded or greater id)",
        "de": "verdrängt durch {by}, das bei diesem exklusiven Typ Vorrang hat (spezifischer, "
        "späterer Beginn, später erfasst oder größere Kennung)",
    },
    "outside_interval": {
        "en": "not in force on these days",
        "de": "an diesen Tagen nicht in Kraft",
    },
    "recorded_late": {
        "en": "not yet counted: the type is not retroactive and was recorded on {recorded}",
        "de": "noch nicht gezählt: der Typ wirkt nicht rückwirkend und wurde am {recorded} erfasst",
    },
    "other_workload": {
        "en": "for workload {workload}, not this line's",
        "de": "für Workload {workload}, nicht den dieser Zeile",
    },
    "type_not_declared": {
        "en": "its type is not declared in the rules, so it links nobody",
        "de": "sein Typ ist in den Regeln nicht deklariert und verknüpft daher niemanden",
    },
    "removal": {
        "en": "removes the partner of record",
        "de": "entfernt den Digital Partner of Record",
    },
    "overtaken": {
        "en": "replaced by a later event of the same day",
        "de": "durch ein späteres Ereignis desselben Tages ersetzt",
    },
    "partner_credit": {
        "en": "{partner_id}: {days} of {days_in_period} days as {type}: {credit_usd} USD, "
        "{seat_credit} seats",
        "de": "{partner_id}: {days} von {days_in_period} Tagen als {type}: {credit_usd} USD, "
        "{seat_credit} Lizenzen",
    },
    "uncredited": {
        "en": "{days} days credited to nobody ({reason}): {uncredited_usd} USD",
        "de": "{days} Tage niemandem angerechnet ({reason}): {uncredited_usd} USD",
    },
}

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(code: str, params: Mapping[str, object], language: Language = "en") -> str:
    """The text of a message in a language, with its parameters filled in."""
    template = (CATALOG.get(code) or EXPLANATIONS[code])[language]
    return PLACEHOLDER.sub(lambda match: _text(params.get(match.group(1))), template)


def _text(value: object) -> str:
    return "" if value is None else str(value)
