"""crawler doctor: every discovery strategy of every outlet, probed against the snapshot."""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
from typing import Any

import pytest

from crawler.cli import main
from crawler.outlets import load_outlets


def declared_strategies() -> set[tuple[str, str]]:
    """(outlet, url) of every strategy the spiders declare."""
    expected = set()
    for name, spider in load_outlets().items():
        urls = [*spider.feeds, *spider.feed_pages, *spider.sitemaps, *spider.json_apis, *spider.listings]
        urls += [template.format(n=1) for template in spider.numbered_sitemaps]
        expected |= {(name, url) for url in urls}
    return expected


@pytest.mark.slow
def test_doctor_replay_lists_every_strategy() -> None:
    env = {**os.environ, "CRAWLER_CONFIG": ""}
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "doctor", "--replay", "--json"],
        capture_output=True,
        text=True,
        env=env,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    rows: list[dict[str, Any]] = [json.loads(line) for line in done.stdout.splitlines()]
    assert declared_strategies() <= {(row["outlet"], row["url"]) for row in rows}
    by_url = {row["url"]: row for row in rows}
    assert by_url["https://vlast.kz/rss"]["ok"] is False and by_url["https://vlast.kz/rss"]["status"] == 404
    listing = by_url["https://orda.kz/last-news/"]
    assert listing["ok"] and listing["articles"] > 0 and listing["sample"].startswith("https://orda.kz/")
    assert {row["outlet"] for row in rows if row["ok"]} == set(load_outlets())


def test_doctor_without_network_says_so_in_one_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    def unreachable(*args: Any, **kwargs: Any) -> socket.socket:
        raise OSError(101, "Network is unreachable")

    monkeypatch.setattr(socket, "create_connection", unreachable)
    assert main(["doctor"]) == 2
    err = capsys.readouterr().err
    assert err.startswith("crawler: error: no network") and err.count("\n") == 1
