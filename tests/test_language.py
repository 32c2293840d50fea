"""Kazakh vs Russian by letters; other languages by langdetect."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from crawler.language import KAZAKH_SHARE, detect_language

EXPECTED = json.loads(
    (Path(__file__).parent / "data" / "pages" / "expected.json").read_text(encoding="utf-8")
)

KAZAKH = (
    "Мәжіліс депутаттары сәрсенбі күні «ЛГБТ насихатына» тыйым салатын түзетулерді қабылдады. "
    "Құқық қорғау ұйымдары бұл заң адам құқықтарын бұзады деп есептейді."
)


def kazakh_share(text: str) -> float:
    cyrillic = [c for c in text if "\u0400" <= c <= "\u04ff"]
    return sum(c in "әғқңөұүһіӘҒҚҢӨҰҮҺІ" for c in cyrillic) / len(cyrillic)


def test_kazakh_text_is_kk() -> None:
    assert detect_language(KAZAKH) == "kk"


def test_kazakh_upper_case_is_kk() -> None:
    assert detect_language(KAZAKH.upper()) == "kk"


@pytest.mark.parametrize("outlet", sorted(EXPECTED))
def test_russian_articles_quoting_kazakh_names_are_ru(outlet: str) -> None:
    assert detect_language("\n\n".join(EXPECTED[outlet]["paragraphs"])) == "ru"


def test_russian_paragraph_with_a_kazakh_name_is_ru() -> None:
    paragraph = "дать разрешение для открытия фонда «Әділет сарбаздар»;"
    assert 0.04 < kazakh_share(paragraph) < KAZAKH_SHARE  # the worst case measured in the sample
    assert detect_language(paragraph) == "ru"


def test_threshold_sits_between_measured_shares() -> None:
    assert kazakh_share(KAZAKH) > 2 * KAZAKH_SHARE


def test_english_is_en() -> None:
    text = "Kazakhstan's parliament passed amendments banning what it calls LGBT propaganda on Wednesday."
    assert detect_language(text) == "en"


def test_english_with_a_russian_quote_is_still_en() -> None:
    text = "The court sentenced the blogger to four years. " * 5 + "«Мы не ожидали»"
    assert detect_language(text) == "en"


@pytest.mark.parametrize("text", ["", "   ", "12345 — 678", "…"])
def test_no_letters_is_none(text: str) -> None:
    assert detect_language(text) is None


def test_answer_is_repeatable() -> None:
    text = "Un texte court en français sur la liberté de la presse."
    assert len({detect_language(text) for _ in range(5)}) == 1
