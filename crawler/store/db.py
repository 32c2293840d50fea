"""Opening the database: WAL, a bounded wait for locks, migrations, and clear errors."""

from __future__ import annotations

import ast
import sqlite3
from datetime import UTC, datetime
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from crawler import settings
from crawler.errors import DatabaseCorrupt, DatabaseFull, DatabaseLocked, StoreError

if TYPE_CHECKING:  # imported when a database is opened: sqlite-utils alone takes a good part of a second
    import sqlite_utils


def utcnow() -> str:
    """Now as ISO 8601 in UTC, the one timestamp format the database stores."""
    return datetime.now(UTC).isoformat(timespec="seconds")


def open_db(
    path: str | Path,
    *,
    migrate: bool = True,
    busy_timeout: float = settings.CRAWLER_BUSY_TIMEOUT_SECONDS,
    max_page_count: int = settings.CRAWLER_MAX_PAGE_COUNT,
) -> sqlite_utils.Database:
    """Open (creating if needed) the database at ``path`` with WAL and the schema up to date.

    A write waits up to ``busy_timeout`` seconds for another writer; ``max_page_count`` (0: none)
    caps the file's size in pages, which tests use to make writes fail as on a full disk."""
    import sqlite_utils

    from crawler.store.migrations import migrations

    path = Path(path)
    if str(path) != ":memory:":
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
        except OSError as exc:
            raise StoreError(f"cannot create the database folder {path.parent}: {exc.strerror}") from exc
    try:
        conn = sqlite3.connect(str(path), timeout=busy_timeout, check_same_thread=False)
        conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
        if max_page_count:
            conn.execute(f"PRAGMA max_page_count = {int(max_page_count)}")
        db = sqlite_utils.Database(conn, execute_plugins=False)  # no sqlite-utils plugins: skip the entry-point scan
        if str(path) != ":memory:":
            db.enable_wal()
        conn.execute("PRAGMA synchronous = NORMAL")  # safe with WAL: a crash loses at most the last commit
        conn.execute("PRAGMA foreign_keys = ON")
        if migrate:
            migrations.apply(db)
    except sqlite3.DatabaseError as exc:
        raise _translate(exc, path) from exc
    return db


class Reader:
    """A database opened for reading only, without sqlite-utils: what ``status`` needs (``execute``,
    ``conn``), at a fraction of the start-up cost. See ``open_reader``."""

    def __init__(self, conn: sqlite3.Connection) -> None:
        self.conn = conn

    def execute(self, sql: str, parameters: Any = ()) -> sqlite3.Cursor:
        return self.conn.execute(sql, parameters)

    def close(self) -> None:
        self.conn.close()


@cache
def _migration_names() -> frozenset[str]:
    """The migrations crawler/store/migrations.py declares, read from its source (importing it would
    import sqlite-utils, which is what ``open_reader`` avoids)."""
    tree = ast.parse(Path(__file__).with_name("migrations.py").read_text(encoding="utf-8"))
    return frozenset(
        node.name
        for node in tree.body
        if isinstance(node, ast.FunctionDef)
        and any(isinstance(d, ast.Call) and getattr(d.func, "id", "") == "migrations" for d in node.decorator_list)
    )


def open_reader(
    path: str | Path, *, busy_timeout: float = settings.CRAWLER_BUSY_TIMEOUT_SECONDS, max_page_count: int = 0
) -> Reader | sqlite_utils.Database:
    """The database at ``path`` for commands that only read (``status``): a light ``Reader`` when the
    file exists with every migration applied, else ``open_db`` (which creates or migrates it)."""
    path = Path(path)
    if path.is_file():
        try:
            conn = sqlite3.connect(str(path), timeout=busy_timeout, check_same_thread=False)
            conn.execute(f"PRAGMA busy_timeout = {int(busy_timeout * 1000)}")
            applied = {row[0] for row in conn.execute("SELECT name FROM _sqlite_migrations")}
        except sqlite3.DatabaseError:  # no migrations table yet, or worse: open_db says which
            applied = set()
        else:
            if _migration_names() <= applied:
                return Reader(conn)
        conn.close()
    return open_db(path, busy_timeout=busy_timeout, max_page_count=max_page_count)


def _translate(exc: sqlite3.DatabaseError, path: Path) -> StoreError:
    message = str(exc)
    if "locked" in message or "busy" in message:
        return DatabaseLocked(f"database {path} is locked by another process: {message}")
    if "not a database" in message or "malformed" in message:
        return DatabaseCorrupt(f"{path} is not a usable SQLite database ({message}); restore it from a backup")
    if "disk is full" in message:
        return DatabaseFull(f"cannot write {path}: {message}; free space on its disk, then run again")
    if "disk I/O" in message:
        return StoreError(f"cannot write {path}: {message}")
    if "unable to open" in message:
        return StoreError(f"cannot open the database {path}: {message} (does its folder exist and is it writable?)")
    if "readonly" in message:
        return StoreError(f"cannot write {path}: {message} (check the file's and its folder's permissions)")
    return StoreError(f"database {path}: {message}")


def translate_errors(exc: sqlite3.DatabaseError, where: str | Path | sqlite_utils.Database = "database") -> StoreError:
    """Map a raw sqlite3 error to the error hierarchy (callers outside open_db use this); ``where``
    is the database's path, or the database itself so the message can name its file."""
    if not isinstance(where, str | Path):
        where = _file_of(where)
    return _translate(exc, Path(where))


def _file_of(db: sqlite_utils.Database) -> str:
    try:
        row = db.conn.execute("PRAGMA database_list").fetchone()
    except sqlite3.Error:
        return "database"
    return (row[2] if row and row[2] else "") or "database"
