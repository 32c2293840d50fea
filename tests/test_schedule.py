"""crawler schedule: passes in child processes, quiet hours, a clean stop on SIGTERM."""

from __future__ import annotations

import fcntl
import os
import signal
import sqlite3
import subprocess
import sys
import time
from datetime import datetime, timedelta
from datetime import time as clock
from pathlib import Path

import pytest

from crawler.config import load_config
from crawler.schedule import Scheduler, in_quiet_hours


@pytest.mark.parametrize(
    ("now", "window", "quiet"),
    [
        ("02:00", "01:00-06:00", True),
        ("06:00", "01:00-06:00", False),
        ("23:30", "23:00-06:00", True),
        ("05:59", "23:00-06:00", True),
        ("12:00", "23:00-06:00", False),
        ("12:00", "", False),
    ],
)
def test_quiet_hours_may_wrap_past_midnight(now: str, window: str, quiet: bool) -> None:
    assert in_quiet_hours(clock.fromisoformat(now), window) is quiet


def test_a_failing_pass_does_not_end_the_loop(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    config = {**load_config(environ={}), "db": str(tmp_path / "crawler.db")}
    scheduler = Scheduler(config, outlets=["no-such-outlet"], max_passes=2, interval=timedelta(seconds=1))
    assert scheduler.run() == 0
    assert scheduler.passes == 2
    assert caplog.text.count("pass ended: exit 2 (error)") == 2


def test_quiet_hours_skip_the_pass(tmp_path: Path, caplog: pytest.LogCaptureFixture) -> None:
    now = datetime.now()
    window = f"{now - timedelta(hours=1):%H:%M}-{now + timedelta(hours=1):%H:%M}"
    config = {**load_config(environ={}), "db": str(tmp_path / "crawler.db"), "quiet_hours": window}
    scheduler = Scheduler(config)
    scheduler.run_pass = lambda: pytest.fail("a pass ran in quiet hours")  # type: ignore[method-assign]  # the pass is replaced to prove it never runs
    caplog.set_level("INFO")
    scheduler.tick()
    assert f"quiet hours ({window}): no pass" in caplog.text


def runs(db: Path) -> list[tuple[int, str]]:
    with sqlite3.connect(db) as conn:
        try:
            return conn.execute("SELECT id, status FROM runs ORDER BY id").fetchall()
        except sqlite3.OperationalError:  # the scheduler has not created the schema yet
            return []


@pytest.mark.slow
def test_two_replay_passes_then_sigterm_releases_the_lock(tmp_path: Path) -> None:
    db = tmp_path / "crawler.db"
    log = tmp_path / "crawler.log"
    env = {**os.environ, "CRAWLER_CONFIG": "", "CRAWLER_LOG_FILE": str(log)}
    scheduler = subprocess.Popen(
        [sys.executable, "-m", "crawler", "--db", str(db), "schedule", "--replay", "--interval", "0.02"],
        env=env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 90
        while time.monotonic() < deadline:
            if db.exists() and sum(status != "running" for _, status in runs(db)) >= 2:
                break
            time.sleep(0.2)
        else:
            pytest.fail("two passes did not finish in time")
        scheduler.send_signal(signal.SIGTERM)
        assert scheduler.wait(timeout=40) == 0
    finally:
        if scheduler.poll() is None:
            scheduler.kill()
            scheduler.wait()
    finished = [status for _, status in runs(db) if status != "running"]
    assert finished[:2] == ["ok", "ok"]
    with open(f"{db}.lock", "a+") as handle:  # the lock is free: a new pass could start now
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    text = log.read_text(encoding="utf-8")
    assert text.count("outlet=vlast ") >= 2 and "SIGTERM received: stopping" in text
    assert "scheduler stopped after" in text
