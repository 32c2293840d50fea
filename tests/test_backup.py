"""crawler backup: a consistent copy of the database, also while a crawl writes to it."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from crawler.backup import backup_database
from crawler.cli import main
from crawler.errors import StoreError, UsageError
from crawler.store import open_db
from tests.ops_history import healthy_history


def integrity(path: Path) -> str:
    with sqlite3.connect(path) as conn:
        return conn.execute("PRAGMA integrity_check").fetchone()[0]


def test_backup_copies_everything_and_refuses_to_overwrite(tmp_path: Path) -> None:
    db_path = tmp_path / "crawler.db"
    healthy_history(open_db(db_path), days=1)
    result = backup_database(db_path, tmp_path / "copy.db")
    assert integrity(result.path) == "ok"
    with sqlite3.connect(result.path) as copy:
        assert copy.execute("SELECT count(*) FROM articles").fetchone()[0] == 24
    with pytest.raises(UsageError, match="already exists"):
        backup_database(db_path, result.path)
    with pytest.raises(UsageError, match="database itself"):
        backup_database(db_path, db_path, overwrite=True)
    with pytest.raises(StoreError, match="no database"):
        backup_database(tmp_path / "missing.db", tmp_path / "x.db")
    dated = backup_database(db_path, tmp_path)
    assert dated.path.parent == tmp_path and dated.path.name.startswith("crawler-")
    assert not list(tmp_path.glob(".*.partial"))


def test_cli_backup_one_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db_path = tmp_path / "crawler.db"
    open_db(db_path)
    assert main(["--db", str(db_path), "backup", str(tmp_path / "b.db")]) == 0
    assert "integrity ok" in capsys.readouterr().out
    assert main(["--db", str(db_path), "backup", str(tmp_path / "b.db")]) == 2
    assert capsys.readouterr().err.startswith("crawler: error: ")


@pytest.mark.slow
def test_backup_during_a_running_crawl_passes_integrity_check(tmp_path: Path) -> None:
    db_path = tmp_path / "crawler.db"
    open_db(db_path)
    env = {**os.environ, "CRAWLER_CONFIG": ""}
    crawl = subprocess.Popen(
        [sys.executable, "-m", "crawler", "--db", str(db_path), "run", "--replay", "--json"],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        env=env,
    )
    copies = []
    try:
        while crawl.poll() is None and len(copies) < 300:  # articles come after discovery: copy till the end
            copies.append(backup_database(db_path, tmp_path / f"during-{len(copies)}.db").path)
            time.sleep(0.1)
    finally:
        assert crawl.wait(timeout=120) == 0
    assert len(copies) >= 3
    counts = []
    for copy in copies:
        assert integrity(copy) == "ok"
        with sqlite3.connect(copy) as conn:
            counts.append(conn.execute("SELECT count(*) FROM articles").fetchone()[0])
    assert counts == sorted(counts) and counts[-1] > 0  # copies taken mid-crawl, each a consistent state
