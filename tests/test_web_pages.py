"""The review queue a page at a time, and filter lists read from indexes: a large store stays usable."""

from __future__ import annotations

import re
from pathlib import Path

from crawler.store import open_db
from crawler.store.review import PAGE_SIZE, facets
from tests.test_web_support import add_article, login, make_app

EXTRA = 2 * PAGE_SIZE + 30  # candidates added to the seeded queue: three pages


def card_ids(html: str) -> list[str]:
    return re.findall(r'<article[^>]* id="(a\d+)"', html)


def test_the_queue_is_paginated_in_queue_order(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    db = open_db(app.config["DB_PATH"])
    for n in range(EXTRA):  # scores 1.000 .. 1.259: every extra card sorts after the seeded ones
        add_article(db, 100 + n, score=1.0 + n / 1000, outlet="bureau", url=f"https://bureau.kz/{n}/")
    total = db.execute("SELECT count(*) FROM articles WHERE status = 'candidate'").fetchone()[0]
    db.close()
    client = app.test_client()
    login(client)

    first = client.get("/").get_data(as_text=True)
    assert f"Кандидаты: {total}" in first or f": {total}</small>" in first
    assert "страница 1 из 3" in first and 'rel="next"' in first and 'rel="prev"' not in first
    seen = card_ids(first)
    assert len(seen) == PAGE_SIZE
    second = client.get("/?page=2").get_data(as_text=True)
    assert "страница 2 из 3" in second and 'rel="prev"' in second
    last = client.get("/?page=3").get_data(as_text=True)
    assert 'rel="next"' not in last
    pages = [seen, card_ids(second), card_ids(last)]
    everything = [card for page in pages for card in page]
    assert len(everything) == len(set(everything)) == total  # every candidate once, on exactly one page
    assert "a1" in pages[0] and "a7" in pages[-1]  # best score first, the lowest (the first extra) last
    # a filter is kept across pages; a page past the end or not a number is clamped
    assert "page=2" in first and "outlet=bureau" in client.get("/?outlet=bureau").get_data(as_text=True)
    assert "страница 3 из 3" in client.get("/?page=999999999999").get_data(as_text=True)
    assert "страница 1 из 3" in client.get("/?page=abc").get_data(as_text=True)
    assert len(card_ids(client.get("/?outlet=bureau&page=3").get_data(as_text=True))) == EXTRA - 2 * PAGE_SIZE
    filtered = client.get("/?outlet=bureau&page=2").get_data(as_text=True)
    assert "outlet=bureau" in re.search(r'<a rel="next" href="([^"]+)"', filtered).group(1)


def test_filter_lists_are_what_the_store_holds(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    db = open_db(app.config["DB_PATH"])
    add_article(db, 50, outlet="bureau", lang="kk", rubric="Пытки", url="https://bureau.kz/50/")
    db.execute("UPDATE articles SET approved_rubric = 'Прогресс?', status = 'approved' WHERE key = 'test:2'")
    db.conn.commit()
    values = facets(db)
    db.close()
    assert values["outlets"] == ["azattyq", "bureau", "orda", "vlast"]
    assert values["langs"] == ["kk", "ru"]
    assert values["rubrics"] == sorted(["Политзаключенные", "Право на свободу мирных собраний", "Пытки", "Прогресс?"])
