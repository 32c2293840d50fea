"""``crawler schedule``: a crawl pass every N minutes until stopped, on the ``schedule`` library.

Each pass is a child process (``python -m crawler --db … run --json``): Scrapy's reactor cannot restart
inside one process, and a pass that crashes or is killed must not take the loop with it. After each
pass the loop logs one line per outlet, judges health and sends an alert if it changed.

SIGTERM or SIGINT stop the loop: a running pass gets SIGINT (Scrapy closes its spiders, the pass
records its result and releases the lock; before Scrapy starts, Python unwinds just as cleanly), and
SIGKILL if it has not ended after ``STOP_GRACE``.
"""

from __future__ import annotations

import json
import logging
import os
import signal
import subprocess
import sys
import threading
from collections.abc import Mapping, Sequence
from datetime import datetime, time, timedelta
from types import FrameType
from typing import Any

import schedule

from crawler.config import QUIET_HOURS

logger = logging.getLogger("crawler.schedule")
STOP_GRACE = 30.0  # seconds a stopped pass gets to close its spiders before it is killed
EXIT_MEANINGS = {0: "ok", 1: "an outlet failed", 2: "error", 3: "another pass holds the lock", 130: "interrupted"}


def in_quiet_hours(now: time, quiet_hours: str) -> bool:
    """Whether ``now`` falls in ``"HH:MM-HH:MM"`` (which may wrap past midnight)."""
    match = QUIET_HOURS.match(quiet_hours or "")
    if not match:
        return False
    start = time(int(match.group(1)), int(match.group(2)))
    end = time(int(match.group(3)), int(match.group(4)))
    if start <= end:
        return start <= now < end
    return now >= start or now < end


