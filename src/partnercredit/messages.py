"""Texts shown to people, as codes with parameters, in English and German.

The core attaches a message code to every rejection and explanation step; a surface (CLI,
dashboard, output file) renders it with `render` in the reader's language. Parameters are
named in braces. For rejections they are the rejected row's own columns: {column}, {value},
{key}.
"""

from __future__ import annotations

import re
from collections import ChainMap
from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from typing import Literal

from partnercredit.errors import UsageError

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
        "before and 24 after the decimal point.",
        "de": '{column} "{value}" hat mehr Stellen als exakt berechnet werden: höchstens 12 '
        "vor und 24 nach dem Dezimalpunkt.",
    },
    "bad_value.rate_digits": {
        "en": '{column} "{value}" has more digits than are computed exactly: at most 4 '
        "before and 24 after the decimal point.",
        "de": '{column} "{value}" hat mehr Stellen als exakt berechnet werden: höchstens 4 '
        "vor und 24 nach dem Dezimalpunkt.",
    },
    "bad_value.rate": {
        "en": '{column} must be greater than zero, not "{value}".',
        "de": '{column} muss größer als null sein, nicht "{value}".',
    },
    "bad_value.quantity": {
        "en": '{column} must be a whole number of zero or more (at most 13 digits), not "{value}".',
        "de": '{column} muss eine ganze Zahl ab null sein (höchstens 13 Stellen), nicht "{value}".',
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
    "bad_value.amount_usd": {
        "en": '{column} "{value}" is worth 90 trillion USD or more at this period\'s exchange '
        "rate: more than is computed exactly.",
        "de": '{column} "{value}" entspricht zum Wechselkurs dieses Zeitraums 90 Billionen USD '
        "oder mehr: mehr als exakt berechnet wird.",
    },
}

