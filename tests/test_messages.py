"""Every text shown to people exists in English and German with the same parameters."""

from __future__ import annotations

import pytest

from partnercredit.messages import CATALOG, EXPLANATIONS, LANGUAGES, PLACEHOLDER

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
