"""Support for the review-page tests (no tests here): a store with candidates, an account, a client."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import sqlite_utils
from flask import Flask
from flask.testing import FlaskClient

from crawler.store import open_db, users
from crawler.store.articles import NewArticle, save_article
from crawler.web import create_app

PASSWORD = "correct horse battery"
SCRIPT_TITLE = "<script>window.__pwned = 1</script> Суд над блогером"
ONERROR_TEXT = 'Суд приговорил блогера. "><img src=x onerror="window.__pwned=2"> Адвокат обжалует приговор.'
TERM = "приговор"


def matches_for(title: str, text: str, rubric: str, term: str = TERM) -> list[dict[str, Any]]:
    """Match objects as the rules store them: every occurrence of ``term`` in title and text."""
    found = []
    for field, value in (("title", title), ("text", text)):
        for m in re.finditer(re.escape(term), value, flags=re.IGNORECASE):
            found.append({"term": term, "field": field, "start": m.start(), "end": m.end(), "rubric": rubric})
    return found


def add_article(db: sqlite_utils.Database, n: int, **fields: Any) -> int:
    """A candidate (by default under 'Политзаключенные', outlet vlast) with matches computed from its text."""
    values: dict[str, Any] = {
        "key": f"test:{n}",
        "url": f"https://vlast.kz/novosti/{n}-test.html",
        "outlet": "vlast",
        "title": f"Блогеру вынесли приговор, дело {n}",
        "author": "Тамара Вааль",
        "published": "2025-11-12T14:05:00+05:00",
        "lang": "ru",
        "text": f"Суд вынес приговор по делу {n}.\nАдвокат обжалует приговор.\nТретья строка.",
        "rubric": "Политзаключенные",
        "score": 3.0,
        "html": b"<html><body><h1>page</h1><script>alert(1)</script></body></html>",
        "http_status": 200,
        "encoding": "utf-8",
    }
    values.update(fields)
    values["classified"] = True
    if "matches" not in fields and values["rubric"]:
        values["matches"] = matches_for(values["title"] or "", values["text"], values["rubric"])
    article_id = save_article(db, NewArticle(**values))
    assert article_id is not None
    return article_id


def seed(db: sqlite_utils.Database) -> dict[str, int]:
    """A small queue: candidates in two rubrics, a reprint, an ignored item, a hostile article."""
    ids = {
        "best": add_article(db, 1, score=9.0),
        "second": add_article(db, 2, score=5.0, outlet="azattyq", url="https://rus.azattyq.org/a/2.html"),
        "rally": add_article(
            db,
            3,
            title="Митинг матерей солдат",
            text="Матери вышли на митинг у министерства.",
            rubric="Право на свободу мирных собраний",
            score=4.0,
            matches=[
                {
                    "term": "митинг",
                    "field": "text",
                    "start": 12,
                    "end": 18,
                    "rubric": "Право на свободу мирных собраний",
                }
            ],
        ),
        "ignored": add_article(
            db, 4, title="Погода в Алматы", text="Завтра снег и гололёд в Алматы.", rubric=None, score=None
        ),
        "hostile": add_article(
            db,
            5,
            title=SCRIPT_TITLE,
            text=ONERROR_TEXT,
            url="javascript:alert(document.cookie)",
            score=7.0,
            html=b'<html><body><script>parent.__pwned=3</script><img src=x onerror="parent.__pwned=4"></body></html>',
        ),
    }
    ids["reprint"] = add_article(db, 6, outlet="orda", url="https://orda.kz/reprint-6/", score=9.5)
    db.conn.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", [ids["best"], ids["reprint"]])
    db.conn.commit()
    return ids


def make_app(tmp_path: Path, *, accounts: tuple[str, ...] = ("anna", "boris")) -> tuple[Flask, dict[str, int]]:
    db_path = tmp_path / "crawler.db"
    db = open_db(db_path)
    ids = seed(db)
    for name in accounts:
        users.add_user(db, name, PASSWORD)
    db.close()
    return create_app(db_path, rules_dir="rules", secret_key="test-secret", testing=True), ids


def csrf_of(client: FlaskClient) -> str:
    """The session's CSRF token, read from a page's form."""
    page = client.get("/search").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match, "no csrf token on the page"
    return match.group(1)


def login(client: FlaskClient, name: str = "anna") -> str:
    """Log ``name`` in; returns the session's CSRF token."""
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    response = client.post("/login", data={"name": name, "password": PASSWORD, "csrf_token": token.group(1)})
    assert response.status_code == 302, response.get_data(as_text=True)
    return csrf_of(client)
