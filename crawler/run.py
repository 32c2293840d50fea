"""One crawl pass: take the lock, record the run, crawl every selected outlet, report per outlet.

Scrapy's reactor cannot restart in one process, so a pass is one process (the scheduler runs each
pass as a child process).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sqlite3
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.errors import ConfigError, RunLocked, StoreError
from crawler.store import open_db, runs, search_index

COUNTERS = runs.OUTLET_COUNTERS


@dataclass
class RunResult:
    run_id: int
    outlets: dict[str, dict[str, Any]] = field(default_factory=dict)

    @property
    def ok(self) -> bool:
        return all(row["ok"] for row in self.outlets.values())

    def as_json(self) -> dict[str, dict[str, Any]]:
        """Per-outlet statistics, keyed by outlet name."""
        return {
            name: {
                **{counter: row[counter] for counter in COUNTERS},
                "ok": bool(row["ok"]),
                "finish_reason": row["finish_reason"],
                "strategies": row["strategies"],
            }
            for name, row in self.outlets.items()
        }

    def table(self) -> str:
        """A fixed-width table for people."""
        header = f"{'outlet':<10} {'requests':>8} {'articles':>8} {'new':>5} {'candid.':>7} {'errors':>6}  result"
        lines = [header, "-" * len(header)]
        for name, row in self.outlets.items():
            working = sum(1 for s in row["strategies"].values() if s.get("ok"))
            verdict = "ok" if row["ok"] else f"FAILED ({row['finish_reason']})"
            counts = f"{row['requests']:>8} {row['article_requests']:>8} {row['new_articles']:>5}"
            counts += f" {row['candidates']:>7} {row['errors']:>6}"
            lines.append(f"{name:<10} {counts}  {verdict}; {working}/{len(row['strategies'])} strategies answered")
        return "\n".join(lines)


@contextmanager
def run_lock(db_path: str | Path) -> Iterator[None]:
    """Hold the pass lock of the database's real file for the whole pass; a second pass fails at once.

    Two locks, both released by the OS when the process dies (a killed run never leaves a stale one):
    the lock file beside the real file (symlinks resolved, so every path to it agrees), which also
    names the holder's pid; and a lock on the database file itself, which is keyed by (st_dev, st_ino)
    and so also catches a hard link — a second name for the same file, where two passes would each keep
    their own WAL and damage the database."""
    real = Path(db_path).resolve()
    lock_path = Path(f"{real}.lock")
    try:
        lock_path.parent.mkdir(parents=True, exist_ok=True)
        handle = open(lock_path, "a+")  # noqa: SIM115  # closed by the with below
    except OSError as exc:
        raise StoreError(f"cannot create the lock file {lock_path}: {exc.strerror or exc}") from exc
    with handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "another process"
            raise RunLocked(
                f"another crawl pass is running on {db_path} (pid {holder}); not starting a second one"
            ) from None
        with _file_lock(real, db_path):
            handle.seek(0)
            handle.truncate()
            handle.write(str(os.getpid()))
            handle.flush()
            try:
                yield
            finally:
                handle.seek(0)
                handle.truncate()
                fcntl.flock(handle, fcntl.LOCK_UN)


# Descriptors of database files this process has locked, by (st_dev, st_ino), and whether the lock is
# held now. They stay open until the process ends: closing any descriptor of a file drops every POSIX
# lock the process holds on it — SQLite's own included — so they are unlocked, never closed.
_DB_FILES: dict[tuple[int, int], tuple[int, bool]] = {}


@contextmanager
def _file_lock(real: Path, shown: str | Path) -> Iterator[None]:
    """flock(2) on the database file itself (created empty if new: SQLite takes an empty file as a new
    database). flock and SQLite's fcntl locks do not interact on local filesystems."""
    try:
        known = os.stat(real)
        key = (known.st_dev, known.st_ino)
    except FileNotFoundError:
        key = None
    if key in _DB_FILES:
        descriptor, held = _DB_FILES[key]  # type: ignore[index]  # key is not None here
        if held:
            raise RunLocked(f"another crawl pass is running on {shown} (this process); not starting a second one")
    else:
        try:
            descriptor = os.open(real, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as exc:
            raise StoreError(f"cannot open the database {real}: {exc.strerror or exc}") from exc
        key = (os.fstat(descriptor).st_dev, os.fstat(descriptor).st_ino)
    try:
        fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        _DB_FILES[key] = (descriptor, False)
        raise RunLocked(
            f"another crawl pass is running on {shown} (the same database file under another name or link);"
            " not starting a second one"
        ) from None
    _DB_FILES[key] = (descriptor, True)
    try:
        yield
    finally:
        fcntl.flock(descriptor, fcntl.LOCK_UN)
        _DB_FILES[key] = (descriptor, False)


class _QuietScrapy(logging.Filter):
    """Drop Scrapy's own INFO lines (versions, settings, middlewares, stats dumps): noise in a log that
    should hold one line per outlet per pass. Its warnings and errors pass; LOG_LEVEL=DEBUG shows all."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not record.name.startswith("scrapy")


def log_file_handler(path: str) -> logging.FileHandler:
    """The settings' ``log_file``, appended to; its folder is created when missing. A folder that
    cannot be made or a file that cannot be opened is a ConfigError (one line), not a traceback."""
    folder = Path(path).resolve().parent
    if folder.exists() and not folder.is_dir():
        raise ConfigError(f"log_file {path}: cannot open it for writing: {folder} is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        return logging.FileHandler(path, encoding="utf-8")
    except OSError as exc:
        raise ConfigError(f"log_file {path}: cannot open it for writing: {exc.strerror or exc}") from exc


def _log_handler(settings: Any) -> logging.Handler:
    handler: logging.Handler
    if settings.get("LOG_FILE"):
        handler = log_file_handler(settings.get("LOG_FILE"))
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter(settings.get("LOG_FORMAT"), settings.get("LOG_DATEFORMAT")))
    level = str(settings.get("LOG_LEVEL")).upper()
    handler.setLevel(level)
    if level != "DEBUG":
        handler.addFilter(_QuietScrapy())
    return handler


def run_pass(
    db_path: str,
    *,
    outlets: Sequence[str] | None = None,
    replay: bool = False,
    snapshot: str | Path | None = None,
    progress: bool = True,
    overrides: dict[str, Any] | None = None,
) -> RunResult:
    """Crawl the selected outlets once and return their statistics (also stored as run history).
    ``replay`` crawls ``snapshot`` (else ``$CRAWLER_SNAPSHOT``, else the bundled one) over loopback."""
    from scrapy.crawler import CrawlerProcess

    from crawler.config import db_options, scrapy_settings
    from crawler.outlets import select_outlets
    from crawler.replay import SnapshotServer, resolve_snapshot

    selected = select_outlets(outlets)
    snapshot_dir = resolve_snapshot(snapshot) if replay else None  # a bad folder stops us before the run starts

    with run_lock(db_path):
        settings = scrapy_settings()
        if settings.get("LOG_FILE"):
            log_file_handler(settings.get("LOG_FILE")).close()  # an unusable log file stops us before the run starts
        db = open_db(db_path, **db_options(settings))
        run_id = runs.start_run(db, replay=replay)
        settings.set("CRAWLER_DB", db_path, priority="cmdline")
        settings.set("CRAWLER_RUN_ID", run_id, priority="cmdline")
        terminal = progress and sys.stderr.isatty()  # people get progress lines; cron gets plain log lines
        extensions = {"crawler.extensions.RunRecorder": 0} | ({"crawler.extensions.Progress": 0} if terminal else {})
        settings.set("EXTENSIONS", extensions, priority="cmdline")
        settings.set("CRAWLER_PROGRESS", terminal, priority="cmdline")
        settings.set("LOG_LEVEL", "ERROR" if terminal else settings.get("CRAWLER_LOG_LEVEL"), priority="cmdline")
        for name, value in (overrides or {}).items():
            settings.set(name, value, priority="cmdline")
        server = None
        if snapshot_dir is not None:
            server = SnapshotServer(snapshot_dir).start()
            for name, value in settings.getdict("REPLAY_SETTINGS").items():
                settings.set(name, value, priority="cmdline")
            settings.set("CRAWLER_REPLAY_ADDRESS", server.address, priority="cmdline")
            settings.set("CRAWLER_NOW", server.recorded_at, priority="cmdline")
        settings.set("LOG_INSTALL_ROOT_HANDLER", False, priority="cmdline")  # ours below, filtered
        handler = _log_handler(settings)
        logging.root.addHandler(handler)
        logging.root.setLevel(logging.NOTSET)
        crawlers = []
        try:
            process = CrawlerProcess(settings)
            for name in selected:
                crawlers.append(process.create_crawler(name))
                process.crawl(crawlers[-1])
            process.start()
        finally:
            logging.root.removeHandler(handler)
            handler.close()
            if server is not None:
                server.stop()
            logging.shutdown()
        # a database fault that stopped the crawl (full, locked too long, damaged): the run is marked
        # failed if the database still takes that write, and the pass ends with the fault's one line
        faults = [c.stats.get_value("bulletin/store_error") for c in crawlers if c.stats]
        fault = next((text for text in faults if text), None)
        if fault:
            with contextlib.suppress(StoreError):
                runs.finish_run(db, run_id, ok=False)
            raise StoreError(f"the pass stopped: {fault}")
        rows = {row["outlet"]: row for row in runs.outlet_results(db, run_id)}
        result = RunResult(run_id=run_id)
        for name in selected:
            result.outlets[name] = rows.get(name) or {
                **dict.fromkeys(COUNTERS, 0),
                "ok": False,
                "finish_reason": "did not start",
                "strategies": {},
            }
        runs.finish_run(db, run_id, ok=result.ok)
        with contextlib.suppress(sqlite3.OperationalError):  # locked: the next search or pass indexes them
            search_index.refresh(db)  # the pass's new articles become searchable by word form
        return result
