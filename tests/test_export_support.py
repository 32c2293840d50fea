"""Support for the decision and export tests (no tests here): a fresh store and articles in it."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import sqlite_utils

from crawler.store import open_db
from crawler.store.articles import NewArticle, save_article

_counter = iter(range(1, 1_000_000))


def fresh_db(tmp_path: Path) -> sqlite_utils.Database:
    return open_db(tmp_path / "crawler.db")


def add_article(db: sqlite_utils.Database, **fields: Any) -> int:
    """Store an article; unspecified fields get plausible values (a candidate under 'Политзаключенные')."""
    n = next(_counter)
    values: dict[str, Any] = {
        "key": f"test:{n}",
        "url": f"https://vlast.kz/novosti/{n}-test.html",
        "outlet": "vlast",
        "title": f"Статья номер {n}",
        "author": "Тамара Вааль",
        "published": "2025-11-12T14:05:00+05:00",
        "text": "Первый абзац.\n\nВторой абзац.",
        "rubric": "Политзаключенные",
        "score": 3.0,
    }
    values.update(fields)
    article_id = save_article(db, NewArticle(**values))
    assert article_id is not None
    return article_id