EXPLANATIONS: dict[str, dict[Language, str]] = {
    "line_rejected": {
        "en": "line '{line_id}' was rejected (revenue row {row_number}): {reason}",
        "de": "Umsatzzeile '{line_id}' wurde abgelehnt (Datenzeile {row_number} der Umsätze): "
        "{reason}",
    },
    "line_not_in_run": {
        "en": "line '{line_id}' is not in this run",
        "de": "Umsatzzeile '{line_id}' ist nicht in diesem Lauf",
    },
    "partner_not_in_run": {
        "en": "partner '{partner_id}' is not in this run",
        "de": "Partner '{partner_id}' ist nicht in diesem Lauf",
    },
    "unknown_program": {
        "en": "the run's rules have no program '{program}'",
        "de": "Die Regeln des Laufs kennen kein Programm '{program}'",
    },
    "partner_rejected": {
        "en": "partner '{partner_id}' was rejected (partners row {row_number}): {reason}",
        "de": "Partner '{partner_id}' wurde abgelehnt (Datenzeile {row_number} der Partner): "
        "{reason}",
    },
    "line": {
        "en": "Line {line_id}: {product}, {period} ({days} days), subscription {subscription_id} "
        "of customer {customer_id}, category {category}",
        "de": "Umsatzzeile {line_id}: {product}, {period} ({days} Tage), Abonnement "
        "{subscription_id} von Kunde {customer_id}, Kategorie {category}",
    },
    "conversion": {
        "en": "{amount} {currency} at {rate} USD per {currency} = {amount_usd} USD (rounded "
        "half to even, to the cent)",
        "de": "{amount} {currency} zu {rate} USD je {currency} = {amount_usd} USD (auf den "
        "Cent gerundet, ein halber Cent zur geraden Ziffer)",
    },
    "usd": {
        "en": "{amount} USD, rounded to the cent: {amount_usd} USD",
        "de": "{amount} USD, auf den Cent gerundet: {amount_usd} USD",
    },
    "program": {
        "en": "Program {program}: {kind}, {credit}, {rollup}",
        "de": "Programm {program}: {kind}, {credit}, {rollup}",
    },
    "kind.attainment": {"en": "attainment of targets", "de": "Zielerreichung"},
    "kind.payout": {"en": "payouts", "de": "Auszahlungen"},
    "credit.full": {"en": "full credit", "de": "volle Anrechnung"},
    "credit.split": {"en": "split credit", "de": "geteilte Anrechnung"},
    "rollup.partner": {
        "en": "credited to the partner itself",
        "de": "Anrechnung beim Partner selbst",
    },
    "rollup.root": {
        "en": "credited to the partner's top parent",
        "de": "Anrechnung beim obersten übergeordneten Partner",
    },
    "proration_daily": {
        "en": "Daily proration: each day of the month counts on its own.",
        "de": "Tagesgenaue Aufteilung: jeder Tag des Monats zählt für sich.",
    },
    "proration_month_end": {
        "en": "Month-end proration: the last day of the month, {day}, decides for the whole month.",
        "de": "Aufteilung zum Monatsende: der letzte Tag des Monats, {day}, entscheidet für den "
        "ganzen Monat.",
    },
    "proration_any_day": {
        "en": "Any-day proration: a partner credited on any day of the month is credited for "
        "all of it, as the best type it had in the month.",
        "de": "Aufteilung nach beliebigem Tag: ein Partner, der an irgendeinem Tag des Monats "
        "angerechnet wird, wird für den ganzen Monat angerechnet, mit dem besten Typ, den er "
        "im Monat hatte.",
    },
    "category_excluded": {
        "en": "Subscriptions of category {category} earn no credit in this program.",
        "de": "Abonnements der Kategorie {category} erhalten in diesem Programm keine Anrechnung.",
    },
    "days": {
        "en": "{first_day} to {last_day}: {what}",
        "de": "{first_day} bis {last_day}: {what}",
    },
    "day": {
        "en": "{day}: {what}",
        "de": "{day}: {what}",
    },
    "policy": {
        "en": "the policy from {start} counts {types}",
        "de": "die Richtlinie ab {start} berücksichtigt {types}",
    },
    "policy_counts_nothing": {
        "en": "the policy from {start} counts no type",
        "de": "die Richtlinie ab {start} berücksichtigt keinen Typ",
    },
    "policy_none": {
        "en": "no policy is in force",
        "de": "keine Richtlinie in Kraft",
    },
    "link": {
        "en": "{source_table} {source_id}: {type}, {partner}, {scope}, {interval}",
        "de": "{source_table} {source_id}: {type}, {partner}, {scope}, {interval}",
    },
    "nobody": {"en": "nobody", "de": "niemand"},
    "credited_to": {
        "en": "{partner_id} (credited to {credited_as})",
        "de": "{partner_id} (angerechnet bei {credited_as})",
    },
    "scope.line": {"en": "line {id}", "de": "Umsatzzeile {id}"},
    "scope.subscription": {"en": "subscription {id}", "de": "Abonnement {id}"},
    "scope.customer": {"en": "customer {id}", "de": "Kunde {id}"},
    "scope_workload": {
        "en": "{scope}, workload {workload}",
        "de": "{scope}, Workload {workload}",
    },
    # As in the inputs, an end is the first day on which a link no longer holds.
    "interval": {
        "en": "{start} until {end} (exclusive)",
        "de": "{start} bis ausschließlich {end}",
    },
    "interval_open": {"en": "{start} until open end", "de": "ab {start}, unbefristet"},
    "interval_counted_from": {
        "en": "{start} until {end} (exclusive), counted from {counted_from} (not retroactive)",
        "de": "{start} bis ausschließlich {end}, gezählt ab {counted_from} (nicht rückwirkend)",
    },
    "interval_open_counted_from": {
        "en": "{start} until open end, counted from {counted_from} (not retroactive)",
        "de": "ab {start}, unbefristet, gezählt ab {counted_from} (nicht rückwirkend)",
    },
    "credited": {
        "en": "applied and credited",
        "de": "gilt und wird angerechnet",
    },
    "credited_as": {
        "en": "applied; the partner is credited once, as {type} (a lower precedence number)",
        "de": "gilt; der Partner wird nur einmal angerechnet, als {type} (kleinere Rangzahl)",
    },
    "credited_month_end": {
        "en": "applies on {day}, the day that decides the month, and is credited for the whole "
        "month",
        "de": "gilt am {day}, dem für den Monat entscheidenden Tag, und wird für den ganzen "
        "Monat angerechnet",
    },
    "credited_as_month_end": {
        "en": "applies on {day}, the day that decides the month; the partner is credited once "
        "for the whole month, as {type} (a lower precedence number)",
        "de": "gilt am {day}, dem für den Monat entscheidenden Tag; der Partner wird für den "
        "ganzen Monat nur einmal angerechnet, als {type} (kleinere Rangzahl)",
    },
    "not_deciding": {
        "en": "applies, but only the last day of the month, {day}, decides",
        "de": "gilt, aber nur der letzte Tag des Monats, {day}, entscheidet",
    },
    "credited_any_day": {
        "en": "applied on {days} days of the month, so credited for all of it",
        "de": "galt an {days} Tagen des Monats und wird daher für den ganzen Monat angerechnet",
    },
    "credited_any_day.one": {
        "en": "applied on 1 day of the month, so credited for all of it",
        "de": "galt an 1 Tag des Monats und wird daher für den ganzen Monat angerechnet",
    },
    "credited_as_any_day.one": {
        "en": "applied on 1 day of the month; the partner is credited once for all of it, as "
        "{type}, the best type it had in the month",
        "de": "galt an 1 Tag des Monats; der Partner wird für den ganzen Monat nur einmal "
        "angerechnet, als {type}, dem besten Typ, den er im Monat hatte",
    },
    "credited_as_any_day": {
        "en": "applied on {days} days of the month; the partner is credited once for all of "
        "it, as {type}, the best type it had in the month",
        "de": "galt an {days} Tagen des Monats; der Partner wird für den ganzen Monat nur "
        "einmal angerechnet, als {type}, dem besten Typ, den er im Monat hatte",
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
    # Shadowed by the winner of an exclusive type, by the first tie-break that tells the two
    # apart (SPEC 7.6).
    "shadowed_more_specific": {
        "en": "shadowed by {by}, which wins for this exclusive type: it is more specific",
        "de": "verdrängt durch {by}, das bei diesem exklusiven Typ Vorrang hat, weil es "
        "spezifischer ist",
    },
    "shadowed_later_start": {
        "en": "shadowed by {by}, which wins for this exclusive type: it counts from a later "
        "day, {start}",
        "de": "verdrängt durch {by}, das bei diesem exklusiven Typ Vorrang hat, weil es ab "
        "einem späteren Tag gezählt wird: ab {start}",
    },
    "shadowed_later_recorded": {
        "en": "shadowed by {by}, which wins for this exclusive type: it was recorded later "
        "({recorded})",
        "de": "verdrängt durch {by}, das bei diesem exklusiven Typ Vorrang hat, weil es später "
        "erfasst wurde ({recorded})",
    },
    "shadowed_greater_id": {
        "en": "shadowed by {by}, which wins for this exclusive type: its id is greater "
        "(compared as text)",
        "de": "verdrängt durch {by}, das bei diesem exklusiven Typ Vorrang hat, weil seine "
        "Kennung größer ist (als Text verglichen)",
    },
    "shadowed_later_table": {
        "en": "shadowed by {by} of {table}, which wins for this exclusive type: the ids are "
        "the same and its table's name sorts later",
        "de": "verdrängt durch {by} aus {table}, das bei diesem exklusiven Typ Vorrang hat, "
        "weil die Kennungen gleich sind und der Name seiner Tabelle später einsortiert wird",
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
        "en": "ends the subscription's {type}",
        "de": "beendet {type} für das Abonnement",
    },
    "removal_of_workload": {
        "en": "ends the {type} for workload {workload} (not the subscription's)",
        "de": "beendet {type} für Workload {workload} (nicht für das Abonnement)",
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
    "organisation_credit": {
        "en": "{partner_id} is credited as part of {organisation}; the credit of {organisation} "
        "below comes from the links of all its locations",
        "de": "{partner_id} wird als Teil von {organisation} angerechnet; die Anrechnung von "
        "{organisation} unten stammt aus den Zuordnungen aller seiner Standorte",
    },
    "split_days": {
        "en": "Split credit: each day is shared equally by the partners credited on it.",
        "de": "Geteilte Anrechnung: jeder Tag wird zu gleichen Teilen unter den an diesem Tag "
        "angerechneten Partnern aufgeteilt.",
    },
    "split_partners": {
        "en": "{partners} partners credited, each {part} of the amount a day",
        "de": "{partners} Partner angerechnet, je Partner und Tag {part} des Betrags",
    },
    "split_one_partner": {
        "en": "1 partner credited, {part} of the amount a day",
        "de": "1 Partner angerechnet, je Tag {part} des Betrags",
    },
    "split_share": {
        "en": "share of the amount: {terms}; {amount_usd} USD × {share} = {credit_usd} USD "
        "(rounded half to even)",
        "de": "Anteil am Betrag: {terms}; {amount_usd} USD × {share} = {credit_usd} USD "
        "(gerundet, ein halber Cent zur geraden Ziffer)",
    },
    "split_share_seats": {
        "en": "{quantity} seats × {share} = {seat_credit} seats",
        "de": "{quantity} Lizenzen × {share} = {seat_credit} Lizenzen",
    },
    "partner_not_credited": {
        "en": "{partner_id} has no credit on this line in this program (only {partner_id} was "
        "asked about: the credit of other partners is not shown)",
        "de": "{partner_id} erhält in diesem Programm keine Anrechnung für diese Zeile (gefragt "
        "wurde nur nach {partner_id}: die Anrechnung anderer Partner wird nicht gezeigt)",
    },
    "partner_not_linked": {
        "en": "{partner_id} has no association with this line",
        "de": "{partner_id} hat keine Zuordnung zu dieser Zeile",
    },
    "uncredited": {
        "en": "{days} days credited to nobody ({reason}): {uncredited_usd} USD",
        "de": "{days} Tage niemandem angerechnet ({reason}): {uncredited_usd} USD",
    },
    "uncredited.one": {
        "en": "1 day credited to nobody ({reason}): {uncredited_usd} USD",
        "de": "1 Tag niemandem angerechnet ({reason}): {uncredited_usd} USD",
    },
    "reason.excluded_category": {
        "en": "the category earns no credit",
        "de": "die Kategorie erhält keine Anrechnung",
    },
    "reason.no_policy": {"en": "no policy in force", "de": "keine Richtlinie in Kraft"},
    "reason.no_association": {"en": "no association applies", "de": "keine Zuordnung gilt"},
    "reason.type_not_counted": {
        "en": "the policy counts none of the associations that apply",
        "de": "die Richtlinie berücksichtigt keine der geltenden Zuordnungen",
    },
}

STATEMENT: dict[str, dict[Language, str]] = {
    "statement.partner_not_in_run": {
        "en": "partner '{partner_id}' is not in this run",
        "de": "Partner '{partner_id}' ist nicht in diesem Lauf",
    },
    "statement.partner_rejected": {
        "en": "partner '{partner_id}' was rejected (partners row {row_number}): {reason}",
        "de": "Partner '{partner_id}' wurde abgelehnt (Datenzeile {row_number} der Partner): "
        "{reason}",
    },
    "statement.as_of_not_a_period": {
        "en": "--as-of: expected a period YYYY-MM, not {value}",
        "de": "--as-of: erwartet wird ein Monat der Form JJJJ-MM, nicht {value}",
    },
    "statement.as_of_outside": {
        "en": "--as-of {as_of}: outside the run's revenue periods {first} to {last}",
        "de": "--as-of {as_of}: außerhalb der Umsatzmonate des Laufs, {first} bis {last}",
    },
    "statement.no_revenue": {
        "en": "{folder}: the run has no revenue",
        "de": "{folder}: Der Lauf enthält keine Umsätze",
    },
    "statement.partner": {"en": "Partner {partner}", "de": "Partner {partner}"},
    "statement.location": {
        "en": "Partner {partner}, a location of {organisation}",
        "de": "Partner {partner}, ein Standort von {organisation}",
    },
    "statement.window": {
        "en": "As of {as_of}; credit and payouts of {first} to {last}",
        "de": "Stand {as_of}; Anrechnung und Auszahlungen von {first} bis {last}",
    },
    "statement.before_data": {
        "en": "The run's revenue starts in {data_from}: earlier months count as months without "
        "credit, so a window reaching back before it shows less, and every customer of the "
        "first months counts as new.",
        "de": "Die Umsätze des Laufs beginnen {data_from}: frühere Monate zählen als Monate ohne "
        "Anrechnung; ein Zeitraum, der davor beginnt, zeigt daher weniger, und jeder Kunde der "
        "ersten Monate zählt als neu.",
    },
    "statement.credit": {
        "en": "Credit by area and association type",
        "de": "Anrechnung nach Bereich und Zuordnungstyp",
    },
    "statement.program": {"en": "program", "de": "Programm"},
    "statement.area": {"en": "area", "de": "Bereich"},
    "statement.no_area": {"en": "(no area)", "de": "(kein Bereich)"},
    "statement.type": {"en": "type", "de": "Zuordnungstyp"},
    "statement.credit_usd": {"en": "credit USD", "de": "Anrechnung USD"},
    "statement.seat_credit": {"en": "seat credit", "de": "Angerechnete Lizenzen"},
    "statement.lines": {"en": "lines", "de": "Umsatzzeilen"},
    "statement.credited_to_root": {
        "en": "{programs}: the credit goes to the organisation {organisation} and is on "
        "{organisation}'s statement.",
        "de": "{programs}: Die Anrechnung erhält die Organisation {organisation}; sie steht in "
        "der Aufstellung von {organisation}.",
    },
    "statement.targets": {"en": "Targets", "de": "Ziele"},
    "statement.target_window": {
        "en": "target, window / requirement",
        "de": "Ziel, Zeitraum / Anforderung",
    },
    "statement.target": {"en": "{target}, {start} to {end}", "de": "{target}, {start} bis {end}"},
    "statement.value": {"en": "value", "de": "Wert"},
    "statement.requirement.revenue_usd": {"en": "revenue USD", "de": "Umsatz USD"},
    "statement.requirement.seats": {"en": "seats in {as_of}", "de": "Lizenzen im Monat {as_of}"},
    "statement.requirement.customers": {"en": "customers", "de": "Kunden"},
    "statement.requirement.new_customers": {
        "en": "new customers (no credit above zero in the window before)",
        "de": "Neukunden (im Zeitraum davor keine Anrechnung über null)",
    },
    "statement.minimum": {"en": "minimum", "de": "Mindestwert"},
    "statement.gap": {"en": "gap", "de": "Abstand"},
    "statement.attained": {"en": "attained", "de": "Erreicht"},
    "statement.yes": {"en": "yes", "de": "ja"},
    "statement.no": {"en": "no", "de": "nein"},
    "statement.judged_on_organisation": {
        "en": "{target}: judged on its organisation {organisation}.",
        "de": "{target}: bewertet nach dem Stand der Organisation {organisation}.",
    },
    "statement.payouts": {"en": "Payouts", "de": "Auszahlungen"},
    "statement.period": {"en": "period", "de": "Monat"},
    "statement.eligible_usd": {"en": "eligible USD", "de": "Bemessungsgrundlage USD"},
    "statement.rate": {"en": "rate", "de": "Satz"},
    "statement.earned_usd": {"en": "earned USD", "de": "Verdient USD"},
    "statement.blocked_by": {
        "en": "blocked: requires one of",
        "de": "Gesperrt: erfordert eines von",
    },
    "statement.no_credit": {
        "en": "No credit in these months.",
        "de": "Keine Anrechnung in diesen Monaten.",
    },
    "statement.no_targets": {"en": "No targets.", "de": "Keine Ziele."},
    "statement.no_payouts": {
        "en": "No payouts in these months.",
        "de": "Keine Auszahlungen in diesen Monaten.",
    },
    "period_label": {"en": "{period} (FY{year})", "de": "{period} (GJ {year})"},
}

SUMMARY: dict[str, dict[Language, str]] = {
    "summary.input_rows": {"en": "Input rows", "de": "Eingabezeilen"},
    "summary.table": {"en": "table", "de": "Tabelle"},
    "summary.read": {"en": "read", "de": "Gelesen"},
    "summary.accepted": {"en": "accepted", "de": "Angenommen"},
    "summary.rejected": {"en": "rejected", "de": "Abgelehnt"},
    "summary.collapsed": {"en": "collapsed", "de": "Zusammengefasst"},
    "summary.rejected_by_reason": {
        "en": "Rejected rows by reason",
        "de": "Abgelehnte Zeilen nach Grund",
    },
    "summary.reason": {"en": "reason", "de": "Grund"},
    "summary.rows": {"en": "rows", "de": "Zeilen"},
    "summary.first_rejections": {
        "en": "First rejections of each reason:",
        "de": "Erste Ablehnungen je Grund:",
    },
    "summary.rejection": {
        "en": "{reason}: {table} row {row}",
        "de": "{reason}: {table} Datenzeile {row}",
    },
    "summary.none_rejected": {"en": "No rows were rejected.", "de": "Keine Zeile wurde abgelehnt."},
    "summary.output_rows": {"en": "Output rows", "de": "Ausgabezeilen"},
    "summary.periods": {
        "en": "Revenue periods: {first} to {last}",
        "de": "Umsatzmonate: {first} bis {last}",
    },
    "summary.credit": {"en": "Credit by program", "de": "Anrechnung nach Programm"},
    "summary.full_credit": {
        "en": "Under full credit every credited partner counts a line whole, so a program's "
        "credit may exceed its revenue.",
        "de": "Bei voller Anrechnung zählt jeder angerechnete Partner eine Zeile ganz; die "
        "Anrechnung eines Programms kann daher seinen Umsatz übersteigen.",
    },
    "summary.program": {"en": "program", "de": "Programm"},
    "summary.revenue_usd": {"en": "revenue USD", "de": "Umsatz USD"},
    "summary.credited_usd": {"en": "credited USD", "de": "Angerechnet USD"},
    "summary.not_credited_usd": {"en": "not credited USD", "de": "Nicht angerechnet USD"},
    "summary.partners": {"en": "partners", "de": "Partner"},
    "summary.uncredited": {
        "en": "Revenue credited to nobody, by reason",
        "de": "Niemandem angerechneter Umsatz nach Grund",
    },
    "summary.usd": {"en": "USD", "de": "USD"},
    "summary.attaining": {
        "en": "Partners attaining each target as of {as_of}",
        "de": "Partner, die das jeweilige Ziel erreichen, Stand {as_of}",
    },
    "summary.target": {"en": "target", "de": "Ziel"},
    "summary.payouts": {"en": "Payouts", "de": "Auszahlungen"},
    "summary.eligible_usd": {"en": "eligible USD", "de": "Bemessungsgrundlage USD"},
    "summary.blocked_usd": {"en": "of it blocked", "de": "Davon gesperrt"},
    "summary.earned_usd": {"en": "earned USD", "de": "Verdient USD"},
    "summary.published": {
        "en": "Run {run_id} published to {folder}",
        "de": "Lauf {run_id} veröffentlicht in {folder}",
    },
}

PHASES: dict[str, dict[Language, str]] = {
    "phase.starting": {"en": "starting", "de": "Wird gestartet"},
    "phase.generating": {
        "en": "generating {subscriptions} subscriptions",
        "de": "{subscriptions} Abonnements werden erzeugt",
    },
    "phase.reading": {
        "en": "reading and checking inputs",
        "de": "Eingaben werden gelesen und geprüft",
    },
    "phase.keeping": {
        "en": "keeping the accepted inputs",
        "de": "Angenommene Eingaben werden gespeichert",
    },
    "phase.crediting": {
        "en": "crediting partners",
        "de": "Umsätze werden den Partnern angerechnet",
    },
    "phase.writing": {"en": "writing {table}", "de": "Tabelle {table} wird geschrieben"},
    "phase.targets": {
        "en": "measuring targets and payouts",
        "de": "Ziele und Auszahlungen werden ermittelt",
    },
    "demo.folders": {"en": "Data: {data}    Run: {run}", "de": "Daten: {data}    Lauf: {run}"},
    "demo.try": {"en": "Try:", "de": "Zum Ausprobieren:"},
}
"""The progress of a long command and the demo's closing lines."""

TEXTS: Mapping[str, dict[Language, str]] = ChainMap(
    CATALOG, EXPLANATIONS, STATEMENT, SUMMARY, PHASES
)
"""Every text by its code."""

PLACEHOLDER = re.compile(r"\{(\w+)\}")


def render(code: str, params: Mapping[str, object], language: Language = "en") -> str:
    """The text of a message in a language, with its parameters filled in; a code may have
    a `.one` form for a count of `days` of 1 (singular)."""
    if str(params.get("days")) == "1" and f"{code}.one" in TEXTS:
        code = f"{code}.one"
    template = TEXTS[code][language]
    return PLACEHOLDER.sub(lambda match: _text(params.get(match.group(1)), language), template)


def _text(value: object, language: Language) -> str:
    if value is None:
        return ""
    if isinstance(value, Decimal):
        return number(value, language)
    return str(value)


def number(value: Decimal | int, language: Language) -> str:
    """A number with its thousands grouped as the language writes them: 1,234.56 or 1.234,56;
    in decimal notation, never with an exponent (a rate of 5E+3 reads 5,000)."""
    text = format(value, ",f") if isinstance(value, Decimal) else f"{value:,}"
    return text.translate(_GERMAN_SEPARATORS) if language == "de" else text


_GERMAN_SEPARATORS = str.maketrans(",.", ".,")


@dataclass(frozen=True)
class Message:
    code: str
    params: dict[str, str]


@dataclass(frozen=True)
class Phase:
    """The phase a long command enters, as a message code with parameters, so that any
    surface can show it in its language; `str()` gives the English text."""

    code: str
    params: Mapping[str, object] = field(default_factory=dict, hash=False)

    def text(self, language: Language = "en") -> str:
        return render(self.code, self.params, language)

    def __str__(self) -> str:
        return self.text()


class Refused(UsageError):
    """What a reader of a run will not answer (a line or partner not in the run, a program
    the rules lack), as a message in any language: `code` with `params`, and for a rejected
    row that row's rejection as `reason`."""

    def __init__(self, code: str, params: dict[str, object], reason: Message | None = None) -> None:
        self.code, self.params, self.reason = code, params, reason
        super().__init__(self.render("en"))

    def __reduce__(self) -> tuple[type[Refused], tuple[object, ...]]:
        return type(self), (self.code, self.params, self.reason)

    def render(self, language: Language) -> str:
        params = dict(self.params)
        if self.reason is not None:
            params["reason"] = render(self.reason.code, self.reason.params, language)
        return render(self.code, params, language)
