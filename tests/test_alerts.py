"""Alerts: one message per change of health, delivered to a local HTTP receiver on 127.0.0.1."""

from __future__ import annotations

import json
import shutil
import threading
from collections.abc import Iterator
from datetime import timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import pytest

from crawler import alerts, health
from crawler.config import load_config
from crawler.replay import SNAPSHOT_DIR
from crawler.schedule import Scheduler
from crawler.store import health as store
from crawler.store import open_db
from tests.ops_history import NOW, add_article, add_run, healthy_history


class Receiver:
    """A webhook on 127.0.0.1 that records every JSON message apprise posts to it."""

    def __init__(self) -> None:
        self.messages: list[dict[str, Any]] = []
        outer = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
                outer.messages.append(json.loads(body))
                self.send_response(200)
                self.send_header("Content-Length", "0")
                self.end_headers()

            def log_message(self, *args: Any) -> None:
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        return f"json://127.0.0.1:{self.httpd.server_address[1]}/hook"

    def close(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    server = Receiver()
    yield server
    server.close()


def test_one_message_per_change_and_a_down_target_is_retried(tmp_path: Path, receiver: Receiver) -> None:
    db = open_db(tmp_path / "crawler.db")
    healthy_history(db, outlets=("vlast",), days=1)
    config = {**load_config(environ={}), "alert_urls": [receiver.url], "alert_timeout_seconds": 5}
    report = health.status(db, config=config, now=NOW)
    assert report.healthy and alerts.notify_change(db, report, config) is None

    add_run(db, NOW, {"vlast": {"ok": False, "finish_reason": "shutdown"}})
    add_run(db, NOW + timedelta(minutes=30), {"vlast": {"ok": False, "finish_reason": "shutdown"}})
    sick = health.status(db, config=config, now=NOW + timedelta(minutes=31))
    down = {**config, "alert_urls": ["json://127.0.0.1:9/closed"], "alert_timeout_seconds": 2}
    assert alerts.notify_change(db, sick, down) is None  # target down: logged, still pending
    assert store.get_state(db, alerts.STATE_KEY) is None
    assert alerts.notify_change(db, sick, config) == "unhealthy"
    assert alerts.notify_change(db, sick, config) is None  # the same state again: no second message
    (message,) = receiver.messages
    assert "UNHEALTHY" in message["title"] and "vlast: the last 2 crawls failed" in message["message"]

    add_run(db, NOW + timedelta(minutes=60), {"vlast": {}})
    well = health.status(db, config=config, now=NOW + timedelta(minutes=61))
    assert well.healthy
    assert alerts.notify_change(db, well, config) == "recovered"
    assert alerts.notify_change(db, well, config) is None
    assert [m["title"].rsplit(": ", 1)[-1] for m in receiver.messages] == ["UNHEALTHY", "recovered"]


def break_article_markup(snapshot: Path, outlet: str) -> int:
    """A redesign: every article page of ``outlet`` becomes a script-rendered shell."""
    pages = sorted((snapshot / outlet / "articles").glob("*.html"))
    for page in pages:
        page.write_text(
            "<!doctype html><html><head><title>Ulys</title></head>"
            '<body><div id="root"></div><script src="/static/app.js"></script></body></html>',
            encoding="utf-8",
        )
    return len(pages)


@pytest.mark.slow
def test_a_redesign_turns_status_unhealthy_and_alerts_once(
    tmp_path: Path, receiver: Receiver, monkeypatch: pytest.MonkeyPatch
) -> None:
    snapshot = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)
    assert break_article_markup(snapshot, "ulysmedia") >= 5
    db_path = tmp_path / "crawler.db"
    for name in ("CRAWLER_CONFIG", "CRAWLER_LOG_FILE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("CRAWLER_DB", str(db_path))
    monkeypatch.setenv("CRAWLER_SNAPSHOT", str(snapshot))
    monkeypatch.setenv("CRAWLER_ALERT_URLS", receiver.url)
    config = load_config()

    assert Scheduler(config, replay=True, max_passes=2, interval=timedelta(seconds=1)).run() == 0
    db = open_db(db_path)
    report = health.status(db, config=config)
    assert not report.healthy
    assert {w.outlet for w in report.warnings} == {"ulysmedia"}
    assert {w.kind for w in report.warnings} == {"coverage"}
    assert len(receiver.messages) == 1 and "ulysmedia" in receiver.messages[0]["message"]

    # the outlet is fixed: its next articles come with dates, authors and text again
    from datetime import UTC, datetime

    for minute in range(config["coverage_window"]):
        add_article(db, "ulysmedia", datetime.now(UTC) + timedelta(seconds=minute))
    assert Scheduler(config, replay=True, max_passes=1).run() == 0
    assert health.status(db, config=config).healthy
    assert [m["title"].rsplit(": ", 1)[-1] for m in receiver.messages] == ["UNHEALTHY", "recovered"]
