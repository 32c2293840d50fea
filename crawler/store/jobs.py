"""Scrapyd jobs: which node crawled which outlet in which pass, and how much of its feed is ingested."""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:  # `crawler status` reads jobs without importing sqlite-utils (a fast start)
    import sqlite_utils


def _write(db: Any) -> Any:
    from crawler.store.runs import _write as write

    return write(db)


def utcnow() -> str:
    from crawler.store.db import utcnow as now

    return now()


FIELDS = (
    "job",
    "run_id",
    "run_outlet_id",
    "outlet",
    "node",
    "state",
    "problem",
    "lines_read",
    "new_articles",
    "candidates",
    "summarized",
    "scheduled_at",
    "ingested_at",
)


def add_job(
    db: sqlite_utils.Database,
    *,
    job: str,
    run_id: int,
    run_outlet_id: int,
    outlet: str,
    node: str,
    state: str = "scheduled",
    problem: str | None = None,
) -> None:
    with _write(db):
        db.conn.execute(
            "INSERT INTO scrapyd_jobs (job, run_id, run_outlet_id, outlet, node, state, problem, scheduled_at)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?)",
            [job, run_id, run_outlet_id, outlet, node, state, problem, utcnow()],
        )


def set_state(db: sqlite_utils.Database, job: str, state: str, problem: str | None = None) -> None:
    with _write(db):
        db.conn.execute("UPDATE scrapyd_jobs SET state = ?, problem = ? WHERE job = ?", [state, problem, job])


def add_ingested(
    db: sqlite_utils.Database, job: str, *, lines: int, new_articles: int, candidates: int, summarized: bool
) -> None:
    """Count ``lines`` more feed lines as ingested, with the articles they added."""
    with _write(db):
        db.conn.execute(
            "UPDATE scrapyd_jobs SET lines_read = lines_read + ?, new_articles = new_articles + ?,"
            " candidates = candidates + ?, summarized = max(summarized, ?), ingested_at = ? WHERE job = ?",
            [lines, new_articles, candidates, int(summarized), utcnow(), job],
        )


def get_job(db: sqlite_utils.Database, job: str) -> dict[str, Any] | None:
    rows = _dicts(db.execute(f"SELECT {', '.join(FIELDS)} FROM scrapyd_jobs WHERE job = ?", [job]))
    return rows[0] if rows else None


def unfinished_jobs(db: sqlite_utils.Database, run_id: int | None = None) -> list[dict[str, Any]]:
    """Jobs whose feed may still hold unread lines (still running, or lost with their node), oldest first;
    of one run if given."""
    sql = f"SELECT {', '.join(FIELDS)} FROM scrapyd_jobs WHERE summarized = 0 AND state IN ('scheduled', 'lost')"
    params: list[Any] = []
    if run_id is not None:
        sql += " AND run_id = ?"
        params.append(run_id)
    return _dicts(db.execute(sql + " ORDER BY run_id, rowid", params))


def run_jobs(db: sqlite_utils.Database, run_id: int) -> list[dict[str, Any]]:
    return _dicts(db.execute(f"SELECT {', '.join(FIELDS)} FROM scrapyd_jobs WHERE run_id = ? ORDER BY rowid", [run_id]))


def last_jobs(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Each outlet's job in its latest pass on Scrapyd, by outlet."""
    return _dicts(
        db.execute(
            f"SELECT {', '.join(FIELDS)} FROM scrapyd_jobs j WHERE rowid = "
            "(SELECT max(rowid) FROM scrapyd_jobs WHERE outlet = j.outlet) ORDER BY outlet"
        )
    )


def _dicts(cursor: Any) -> list[dict[str, Any]]:
    return [dict(zip(FIELDS, row, strict=True)) for row in cursor.fetchall()]
