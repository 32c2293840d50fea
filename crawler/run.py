"""One crawl pass: take the lock, record the run, crawl every selected outlet, report per outlet.

Scrapy's reactor cannot restart in one process, so a pass is one process (the scheduler runs each
pass as a child process).
"""

from __future__ import annotations

import contextlib
import fcntl
import logging
import os
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from crawler.errors import RunLocked, StoreError
from crawler.store import open_db, runs

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
    """Hold an exclusive lock beside the database for the whole pass; a second pass fails at once.
    The OS releases it when the process dies, so a killed run never leaves a stale lock."""
    lock_path = Path(f"{db_path}.lock")
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


class _QuietScrapy(logging.Filter):
    """Drop Scrapy's own INFO lines (versions, settings, middlewares, stats dumps): noise in a log that
    should hold one line per outlet per pass. Its warnings and errors pass; LOG_LEVEL=DEBUG shows all."""

    def filter(self, record: logging.LogRecord) -> bool:
        return record.levelno >= logging.WARNING or not record.name.startswith("scrapy")


def _log_handler(settings: Any) -> logging.Handler:
    handler: logging.Handler
    if settings.get("LOG_FILE"):
        handler = logging.FileHandler(settings.get("LOG_FILE"), encoding="utf-8")
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
    progress: bool = True,
    overrides: dict[str, Any] | None = None,
) -> RunResult:
    """Crawl the selected outlets once and return their statistics (also stored as run history)."""
    from scrapy.crawler import CrawlerProcess

    from crawler.config import db_options, scrapy_settings
    from crawler.outlets import select_outlets
    from crawler.replay import SnapshotServer

    selected = select_outlets(outlets)

    with run_lock(db_path):
        settings = scrapy_settings()
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
        if replay:
            snapshot = settings.get("CRAWLER_SNAPSHOT_DIR")  # ops: a copy of the snapshot (redesign tests)
            server = (SnapshotServer(Path(snapshot)) if snapshot else SnapshotServer()).start()
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
        return result
