"""One pass per database file, whatever path leads to it (issue 12): the lock follows symlinks to the
real file, and a hard link — a second name for the same file — is caught by the live pass's own row in
the database. A pass killed mid-way is closed as "killed" by the next one, and status reports it."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from crawler import health
from crawler.cli import main
from crawler.config import load_config
from crawler.errors import RunLocked
from crawler.run import run_lock
from crawler.store import open_db, runs
from tests.conftest import ROOT, run_crawler


@pytest.fixture
def sleeper() -> subprocess.Popen[bytes]:
    """A live process younger than nothing we record: stands in for a running pass."""
    process = subprocess.Popen([sys.executable, "-c", "import time; time.sleep(60)"])
    yield process
    process.kill()
    process.wait()


def _dead_pid() -> int:
    process = subprocess.Popen([sys.executable, "-c", "pass"])
    process.wait()
    return process.pid


def _mark(db_path: Path, run_id: int, pid: int, started_at: str) -> None:
    db = open_db(db_path)
    with db.conn:
        db.conn.execute("UPDATE runs SET pid = ?, started_at = ? WHERE id = ?", [pid, started_at, run_id])


def test_the_lock_through_a_symlink_is_the_lock_of_the_real_file(tmp_path: Path) -> None:
    real = tmp_path / "real.db"
    open_db(real).close()
    (tmp_path / "link.db").symlink_to(real)
    (tmp_path / "dir").symlink_to(tmp_path)
    with run_lock(real):
        for other in (tmp_path / "link.db", tmp_path / "dir" / "real.db", tmp_path / "dir" / "." / "link.db"):
            with pytest.raises(RunLocked, match="another crawl pass is running"), run_lock(other):
                pass


def test_the_lock_through_a_hard_link_is_the_lock_of_the_same_file(tmp_path: Path) -> None:
    real, hard = tmp_path / "real.db", tmp_path / "hard.db"
    open_db(real).close()
    os.link(real, hard)
    with run_lock(real), pytest.raises(RunLocked, match="another crawl pass is running"), run_lock(hard):
        pass
    with run_lock(hard):  # released: either name takes it again
        pass


def test_a_live_pass_recorded_in_the_database_stops_a_second_start(tmp_path: Path, sleeper: subprocess.Popen) -> None:
    path = tmp_path / "real.db"
    first = runs.start_run(open_db(path), replay=True)
    _mark(path, first, sleeper.pid, datetime.now(UTC).isoformat(timespec="seconds"))
    with pytest.raises(RunLocked, match=rf"another crawl pass is running on this database \(pass #{first}"):
        runs.start_run(open_db(path), replay=True)
    assert [r["status"] for r in open_db(path)["runs"].rows] == ["running"]  # nothing recorded by the refused one


def test_two_real_passes_through_a_hard_link_cannot_run_at_once(tmp_path: Path) -> None:
    real, hard = tmp_path / "real.db", tmp_path / "hard.db"
    open_db(real).close()
    os.link(real, hard)
    environ = {key: value for key, value in os.environ.items() if not key.startswith("CRAWLER_")}
    first = subprocess.Popen(
        [sys.executable, "-m", "crawler", "--db", str(real), "run", "--replay", "--outlet", "azattyq"],
        cwd=ROOT,
        env={**environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
    )
    try:
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline and not open_db(real)["runs"].count:
            time.sleep(0.05)
        second = run_crawler(hard, "run", "--replay", "--outlet", "azattyq")
        assert second.returncode == 3, second.stderr
        assert "(the same database file under another name or link)" in second.stderr.strip().splitlines()[-1]
    finally:
        first.wait(timeout=180)
    assert first.returncode == 0
    db = open_db(real)  # (one process must not open one file under two names: SQLite refuses, rightly)
    assert db.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
    assert [r["status"] for r in db["runs"].rows] == ["ok"]


def test_a_killed_pass_is_closed_as_killed_by_the_next_and_status_reports_it(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "c.db"
    db = open_db(path)
    killed = runs.start_run(db, replay=False)
    _mark(path, killed, _dead_pid(), datetime.now(UTC).isoformat(timespec="seconds"))
    following = runs.start_run(db, replay=False)
    runs.finish_run(db, following, ok=True)
    statuses = {row["id"]: row["status"] for row in db["runs"].rows}
    assert statuses == {killed: "killed", following: "ok"}
    report = health.status(db, config=load_config(environ={}))
    warning = next(w for w in report.warnings if w.kind == "killed")
    assert f"1 pass(es) in the last 24 h were killed before they finished: #{killed} (" in warning.message
    assert "прерванных до завершения" in warning.ru
    assert main(["--db", str(path), "status", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["healthy"] is False and "killed" in {w["kind"] for w in data["warnings"]}
    later = health.status(db, config=load_config(environ={}), now=datetime.now(UTC) + timedelta(days=2))
    assert "killed" not in {w.kind for w in later.warnings}  # an old kill does not alarm forever


def test_a_reused_pid_does_not_keep_a_dead_pass_alive(tmp_path: Path, sleeper: subprocess.Popen) -> None:
    path = tmp_path / "c.db"
    db = open_db(path)
    old = runs.start_run(db, replay=False)
    _mark(path, old, sleeper.pid, "2020-01-01T00:00:00+00:00")  # the pid now belongs to a younger process
    runs.start_run(db, replay=False)
    assert db["runs"].get(old)["status"] == "killed"
