"""Word stems for search: Russian and English by Snowball (PyStemmer), Kazakh by suffix stripping.

Snowball has no Kazakh algorithm (``Stemmer.algorithms()`` lists none), so Kazakh words lose their
endings by a small documented rule instead (``kazakh_stem``): the plural, possessive and case endings
of nouns, longest first, at most three in a row, never leaving fewer than three letters (four for the
one-letter possessive ы/і); the bare one-letter endings а/е/н are left alone, because too many stems
end in them (Жаңаөзен). It is an approximation — no vowel-harmony analysis, no verbs — that covers the
word forms monitors search for: «Жаңаөзен» finds «Жаңаөзенде», «сот» finds «сотта».

The same function stems the stored text and the query, so both always agree. A word of an unknown
language (a query) gets every stem it could have; a document's word gets the stem of its language
(a Russian text's word with Kazakh letters gets both: «в Жаңаөзене»). Endings that follow a
possessive (ына, ында, ынан, …) are stripped together with it; a stem's final ғ/г/б voiced by the
ending goes back to қ/к/п."""

from __future__ import annotations

import re
from functools import cache, lru_cache

import Stemmer

WORD = re.compile(r"[^\W_]+")
KAZAKH_LETTERS = frozenset("әғқңөұүһі")
CYRILLIC = re.compile(r"[а-яёәғқңөұүһі]")
# Kazakh noun endings: plural, possessive, case (nominative has none). Variants by vowel harmony and
# by the preceding sound are all listed; the longest that fits is stripped first.
KAZAKH_SUFFIXES = tuple(
    sorted(
        {
            # plural
            *["лар", "лер", "дар", "дер", "тар", "тер"],
            # possessive (the one-letter ы/і of the third person after a consonant included)
            *["ымыз", "іміз", "мыз", "міз", "ыңыз", "іңіз", "ңыз", "ңіз", "ың", "ің", "ым", "ім", "сы", "сі", "ы", "і"],
            # genitive, accusative (ын/ін/сын/сін: after a possessive), dative, locative, ablative, instrumental
            *["ның", "нің", "дың", "дің", "тың", "тің", "ны", "ні", "ды", "ді", "ты", "ті", "ын", "ін", "сын", "сін"],
            *["ға", "ге", "қа", "ке", "ына", "іне", "сына", "сіне"],
            *["да", "де", "та", "те", "ында", "інде", "сында", "сінде"],
            *["дан", "ден", "тан", "тен", "ынан", "інен", "сынан", "сінен"],
            *["мен", "бен", "пен", "ымен", "імен"],
        },
        key=len,
        reverse=True,
    )
)
MIN_STEM = 3


@cache
def _snowball(language: str) -> Stemmer.Stemmer:
    return Stemmer.Stemmer(language)


def normalise(word: str) -> str:
    return word.lower().replace("ё", "е")


SOFTENED = {"ғ": "қ", "г": "к", "б": "п"}  # бостандығы → бостандық, кітабы → кітап


def kazakh_stem(word: str) -> str:
    """``word`` (normalised) without its Kazakh noun endings (see the module's note)."""
    original = word
    for _ in range(3):
        for suffix in KAZAKH_SUFFIXES:
            rest = len(word) - len(suffix)
            if word.endswith(suffix) and rest >= (MIN_STEM + 1 if len(suffix) == 1 else MIN_STEM):
                word = word[:rest]
                break
        else:
            break
    if word != original and word[-1] in SOFTENED:
        word = word[:-1] + SOFTENED[word[-1]]  # the ending had voiced the stem's last consonant
    return word


def russian_stem(word: str) -> str:
    return _snowball("russian").stemWord(word)


def english_stem(word: str) -> str:
    return _snowball("english").stemWord(word)


@lru_cache(maxsize=100_000)  # news vocabulary repeats: most words are stemmed once per process
def word_stems(word: str, lang: str | None = None) -> tuple[str, ...]:
    """The stems a word is indexed (``lang`` given) or searched (``lang`` None) under."""
    word = normalise(word)
    if not CYRILLIC.search(word):
        return (english_stem(word),) if word.isalpha() else (word,)
    kazakh = bool(KAZAKH_LETTERS.intersection(word))
    if lang == "kk":
        return (kazakh_stem(word),)
    if lang is None or kazakh:
        return tuple(dict.fromkeys((russian_stem(word), kazakh_stem(word))))
    return (russian_stem(word),)


def index_text(text: str | None, lang: str | None) -> str:
    """``text`` as the space-separated stems the search index stores."""
    return " ".join(stem for word in WORD.findall(text or "") for stem in word_stems(word, lang or "ru"))


def query_words(text: str) -> list[tuple[str, ...]]:
    """Each word of a query with the stems it may match (at most 20 words)."""
    return [word_stems(word) for word in WORD.findall(text)[:20]]
