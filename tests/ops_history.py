"""Fabricated run history for the operations tests: runs and articles written through the store
functions, then moved back in time, so health can be judged without crawling anything."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from typing import Any

import sqlite_utils

from crawler.store import runs
from crawler.store.articles import NewArticle, save_article

NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)
GOOD_TEXT = "Текст новости. " * 30
STRATEGIES = {
    "https://example.kz/feed/": {"kind": "feed", "ok": True, "status": 200, "links": 10, "problem": None},
    "https://example.kz/news/": {"kind": "listing", "ok": True, "status": 200, "links": 20, "problem": None},
}


def iso(moment: datetime) -> str:
    return moment.isoformat(timespec="seconds")


def add_run(
    db: sqlite_utils.Database,
    at: datetime,
    outlets: dict[str, dict[str, Any]],
    *,
    finished: bool = True,
    pid: int | None = None,
) -> int:
    """One pass at ``at``; ``outlets`` maps a name to overrides of a healthy outlet result."""
    run_id = runs.start_run(db, replay=False)
    for name, overrides in outlets.items():
        row_id = runs.start_outlet(db, run_id, name)
        result = {
            "counters": {"requests": 30, "article_requests": 3, "new_articles": 3, "candidates": 1, "errors": 0},
            "ok": True,
            "finish_reason": "finished",
            "strategies": STRATEGIES,
            "http_statuses": {"200": 30},
            **overrides,
        }
        runs.finish_outlet(db, row_id, **result)
    if finished:
        runs.finish_run(db, run_id, ok=all(o.get("ok", True) for o in outlets.values()))
    with db.conn:
        db.conn.execute(
            "UPDATE runs SET started_at = ?, finished_at = CASE WHEN finished_at IS NULL THEN NULL ELSE ? END,"
            " pid = ? WHERE id = ?",
            [iso(at), iso(at + timedelta(minutes=2)), pid, run_id],
        )
        db.conn.execute(
            "UPDATE run_outlets SET started_at = ?, finished_at = ? WHERE run_id = ?",
            [iso(at), iso(at + timedelta(minutes=2)), run_id],
        )
    return run_id


_counter = iter(range(1, 1_000_000))


def add_article(
    db: sqlite_utils.Database,
    outlet: str,
    at: datetime,
    *,
    published: bool = True,
    author: bool = True,
    text: str = GOOD_TEXT,
) -> int:
    number = next(_counter)
    article_id = save_article(
        db,
        NewArticle(
            key=f"{outlet}:{number}",
            url=f"https://{outlet}.kz/news/{number}",
            outlet=outlet,
            text=text,
            title=f"Новость {number}",
            author="Айгуль Серикова" if author else None,
            published=iso(at) if published else None,
        ),
    )
    assert article_id is not None
    with db.conn:
        db.conn.execute("UPDATE articles SET fetched_at = ? WHERE id = ?", [iso(at), article_id])
    return article_id


def healthy_history(db: sqlite_utils.Database, outlets: tuple[str, ...] = ("vlast", "orda"), days: int = 3) -> None:
    """A pass every 30 minutes for ``days`` days up to NOW; an article per outlet every two hours."""
    start = NOW - timedelta(days=days)
    moment = start
    while moment <= NOW - timedelta(minutes=30):
        fresh = moment.minute == 0 and moment.hour % 2 == 0
        add_run(db, moment, {name: {} if fresh else {"counters": {"requests": 30}} for name in outlets})
        if fresh:
            for name in outlets:
                add_article(db, name, moment + timedelta(minutes=1))
        moment += timedelta(minutes=30)
