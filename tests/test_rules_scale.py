"""The rules engine on long and repetitive texts: the same answers as a plain reading of the grammar,
a bounded list of matches with the full count kept, and linear work (no timing here: `make bench`)."""

from __future__ import annotations

import random
from pathlib import Path

import pytest

from crawler.rules import load_rules
from crawler.rules.engine import MAX_MATCHES

RULES = """\
rubric: Суд
order: 1
threshold: 3
terms:
  - near: [приговор*, активист*]
    within: 3
    weight: 4
  - near: ["лишени* свобод*", суд]
    within: 2
    weight: 2
  - "лишени* свобод*": 1
  - all:
      - any: [блогер*, журналист*]
      - any: [осужд*]
    none: [футбол*]
    weight: 2
"""
GLOBAL = "settings:\n  title_weight: 2\n  threshold: 3\n"
WORDS = ["приговор", "активиста", "суд", "лишение", "свободы", "блогер", "осужден", "дождь", "и", "в"]


@pytest.fixture(scope="module")
def rules(tmp_path_factory: pytest.TempPathFactory):
    folder: Path = tmp_path_factory.mktemp("rules")
    (folder / "_global.yml").write_text(GLOBAL, encoding="utf-8")
    (folder / "01.yml").write_text(RULES, encoding="utf-8")
    return load_rules(folder)


def _naive_near(words: list[str], first: str, second: str, within: int) -> list[tuple[int, int]]:
    """The grammar read literally: for each occurrence of ``first``, the closest ``second`` (the earlier
    one on a tie) at most ``within`` words away; the span covers both."""
    firsts = [i for i, w in enumerate(words) if w.startswith(first)]
    seconds = [i for i, w in enumerate(words) if w.startswith(second)]
    spans = []
    for a in firsts:
        close = [p for p in seconds if abs(p - a) <= within]
        if close:
            best = min(close, key=lambda p: (abs(p - a), p))
            spans.append((min(a, best), max(a, best)))
    return spans


def test_near_finds_what_the_grammar_says_on_random_texts(rules) -> None:
    generator = random.Random(7)
    for _ in range(40):
        words = [generator.choice(WORDS) for _ in range(generator.randint(5, 400))]
        text = " ".join(words)
        starts = [0]
        for word in words[:-1]:
            starts.append(starts[-1] + len(word) + 1)
        expected = {
            (starts[lo], starts[hi] + len(words[hi])) for lo, hi in _naive_near(words, "приговор", "активист", 3)
        }
        result = rules.classify("", text, max_matches=10_000)
        found = {(m["start"], m["end"]) for m in result.matches if m["term"] == "приговор* ~3 активист*"}
        assert found == expected


def test_a_page_repeating_terms_keeps_a_bounded_list_and_the_full_count(rules) -> None:
    text = "приговор активист " * 20_000
    result = rules.classify("", text)
    assert result.rubric == "Суд"
    assert len(result.matches) == MAX_MATCHES
    assert result.match_count == 20_000  # one near match per repetition
    assert result.matches[0]["start"] == 0 and result.matches[-1]["start"] < len(text)
    assert rules.classify("", text, max_matches=3).matches == result.matches[:3]


def test_score_does_not_depend_on_how_many_matches_are_kept(rules) -> None:
    title = "Блогер осужден"
    text = "Суд приговорил активиста к лишению свободы. " * 300 + "Блогер осужден, журналист тоже."
    full = rules.classify(title, text, max_matches=100_000)
    few = rules.classify(title, text, max_matches=2)
    assert (few.rubric, few.score, few.rubrics) == (full.rubric, full.score, full.rubrics)
    assert few.match_count == full.match_count == len(full.matches)
    assert len(few.matches) == 2 and few.matches == full.matches[:2]
    assert few.matches[0]["field"] == "title"


def test_the_token_cache_is_dropped_between_fields_never_in_the_middle_of_one(rules, monkeypatch) -> None:
    """Each article brings unseen names and numbers; when the cache fills up, classifying goes on
    (it once failed with a KeyError after some 30,000 such articles)."""
    from crawler.rules import engine

    monkeypatch.setattr(engine, "TOKEN_CACHE_LIMIT", 50)
    expected = rules.classify("", "Суд вынес приговор активисту.")
    for n in range(20):
        text = " ".join(f"Имя{n}x{k}" for k in range(30)) + " Суд вынес приговор активисту."
        result = rules.classify("", text)
        assert (result.rubric, result.score) == (expected.rubric, expected.score)
        assert len(rules._cache) <= 50 + 40
