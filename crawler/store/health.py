"""What operations read from the run history and the articles, and the little state they remember."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from crawler.store.db import utcnow

if TYPE_CHECKING:  # the store hands in a sqlite_utils.Database or a light reader (store.db.open_reader)
    import sqlite_utils


def outlets_seen(db: sqlite_utils.Database) -> list[str]:
    """Every outlet that has a run or an article on record, sorted."""
    rows = db.execute("SELECT outlet FROM run_outlets UNION SELECT outlet FROM articles ORDER BY 1").fetchall()
    return [row[0] for row in rows]


def outlet_runs(db: sqlite_utils.Database, outlet: str, *, limit: int = 50) -> list[dict[str, Any]]:
    """An outlet's latest per-run rows, newest first, with the run's own status; JSON decoded."""
    cursor = db.execute(
        """
        SELECT o.run_id, o.started_at, o.finished_at, o.ok, o.finish_reason, o.requests, o.article_requests,
               o.new_articles, o.candidates, o.errors, o.strategies, o.http_statuses, o.findings,
               r.status AS run_status, r.replay
        FROM run_outlets o JOIN runs r ON r.id = o.run_id
        WHERE o.outlet = ?
        ORDER BY o.run_id DESC, o.id DESC
        LIMIT ?
        """,
        [outlet, limit],
    )
    rows = _dicts(cursor)
    for row in rows:
        row["strategies"] = json.loads(row["strategies"] or "{}")
        row["http_statuses"] = json.loads(row["http_statuses"] or "{}")
        row["findings"] = json.loads(row["findings"] or "{}")
    return rows


def article_times(db: sqlite_utils.Database, outlet: str, *, limit: int = 500) -> list[str]:
    """When the outlet's latest articles were stored (ISO 8601 UTC), newest first."""
    rows = db.execute(
        "SELECT fetched_at FROM articles WHERE outlet = ? ORDER BY fetched_at DESC, id DESC LIMIT ?",
        [outlet, limit],
    ).fetchall()
    return [row[0] for row in rows]


def count_articles_since(db: sqlite_utils.Database, outlet: str, since: str) -> int:
    """How many of the outlet's articles were stored at or after ``since``."""
    row = db.execute("SELECT count(*) FROM articles WHERE outlet = ? AND fetched_at >= ?", [outlet, since]).fetchone()
    return int(row[0])


def article_fields(db: sqlite_utils.Database, outlet: str, *, limit: int) -> list[dict[str, Any]]:
    """For the outlet's latest articles, newest first: has a date, has an author, body length."""
    cursor = db.execute(
        """
        SELECT published IS NOT NULL AS has_date, coalesce(author, '') != '' AS has_author,
               length(text) AS body_length
        FROM articles WHERE outlet = ? ORDER BY fetched_at DESC, id DESC LIMIT ?
        """,
        [outlet, limit],
    )
    return [
        {"date": bool(row["has_date"]), "author": bool(row["has_author"]), "body_length": int(row["body_length"])}
        for row in _dicts(cursor)
    ]


def latest_runs(db: sqlite_utils.Database, *, limit: int = 20) -> list[dict[str, Any]]:
    """The latest crawl passes, newest first, each with its outlets' results."""
    runs = _dicts(db.execute("SELECT * FROM runs ORDER BY id DESC LIMIT ?", [limit]))
    if not runs:
        return runs
    ids = [run["id"] for run in runs]
    marks = ",".join("?" * len(ids))
    outlets = _dicts(
        db.execute(
            "SELECT run_id, outlet, ok, finish_reason, requests, article_requests, new_articles, candidates, errors"
            f" FROM run_outlets WHERE run_id IN ({marks}) ORDER BY id",
            ids,
        )
    )
    by_run: dict[int, list[dict[str, Any]]] = {}
    for row in outlets:
        by_run.setdefault(row.pop("run_id"), []).append(row)
    for run in runs:
        run["outlets"] = by_run.get(run["id"], [])
    return runs


def last_finished_run(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The latest crawl pass that finished (ok or failed)."""
    rows = _dicts(db.execute("SELECT * FROM runs WHERE finished_at IS NOT NULL ORDER BY id DESC LIMIT 1"))
    return rows[0] if rows else None


def daily_counts(db: sqlite_utils.Database, since: str, *, utc_offset_hours: int) -> list[dict[str, Any]]:
    """New articles per outlet per local day (``utc_offset_hours`` east of UTC) stored since ``since``."""
    cursor = db.execute(
        """
        SELECT outlet, date(fetched_at, ?) AS day, count(*) AS new
        FROM articles WHERE fetched_at >= ? GROUP BY outlet, day ORDER BY outlet, day
        """,
        [f"{utc_offset_hours:+d} hours", since],
    )
    return _dicts(cursor)


def get_state(db: sqlite_utils.Database, key: str) -> Any:
    """A remembered value (decoded JSON), or None."""
    row = db.execute("SELECT value FROM ops_state WHERE key = ?", [key]).fetchone()
    return json.loads(row[0]) if row else None


def set_state(db: sqlite_utils.Database, key: str, value: Any) -> None:
    """Remember ``value`` (JSON-encodable) under ``key``."""
    with db.conn:
        db.conn.execute(
            "INSERT INTO ops_state (key, value, updated_at) VALUES (?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET value = excluded.value, updated_at = excluded.updated_at",
            [key, json.dumps(value, ensure_ascii=False), utcnow()],
        )


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    names = [column[0] for column in cursor.description]
    return [dict(zip(names, row, strict=True)) for row in cursor.fetchall()]
