"""Run history: one row per crawl pass, one per outlet in it."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from crawler.store.db import translate_errors, utcnow

OUTLET_COUNTERS = ("requests", "article_requests", "new_articles", "candidates", "errors")


@contextmanager
def _write(db: sqlite_utils.Database) -> Iterator[None]:
    """One transaction; a database fault (locked, full) becomes a StoreError naming the file."""
    try:
        with db.conn:
            yield
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc


def start_run(db: sqlite_utils.Database, *, replay: bool) -> int:
    """Record the start of a crawl pass; returns its id."""
    with _write(db):
        cursor = db.conn.execute(
            "INSERT INTO runs (started_at, status, replay, pid) VALUES (?, 'running', ?, ?)",
            [utcnow(), int(replay), os.getpid()],
        )
    return int(cursor.lastrowid or 0)


def finish_run(db: sqlite_utils.Database, run_id: int, *, ok: bool) -> None:
    """Record the end of a crawl pass. A pass killed before this stays 'running' (visible in status)."""
    with _write(db):
        db.conn.execute(
            "UPDATE runs SET finished_at = ?, status = ? WHERE id = ?",
            [utcnow(), "ok" if ok else "failed", run_id],
        )


def start_outlet(db: sqlite_utils.Database, run_id: int, outlet: str) -> int:
    """Record that an outlet's crawl began inside run ``run_id``."""
    with _write(db):
        cursor = db.conn.execute(
            "INSERT INTO run_outlets (run_id, outlet, started_at) VALUES (?, ?, ?)",
            [run_id, outlet, utcnow()],
        )
    return int(cursor.lastrowid or 0)


def finish_outlet(
    db: sqlite_utils.Database,
    row_id: int,
    *,
    counters: dict[str, int],
    ok: bool,
    finish_reason: str,
    strategies: dict[str, Any],
    http_statuses: dict[str, int],
    findings: dict[str, Any] | None = None,
) -> None:
    """Record an outlet's statistics at the end of its crawl."""
    values = {name: int(counters.get(name, 0)) for name in OUTLET_COUNTERS}
    with _write(db):
        db.conn.execute(
            "UPDATE run_outlets SET finished_at = ?, ok = ?, finish_reason = ?, strategies = ?, http_statuses = ?,"
            " findings = ?, " + ", ".join(f"{name} = ?" for name in values) + " WHERE id = ?",
            [
                utcnow(),
                int(ok),
                finish_reason,
                json.dumps(strategies, ensure_ascii=False),
                json.dumps(http_statuses),
                json.dumps(findings or {}, ensure_ascii=False),
                *values.values(),
                row_id,
            ],
        )


def outlet_results(db: sqlite_utils.Database, run_id: int) -> list[dict[str, Any]]:
    """The per-outlet rows of one run, strategies decoded."""
    rows = list(db["run_outlets"].rows_where("run_id = ?", [run_id], order_by="id"))
    for row in rows:
        row["strategies"] = json.loads(row["strategies"] or "{}")
        row["http_statuses"] = json.loads(row["http_statuses"] or "{}")
    return rows
