"""Run history: one row per crawl pass, one per outlet in it."""

from __future__ import annotations

import json
import os
import sqlite3
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler.errors import RunLocked
from crawler.store.db import translate_errors, utcnow

if TYPE_CHECKING:
    import sqlite_utils  # annotations only: `crawler status` reads runs without loading it

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
    """Record the start of a crawl pass; returns its id.

    In the same write transaction, every earlier pass still marked running is looked at: one whose
    process still lives is a pass running on this very database — reached through another path, a
    symlink or a hard link, which the lock file beside the path cannot see — so this one refuses with
    RunLocked; one whose process is gone was killed, and is closed as ``killed`` (``status`` reports it)."""
    try:
        db.conn.execute("BEGIN IMMEDIATE")  # the check and the insert see the same rows
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc
    try:
        for run_id, pid, started_at in db.execute(
            "SELECT id, pid, started_at FROM runs WHERE status = 'running' ORDER BY id"
        ).fetchall():
            if pid != os.getpid() and process_running(pid, started_at):
                raise RunLocked(
                    f"another crawl pass is running on this database (pass #{run_id}, pid {pid}, perhaps through"
                    f" another path to the same file); not starting a second one"
                )
            db.conn.execute("UPDATE runs SET status = 'killed' WHERE id = ?", [run_id])
        cursor = db.conn.execute(
            "INSERT INTO runs (started_at, status, replay, pid) VALUES (?, 'running', ?, ?)",
            [utcnow(), int(replay), os.getpid()],
        )
        db.conn.commit()
    except BaseException:
        db.conn.rollback()
        raise
    return int(cursor.lastrowid or 0)


def process_running(pid: int | None, started_at: str | None = None) -> bool:
    """True when process ``pid`` exists and (where /proc tells) began no later than ``started_at`` — a
    pid reused by a younger process is not the pass that recorded it."""
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        pass
    except OverflowError:  # not a pid at all
        return False
    began = _process_start(pid)
    if began is None or not started_at:
        return True
    return began <= datetime.fromisoformat(started_at).timestamp() + PID_CLOCK_SLACK


PID_CLOCK_SLACK = 5.0  # seconds between a process starting and its pass recording its start


def _process_start(pid: int) -> float | None:
    """When process ``pid`` started (Unix time), from Linux's /proc; None where that cannot be read."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
        boot = next(
            float(line.split()[1]) for line in Path("/proc/stat").read_text().splitlines() if line.startswith("btime")
        )
        ticks = int(stat.rsplit(")", 1)[1].split()[19])  # field 22, counted after the command name
        return boot + ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError, StopIteration):
        return None


def finish_run(db: sqlite_utils.Database, run_id: int, *, ok: bool) -> None:
    """Record the end of a crawl pass. A pass killed before this stays 'running' until the next pass
    closes it as 'killed'."""
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


def killed_runs(db: sqlite_utils.Database, *, since: str) -> list[dict[str, Any]]:
    """Passes started since ``since`` (ISO 8601) that a later pass found dead and closed as killed."""
    return [
        {"id": row[0], "started_at": row[1], "pid": row[2]}
        for row in db.execute(
            "SELECT id, started_at, pid FROM runs WHERE status = 'killed' AND started_at >= ? ORDER BY id", [since]
        ).fetchall()
    ]


def add_articles(db: sqlite_utils.Database, row_id: int, *, new_articles: int, candidates: int) -> None:
    """Count articles that arrived after an outlet's row was finished (a node's feed ingested late)."""
    with _write(db):
        db.conn.execute(
            "UPDATE run_outlets SET new_articles = new_articles + ?, candidates = candidates + ? WHERE id = ?",
            [new_articles, candidates, row_id],
        )
