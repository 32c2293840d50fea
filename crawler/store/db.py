"""Opening the database: WAL, a bounded wait for locks, migrations, and clear errors."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime
from pathlib import Path

import sqlite_utils

from crawler.errors import DatabaseCorrupt, DatabaseLocked, StoreError
from crawler.store.migrations import migrations

BUSY_TIMEOUT_MS = 15_000  # a writer waits this long for another writer (e.g. a backup) before failing


def utcnow() -> str:
    """Now as ISO 8601 in UTC, the one timestamp format the database stores."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_db(path: str | Path, *, migrate: bool = True) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` with WAL and the schema up to date."""
    path = Path(path)
    if str(path) != ":memory:":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the database folder {path.parent}: {exc.strerror}") from exc
    try:
        conn = sqlite3.connect(str(path), timeout=BUSY_TIMEOUT_MS / 1000, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {BUSY_TIMEOUT_MS}")
        db = sqlite_utils.Database(conn)
        if str(path) != ":memory:":
            db.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses at most the last commit
        conn.execute("PRAGMA foreign_keys = ON")
        if migrate:
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise _translate(exc, path) from exc
    return db


def _translate(exc: sqlite3.DatabaseError, path: Path) -> StoreError:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return DatabaseLocked(f"database {path} is locked by another process: {message}")
    if "not a database" in message or "malformed" in message:
        return DatabaseCorrupt(f"{path} is not a usable SQLite database ({message})")
    if "disk is full" in message or "disk I/O" in message:
        return StoreError(f"cannot write {path}: {message}")
    return StoreError(f"database {path}: {message}")


def translate_errors(exc: sqlite3.DatabaseError, path: str | Path = "database") -> StoreError:
    """Map a raw sqlite3 error to the error hierarchy (callers outside open_db use this)."""
    return _translate(exc, Path(path))
