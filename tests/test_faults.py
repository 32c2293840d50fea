"""Faults of the environment, each met by a real `crawler` process: a database locked by another writer,
a full disk, a corrupt database file, an unusable database folder, an outlet that is down.

Each ends in one line on stderr (no traceback), a non-zero exit, a database that passes
``PRAGMA integrity_check``, and a next run that works once the fault is gone.
"""

from __future__ import annotations

import hashlib
import json
import shutil
import sqlite3
import subprocess
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler.replay import SNAPSHOT_DIR
from crawler.store import open_db
from tests.conftest import run_crawler as crawler

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = ["azattyq", "bureau", "orda", "ulysmedia", "vlast"]

pytestmark = pytest.mark.slow


def error_line(result: subprocess.CompletedProcess[str]) -> str:
    """The one line the user reads: the last on stderr, after any log lines; never a traceback."""
    assert "Traceback" not in result.stderr, result.stderr[-3000:]
    line = result.stderr.strip().splitlines()[-1]
    assert line.startswith("crawler: error: "), result.stderr[-3000:]
    return line


def query(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def integrity(db: Path) -> str:
    return str(query(db, "PRAGMA integrity_check")[0][0])


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@contextmanager
def write_lock(db: Path) -> Iterator[sqlite3.Connection]:
    """Another process's writer (a long backup, the review page) holding the write lock."""
    conn = sqlite3.connect(db, isolation_level=None)
    conn.execute("BEGIN IMMEDIATE")
    try:
        yield conn
    finally:
        conn.execute("ROLLBACK")
        conn.close()


@pytest.fixture(scope="module")
def bureau_db(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A database holding one complete replay crawl of Bureau (copied by each test that needs one)."""
    db = tmp_path_factory.mktemp("bureau") / "crawler.db"
    result = crawler(db, "run", "--replay", "--outlet", "bureau")
    assert result.returncode == 0, result.stderr[-3000:]
    query(db, "PRAGMA wal_checkpoint(TRUNCATE)")
    return db


def copy_db(source: Path, folder: Path) -> Path:
    target = folder / "crawler.db"
    shutil.copy(source, target)
    return target


def empty_db(folder: Path) -> Path:
    db = folder / "crawler.db"
    open_db(db).close()  # the schema (`queue list` only reads: it creates no database)
    return db


# --- a locked database ------------------------------------------------------------------------------


def test_a_pass_waits_for_a_locked_database_then_reports_and_the_next_pass_succeeds(tmp_path: Path) -> None:
    db = empty_db(tmp_path)
    with write_lock(db):
        started = time.monotonic()
        locked = crawler(db, "run", "--replay", "--outlet", "bureau", CRAWLER_BUSY_TIMEOUT_SECONDS="1")
        waited = time.monotonic() - started
    assert locked.returncode == 2
    assert f"database {db} is locked by another process" in error_line(locked)
    assert 1 <= waited < 30  # it waited for the other writer, within the bound
    assert integrity(db) == "ok"
    after = crawler(db, "run", "--replay", "--outlet", "bureau", "--json")
    assert after.returncode == 0, after.stderr[-3000:]
    assert json.loads(after.stdout)["bureau"]["new_articles"] >= 1
    assert query(db, "SELECT status FROM runs") == [("ok",)]


def test_reads_work_on_a_locked_database_and_writes_say_it_is_locked(bureau_db: Path, tmp_path: Path) -> None:
    db = copy_db(bureau_db, tmp_path)
    article_id = query(db, "SELECT min(id) FROM articles WHERE status = 'candidate'")[0][0]
    with write_lock(db):
        listed = crawler(db, "queue", "list", "--json", CRAWLER_BUSY_TIMEOUT_SECONDS="1")
        approve = crawler(db, "queue", "approve", str(article_id), CRAWLER_BUSY_TIMEOUT_SECONDS="1")
    assert listed.returncode == 0, listed.stderr  # WAL: a reader never waits for a writer
    assert (
        len(listed.stdout.splitlines()) == query(db, "SELECT count(*) FROM articles WHERE status = 'candidate'")[0][0]
    )
    assert approve.returncode == 2
    assert approve.stderr.strip().splitlines() == [error_line(approve)]
    assert f"database {db} is locked by another process" in error_line(approve)
    assert query(db, "SELECT status FROM articles WHERE id = ?", (article_id,)) == [("candidate",)]
    assert crawler(db, "queue", "approve", str(article_id)).returncode == 0  # lock gone: it goes through


# --- a full disk --------------------------------------------------------------------------------------


def test_a_full_disk_stops_the_pass_cleanly_status_shows_it_and_the_next_pass_completes(
    bureau_db: Path, tmp_path: Path
) -> None:
    db = empty_db(tmp_path)
    pages = query(db, "PRAGMA page_count")[0][0]
    full = crawler(db, "run", "--replay", "--outlet", "bureau", CRAWLER_MAX_PAGE_COUNT=str(pages + 6))
    assert full.returncode == 2
    line = error_line(full)
    assert line.startswith(f"crawler: error: the pass stopped: cannot write {db}: database or disk is full")
    assert (
        full.stderr.count("outlet=bureau stopped: cannot write") == 1
    )  # one log line for the outlet, not one per article
    assert integrity(db) == "ok"
    assert query(db, "SELECT count(*) FROM articles WHERE id NOT IN (SELECT article_id FROM pages)") == [(0,)]
    assert query(db, "SELECT status FROM runs") == [("failed",)]
    assert query(db, "SELECT outlet, ok, finish_reason FROM run_outlets") == [("bureau", 0, "database full")]
    status = crawler(db, "status")
    assert status.returncode == 1
    assert "pass #1 stopped: database full (bureau)" in status.stdout

    after = crawler(db, "run", "--replay", "--outlet", "bureau")
    assert after.returncode == 0, after.stderr[-3000:]
    assert integrity(db) == "ok"
    assert query(db, "SELECT count(*) FROM articles") == query(bureau_db, "SELECT count(*) FROM articles")
    assert "database full" not in crawler(db, "status").stdout


# --- a corrupt database, an unusable folder -------------------------------------------------------------


def garbage(folder: Path, bureau_db: Path) -> Path:
    path = folder / "garbage.db"
    path.write_bytes(b"these are not the pages of a database\n" * 500)
    return path


def damaged(folder: Path, bureau_db: Path) -> Path:
    """A real database (valid header) whose pages after the first few are overwritten."""
    path = copy_db(bureau_db, folder)
    with open(path, "r+b") as handle:
        handle.seek(4096 * 3)
        handle.write(b"\xff" * 4096 * 30)
    return path


@pytest.mark.parametrize("make", [garbage, damaged])
@pytest.mark.parametrize("command", [["run", "--replay", "--outlet", "bureau"], ["queue", "list"], ["status"]])
def test_a_corrupt_database_is_reported_in_one_line_and_left_untouched(
    make: Any, command: list[str], bureau_db: Path, tmp_path: Path
) -> None:
    db = make(tmp_path, bureau_db)
    before = digest(db)
    result = crawler(db, *command)
    assert result.returncode == 2
    assert f"{db} is not a usable SQLite database" in error_line(result)
    assert digest(db) == before
    assert not Path(f"{db}-wal").exists()


@pytest.mark.parametrize(
    ("db", "expected"),
    [
        ("/proc/no-such-folder/crawler.db", "No such file or directory"),  # a folder that cannot be created
        ("/proc/crawler.db", "crawler.db"),  # a folder where no file can be created
    ],
)
@pytest.mark.parametrize("command", [["run", "--replay", "--outlet", "bureau"], ["queue", "list"]])
def test_an_unusable_database_folder_is_one_line(db: str, expected: str, command: list[str]) -> None:
    if command[0] == "queue":
        expected = "no database at"  # a command that only reads never tries to create one
    result = crawler(db, *command)
    assert result.returncode == 2
    line = error_line(result)
    assert expected in line and "/proc/" in line
    assert result.stderr.strip().splitlines() == [line]


# --- an outlet that is down ------------------------------------------------------------------------------


def test_an_outlet_that_is_down_fails_alone(tmp_path: Path) -> None:
    snapshot = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)
    routes = snapshot / "bureau" / "routes.yml"
    down = [{"url": route["url"], "status": 503} for route in yaml.safe_load(routes.read_text(encoding="utf-8"))]
    routes.write_text(yaml.safe_dump(down), encoding="utf-8")
    db = tmp_path / "crawler.db"
    result = crawler(db, "run", "--replay", "--json", CRAWLER_SNAPSHOT=str(snapshot))
    assert result.returncode == 1, result.stderr[-3000:]
    assert "Traceback" not in result.stderr
    stats = json.loads(result.stdout)
    assert not stats["bureau"]["ok"]
    assert stats["bureau"]["finish_reason"] == "no discovery strategy answered"
    assert stats["bureau"]["new_articles"] == 0
    stored = dict(query(db, "SELECT outlet, count(*) FROM articles GROUP BY outlet"))
    for outlet in set(OUTLETS) - {"bureau"}:
        assert stats[outlet]["ok"], (outlet, stats[outlet])
        assert stored[outlet] == stats[outlet]["new_articles"] >= 1
    assert "bureau" not in stored
    assert integrity(db) == "ok"
