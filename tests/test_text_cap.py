"""A page whose text is longer than ``max_text_chars`` is stored cut, and its history says so."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from crawler.store.articles import cap_text
from tests.conftest import run_crawler


def test_cap_text_cuts_at_a_space_and_says_how_much() -> None:
    text = "слово " * 100
    cut, note = cap_text(text, 50)
    assert len(cut) <= 50 and text.startswith(cut) and not cut.endswith(" ") and cut.endswith("слово")
    assert note == "text cut to 47 of 600 characters (setting max_text_chars)"
    assert cap_text(text, 600) == (text, None)


@pytest.mark.slow
def test_a_crawl_stores_long_texts_cut_with_a_note(tmp_path: Path) -> None:
    db = tmp_path / "cap.db"
    result = run_crawler(db, "run", "--replay", "--outlet", "bureau", CRAWLER_MAX_TEXT_CHARS="300")
    assert result.returncode == 0, result.stderr[-3000:]
    conn = sqlite3.connect(db)
    rows = conn.execute(
        "SELECT length(a.text), t.note FROM articles a JOIN transitions t ON t.article_id = a.id"
        " WHERE t.user = 'crawler' AND a.skip_reason IS NULL"
    ).fetchall()
    conn.close()
    assert rows and all(length <= 300 for length, _ in rows)
    cut = [note for _, note in rows if note and "text cut to" in note]
    assert cut and all("(setting max_text_chars)" in note for note in cut)
