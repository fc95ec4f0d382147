"""Every text shown to people exists in English and German with the same parameters."""

from __future__ import annotations

import pytest

from partnercredit.messages import CATALOG, EXPLANATIONS, LANGUAGES, PLACEHOLDER, Language, render

TEXTS = {**CATALOG, **EXPLANATIONS}


def test_the_two_catalogs_share_no_code() -> None:
    assert not set(CATALOG) & set(EXPLANATIONS)


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
