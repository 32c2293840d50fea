"""Writing the rules' verdict on articles (the crawl's classify step and ``crawler rules apply``).

Only articles the rules own may change: ``candidate`` and ``ignored``. Whatever a monitor decided
(approved, rejected, exported) is never touched, and the guard sits in the UPDATE itself so a
decision made while ``rules apply`` runs still wins.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any, Protocol

import sqlite_utils

from crawler.store.db import utcnow
from crawler.store.migrations import status_for

RULES_USER = "rules"  # the `user` of transitions made by the classifier
RECLASSIFIABLE = ("candidate", "ignored")


class Verdict(Protocol):
    rubric: str | None
    score: float
    rubrics: list[dict[str, Any]]
    matches: list[dict[str, Any]]
    match_count: int


def classification_columns(verdict: Verdict, *, now: str | None = None) -> dict[str, Any]:
    """The article columns for a verdict (status included): what the crawl stores for a new article."""
    return {
        "status": status_for(verdict.rubric),
        "rubric": verdict.rubric,
        "score": verdict.score,
        "rubrics": json.dumps(verdict.rubrics, ensure_ascii=False),
        "matches": json.dumps(verdict.matches, ensure_ascii=False),
        "match_count": verdict.match_count,
        "classified_at": now or utcnow(),
    }


def _reclassifiable_where(since: str | None) -> tuple[str, list[Any]]:
    where = "status IN ('candidate', 'ignored')"
    return (where + " AND fetched_at >= ?", [since]) if since else (where, [])


def count_reclassifiable(db: sqlite_utils.Database, *, since: str | None = None) -> int:
    """How many articles ``reclassify`` would look at (for a progress bar)."""
    where, params = _reclassifiable_where(since)
    return int(db.execute(f"SELECT count(*) FROM articles WHERE {where}", params).fetchone()[0])


def reclassifiable_batches(
    db: sqlite_utils.Database, *, since: str | None = None, batch: int = 500
) -> Iterator[list[dict[str, Any]]]:
    """Articles the rules may re-classify (candidate/ignored), optionally only those fetched since a date,
    ``batch`` rows at a time in id order: memory stays that of one batch however large the store."""
    where, params = _reclassifiable_where(since)
    sql = f"SELECT id, title, text, lang, status FROM articles WHERE {where} AND id > ? ORDER BY id LIMIT ?"
    names = ("id", "title", "text", "lang", "status")
    last = 0
    while True:
        rows = db.execute(sql, [*params, last, batch]).fetchall()
        if not rows:
            return
        last = rows[-1][0]
        yield [dict(zip(names, row, strict=True)) for row in rows]


def save_classification(
    db: sqlite_utils.Database, article_id: int, old_status: str, verdict: Verdict, *, now: str | None = None
) -> bool:
    """Store a verdict on a candidate/ignored article; record a transition when its status changes.

    Returns True when the row was updated (False: a monitor decided it meanwhile, or it is gone).
    """
    now = now or utcnow()
    cols = classification_columns(verdict, now=now)
    cursor = db.execute(
        "UPDATE articles SET status = :status, rubric = :rubric, score = :score, rubrics = :rubrics,"
        " matches = :matches, match_count = :match_count, classified_at = :classified_at"
        " WHERE id = :id AND status IN ('candidate', 'ignored')",
        {**cols, "id": article_id},
    )
    if cursor.rowcount != 1:
        return False
    if cols["status"] != old_status:
        db.execute(
            "INSERT INTO transitions (article_id, at, user, from_status, to_status, rubric, note)"
            " VALUES (?, ?, ?, ?, ?, ?, ?)",
            (article_id, now, RULES_USER, old_status, cols["status"], verdict.rubric, "rules apply"),
        )
    return True


def reclassify(
    db: sqlite_utils.Database,
    classify: Callable[[str, str, str | None], Verdict],
    *,
    since: str | None = None,
    batch: int = 500,
    progress: Callable[[int], object] | None = None,
) -> dict[str, int]:
    """Re-run the rules over stored candidate/ignored articles, a batch at a time (one transaction each:
    a killed apply leaves whole batches done); counts of what happened. ``progress`` is called with the
    number of articles each finished batch held."""
    counts = {"seen": 0, "candidate": 0, "ignored": 0, "promoted": 0, "demoted": 0, "skipped": 0}
    now = utcnow()
    for rows in reclassifiable_batches(db, since=since, batch=batch):
        with db.conn:
            for row in rows:
                counts["seen"] += 1
                verdict = classify(row["title"] or "", row["text"] or "", row["lang"])
                if not save_classification(db, row["id"], row["status"], verdict, now=now):
                    counts["skipped"] += 1
                    continue
                status = status_for(verdict.rubric)
                counts[status] += 1
                if status != row["status"]:
                    counts["promoted" if status == "candidate" else "demoted"] += 1
        if progress is not None:
            progress(len(rows))
    return counts