class Scheduler:
    """The loop. ``run()`` blocks until ``stop()`` (or a signal) and returns the exit status."""

    def __init__(
        self,
        config: Mapping[str, Any],
        *,
        interval: timedelta | None = None,
        replay: bool = False,
        outlets: Sequence[str] = (),
        max_passes: int = 0,
    ) -> None:
        self.config = config
        self.db_path = str(config["db"])
        self.interval = interval or timedelta(minutes=config["interval_minutes"])
        self.replay = replay
        self.outlets = list(outlets)
        self.max_passes = max_passes
        self.passes = 0
        self.child: subprocess.Popen[str] | None = None
        self._stop = threading.Event()
        self._jobs = schedule.Scheduler()

    # --- the loop -------------------------------------------------------------------------------

    def run(self) -> int:
        previous = {sig: signal.signal(sig, self._on_signal) for sig in (signal.SIGTERM, signal.SIGINT)}
        seconds = max(1, round(self.interval.total_seconds()))
        logger.info("scheduler started: a pass every %s s on %s (pid %d)", seconds, self.db_path, os.getpid())
        try:
            self._jobs.every(seconds).seconds.do(self.tick)
            self.tick()  # the first pass runs now, not one interval from now
            while not self._stop.is_set():
                self._jobs.run_pending()
                idle = self._jobs.idle_seconds
                self._stop.wait(timeout=min(max(idle or 0, 0.05), 1.0))
        finally:
            for sig, handler in previous.items():
                signal.signal(sig, handler)
        logger.info("scheduler stopped after %d pass(es)", self.passes)
        return 0

    def stop(self) -> None:
        """End the loop; a running pass is asked to stop (it records its result and releases the lock)."""
        self._stop.set()
        child = self.child
        if child is not None and child.poll() is None:
            child.send_signal(signal.SIGINT)

    def _on_signal(self, signum: int, _frame: FrameType | None) -> None:
        logger.info("%s received: stopping", signal.Signals(signum).name)
        self.stop()

    def tick(self) -> None:
        """One scheduled moment: a pass unless in quiet hours; never raises."""
        if self._stop.is_set():
            return
        if in_quiet_hours(datetime.now().time(), self.config["quiet_hours"]):
            logger.info("quiet hours (%s): no pass", self.config["quiet_hours"])
            return
        try:
            self.run_pass()
        except Exception:  # a bug in one pass's bookkeeping must not end the loop
            logger.exception("the pass could not be run")
        try:
            self.check_health()
        except Exception:
            logger.exception("health could not be judged")
        self.passes += 1
        if self.max_passes and self.passes >= self.max_passes:
            self._stop.set()

    # --- one pass -------------------------------------------------------------------------------

    def command(self) -> list[str]:
        command = [sys.executable, "-m", "crawler", "--db", self.db_path, "run", "--json"]
        if self.replay:
            command.append("--replay")
        for name in self.outlets:
            command += ["--outlet", name]
        return command

    def run_pass(self) -> int:
        """Run one pass as a child process; log one line per outlet; return the child's exit status."""
        env = dict(os.environ)
        if self.config["log_level"].upper() != "DEBUG":
            env["CRAWLER_LOG_LEVEL"] = "WARNING"  # the scheduler logs the per-outlet lines itself
        timeout = self.config["pass_timeout_minutes"] * 60
        self.child = subprocess.Popen(
            self.command(),
            stdout=subprocess.PIPE,
            text=True,
            env=env,
            start_new_session=True,  # a terminal's Ctrl-C reaches the scheduler only; it forwards one SIGINT
            preexec_fn=_default_sigint,
        )
        try:
            out, _ = self.child.communicate(timeout=timeout)
        except subprocess.TimeoutExpired:
            logger.error("pass exceeded %s minutes: stopping it", self.config["pass_timeout_minutes"])
            self.child.send_signal(signal.SIGINT)
            out = self._finish_stopped_child()
        except BaseException:
            out = self._finish_stopped_child()
            raise
        code = self.child.returncode
        self.child = None
        self._log_result(code, out)
        return code

    def _finish_stopped_child(self) -> str:
        assert self.child is not None
        try:
            out, _ = self.child.communicate(timeout=STOP_GRACE)
        except subprocess.TimeoutExpired:
            logger.error("pass did not stop within %s s: killing it", STOP_GRACE)
            self.child.kill()
            out, _ = self.child.communicate()
        return out or ""

    def _log_result(self, code: int, out: str) -> None:
        try:
            outlets: dict[str, dict[str, Any]] = json.loads(out) if out.strip() else {}
        except ValueError:
            outlets = {}
        for name, row in outlets.items():
            counts = " ".join(
                f"{key}={row.get(key, 0)}" for key in ("requests", "new_articles", "candidates", "errors")
            )
            level = logging.INFO if row.get("ok") else logging.WARNING
            verdict = "ok" if row.get("ok") else f"FAILED ({row.get('finish_reason')})"
            logger.log(level, "outlet=%s %s %s", name, counts, verdict)
        meaning = EXIT_MEANINGS.get(code, "crashed" if code > 0 else f"killed by signal {-code}")
        level = logging.INFO if code == 0 else logging.WARNING if code in (1, 3) else logging.ERROR
        logger.log(level, "pass ended: exit %d (%s)", code, meaning)

    def check_health(self) -> None:
        from crawler import alerts, health
        from crawler.config import db_options
        from crawler.store import open_db

        db = open_db(self.db_path, **db_options())
        report = health.status(db, self.outlets, config=self.config)
        for warning in report.warnings:
            logger.warning("health: %s", warning)
        alerts.notify_change(db, report, self.config)


def _default_sigint() -> None:
    """In the child before exec: a scheduler started with SIGINT ignored (``nohup``, ``&``) must not
    pass that on, or the pass could not be stopped gently."""
    signal.signal(signal.SIGINT, signal.SIG_DFL)


def setup_logging(config: Mapping[str, Any]) -> None:
    """The scheduler's own log: a file (appended; rotation is the OS's job) or standard error."""
    handler: logging.Handler
    if config["log_file"]:
        from crawler.run import log_file_handler

        handler = log_file_handler(config["log_file"])
    else:
        handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger()
    root.addHandler(handler)
    root.setLevel(config["log_level"].upper())
