"""Every text shown to people exists in English and German with the same parameters."""

from __future__ import annotations

import pickle
from decimal import Decimal

import pytest

from partnercredit.messages import (
    CATALOG,
    EXPLANATIONS,
    LANGUAGES,
    PHASES,
    PLACEHOLDER,
    STATEMENT,
    SUMMARY,
    TEXTS,
    Language,
    Message,
    Phase,
    Refused,
    number,
    render,
)


def test_the_catalogs_share_no_code() -> None:
    codes = [*CATALOG, *EXPLANATIONS, *STATEMENT, *SUMMARY, *PHASES]
    assert len(codes) == len(set(codes)) == len(TEXTS)


@pytest.mark.parametrize("code", sorted(TEXTS))
def test_every_language_has_the_text_with_the_same_parameters(code: str) -> None:
    texts = TEXTS[code]
    assert set(texts) == set(LANGUAGES)
    parameters = {language: set(PLACEHOLDER.findall(texts[language])) for language in LANGUAGES}
    assert all(texts.values())
    assert parameters["de"] == parameters["en"]


@pytest.mark.parametrize(
    ("days", "language", "text"),
    [
        (1, "en", "1 day credited to nobody (r): 1.00 USD"),
        (1, "de", "1 Tag niemandem angerechnet (r): 1.00 USD"),
        (2, "en", "2 days credited to nobody (r): 1.00 USD"),
        (2, "de", "2 Tage niemandem angerechnet (r): 1.00 USD"),
    ],
)
def test_one_day_is_singular(days: int, language: Language, text: str) -> None:
    assert (
        render("uncredited", {"days": days, "reason": "r", "uncredited_usd": "1.00"}, language)
        == text
    )


@pytest.mark.parametrize(
    ("value", "english", "german"),
    [
        (Decimal("1234567.8"), "1,234,567.8", "1.234.567,8"),
        (Decimal("-0.05"), "-0.05", "-0,05"),
        (Decimal("999.00"), "999.00", "999,00"),
        (12000, "12,000", "12.000"),
    ],
)
def test_numbers_are_grouped_as_each_language_writes_them(
    value: Decimal | int, english: str, german: str
) -> None:
    assert (number(value, "en"), number(value, "de")) == (english, german)


def test_a_refusal_survives_pickling() -> None:
    """As an exception raised in another process (a pool's worker) would."""
    refused = Refused("line_rejected", {"line_id": "L1", "row_number": 2}, Message("malformed", {}))
    again = pickle.loads(pickle.dumps(refused))
    assert (again.code, again.params, again.reason, str(again)) == (
        refused.code,
        refused.params,
        refused.reason,
        str(refused),
    )


def test_a_phase_reads_in_either_language_and_as_text_in_english() -> None:
    phase = Phase("phase.generating", {"subscriptions": Decimal(100000)})
    assert phase.text("de") == "100.000 Abonnements werden erzeugt"
    assert str(phase) == phase.text("en") == "generating 100,000 subscriptions"
    assert len({phase, Phase("phase.generating", {"subscriptions": Decimal(100000)})}) == 1
