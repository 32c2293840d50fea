"""Scrapy's own commands in the checkout: the same settings, database, pipelines, lock and run records as
``crawler run`` (Scrapyd starts every job as ``scrapy crawl``)."""

from __future__ import annotations

import os
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from crawler.run import run_lock
from tests.conftest import LEAKY_ENV, ROOT

OUTLETS = ["azattyq", "bureau", "orda", "ulysmedia", "vlast"]


def scrapy(*args: str, cwd: Path = ROOT, **env: str) -> subprocess.CompletedProcess[str]:
    environ = {key: value for key, value in os.environ.items() if key not in LEAKY_ENV}
    environ.update(env)
    return subprocess.run(
        [sys.executable, "-m", "scrapy", *args],
        capture_output=True,
        text=True,
        timeout=120,
        cwd=cwd,
        env=environ,
        check=False,
    )


def query(db: Path, sql: str) -> list[tuple[object, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql).fetchall()
    finally:
        conn.close()


def test_scrapy_list_names_the_outlets() -> None:
    result = scrapy("list")
    assert result.returncode == 0, result.stderr[-2000:]
    assert result.stdout.split() == OUTLETS


def test_scrapy_check_passes() -> None:
    result = scrapy("check")
    assert result.returncode == 0, result.stderr[-2000:]


@pytest.mark.slow
def test_scrapy_crawl_stores_classifies_and_records_its_run(tmp_path: Path) -> None:
    db = tmp_path / "crawl.db"
    first = scrapy("crawl", "vlast", "-s", f"CRAWLER_DB={db}", "-s", "CRAWLER_REPLAY=1")
    assert first.returncode == 0, first.stderr[-3000:]
    assert "TypeError" not in first.stderr
    articles = query(db, "SELECT count(*), count(rubric), count(DISTINCT key) FROM articles WHERE outlet = 'vlast'")
    stored, classified, distinct = articles[0]
    assert stored >= 10 and classified >= 1 and distinct == stored  # ClassifyPipeline and StorePipeline ran
    assert query(db, "SELECT count(*) FROM pages") == [(stored,)]
    assert query(db, "SELECT status, replay FROM runs") == [("ok", 1)]
    rows = query(db, "SELECT outlet, ok, new_articles, article_requests > 0 FROM run_outlets")
    assert rows == [("vlast", 1, stored, 1)]

    second = scrapy("crawl", "vlast", "-s", f"CRAWLER_DB={db}", "-s", "CRAWLER_REPLAY=1")
    assert second.returncode == 0, second.stderr[-3000:]
    last = query(db, "SELECT article_requests, new_articles, ok FROM run_outlets ORDER BY id DESC LIMIT 1")
    assert last == [(0, 0, 1)]  # the fetch state is the database's, as with `crawler run`


@pytest.mark.slow
def test_scrapy_crawl_defaults_to_state_crawler_db_and_reads_the_environment(tmp_path: Path) -> None:
    # outside the checkout, as Scrapyd or cron may run it: the settings module named, the database relative
    result = scrapy(
        "crawl",
        "orda",
        "-s",
        "CRAWLER_REPLAY=1",
        "-s",
        "CRAWLER_MAX_LISTING_PAGES=1",
        cwd=tmp_path,
        SCRAPY_SETTINGS_MODULE="crawler.settings",
        PYTHONPATH=str(ROOT),
        CRAWLER_CONTACT_URL="https://example.org/ops",
    )
    assert result.returncode == 0, result.stderr[-3000:]
    db = tmp_path / "state" / "crawler.db"
    assert query(db, "SELECT outlet, ok FROM run_outlets") == [("orda", 1)]
    assert "'USER_AGENT': 'bulletin-crawler/" in result.stderr and "(+https://example.org/ops)" in result.stderr


def test_scrapy_crawl_while_a_pass_holds_the_lock_is_one_line(tmp_path: Path) -> None:
    db = tmp_path / "locked.db"
    with run_lock(db):
        result = scrapy("crawl", "vlast", "-s", f"CRAWLER_DB={db}", "-s", "CRAWLER_REPLAY=1")
    assert result.returncode == 3
    assert "scrapy: error: another crawl pass is running on" in result.stderr
    assert "Traceback" not in result.stderr


def test_scrapy_crawl_with_a_bad_setting_is_one_line(tmp_path: Path) -> None:
    result = scrapy("crawl", "vlast", "-s", f"CRAWLER_DB={tmp_path / 'x.db'}", CRAWLER_INTERVAL_MINUTES="soon")
    assert result.returncode == 2
    assert "scrapy: error: environment CRAWLER_INTERVAL_MINUTES: interval_minutes must be" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "x.db").exists()


def test_a_node_job_without_a_feed_refuses_to_start(tmp_path: Path) -> None:
    db = tmp_path / "node.db"
    result = scrapy("crawl", "vlast", "-s", f"CRAWLER_DB={db}", "-s", "CRAWLER_NODE=http://127.0.0.1:6800")
    assert result.returncode == 2
    assert "scrapy: error: a node's job (CRAWLER_NODE) needs a feed for its items" in result.stderr
    assert not db.exists()
