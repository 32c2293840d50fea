"""Nothing silent: a site that moves, redirects in circles or elsewhere, stops listing articles, or
outgrows the per-pass cap is named by `crawler status` after one pass, and a dead declared URL beside a
working discovered one names the line of the spider to change. Real crawls of a changed snapshot copy."""

from __future__ import annotations

import json
import re
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler import discovery
from crawler.outlets import load_outlets
from crawler.replay import SNAPSHOT_DIR
from crawler.urls import canonical_url
from tests.conftest import run_crawler

pytestmark = pytest.mark.slow


def snapshot_copy(tmp_path: Path) -> Path:
    target = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, target)
    return target


def edit_routes(snapshot: Path, outlet: str, change: Any) -> None:
    path = snapshot / outlet / "routes.yml"
    routes = yaml.safe_load(path.read_text("utf-8"))
    path.write_text(yaml.safe_dump(change(routes), allow_unicode=True, sort_keys=False), "utf-8")


def crawl(tmp_path: Path, snapshot: Path, outlet: str, **env: str) -> tuple[int, dict[str, Any]]:
    done = run_crawler(
        tmp_path / "db.sqlite",
        "run",
        "--replay",
        "--outlet",
        outlet,
        "--json",
        CRAWLER_SNAPSHOT=str(snapshot),
        **env,
    )
    assert done.stdout, done.stderr[-2000:]
    return done.returncode, json.loads(done.stdout)[outlet]


def status(tmp_path: Path) -> tuple[int, str]:
    done = run_crawler(tmp_path / "db.sqlite", "status")
    return done.returncode, done.stdout + done.stderr


def test_a_site_that_moved_to_an_undeclared_host_is_named_after_one_pass(tmp_path: Path) -> None:
    snapshot = snapshot_copy(tmp_path)
    spider = load_outlets()["azattyq"]
    moved = "www.azattyq-new.example"
    edit_routes(  # every page of every declared host now answers 301 to the same path on a new host
        snapshot,
        "azattyq",
        lambda routes: [
            {"url": r["url"], "redirect": f"https://{moved}/" + r["url"].split("/", 3)[3], "status": 301}
            for r in routes
        ],
    )
    code, result = crawl(tmp_path, snapshot, "azattyq")
    assert code == 1 and not result["ok"]
    assert result["finish_reason"] in ("no discovery strategy answered", "no strategy found an article link")
    refused = [s for s in result["strategies"].values() if s.get("redirect_host") == moved]
    assert refused, result["strategies"]
    assert all(f"redirected to {moved}" in s["problem"] for s in refused)
    assert result["new_articles"] == 0
    code, report = status(tmp_path)
    assert code == 1
    assert f"azattyq: pages redirect to {moved} — has the site moved?" in report
    assert spider.hosts  # the declaration itself is unchanged: the warning says what to add


def test_doctor_shows_where_a_moved_sites_strategies_redirect(tmp_path: Path) -> None:
    snapshot = snapshot_copy(tmp_path)
    edit_routes(
        snapshot,
        "azattyq",
        lambda routes: [{"url": r["url"], "redirect": "https://new-home.example/", "status": 301} for r in routes],
    )
    done = run_crawler(
        tmp_path / "unused.db", "doctor", "--replay", "--outlet", "azattyq", CRAWLER_SNAPSHOT=str(snapshot)
    )
    assert done.returncode == 1, done.stderr[-2000:]
    assert "→ redirects to new-home.example" in done.stdout
    assert "azattyq: 0/" in done.stdout and "has the site moved?" in done.stdout


def test_redirect_loops_and_non_http_redirects_are_recorded_failures(tmp_path: Path) -> None:
    snapshot = snapshot_copy(tmp_path)
    listings = load_outlets()["vlast"].listings

    def change(routes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for route in routes:
            if route["url"] == listings[0]:
                route.clear()
                route.update(url=listings[0], redirect="https://vlast.kz/loop-b/", status=302)
            elif route["url"] == listings[1]:
                route.clear()
                route.update(url=listings[1], redirect="ftp://files.vlast.kz/archive/", status=301)
        return [*routes, {"url": "https://vlast.kz/loop-b/", "redirect": listings[0], "status": 302}]

    edit_routes(snapshot, "vlast", change)
    _, result = crawl(tmp_path, snapshot, "vlast")
    strategies = result["strategies"]
    assert strategies[listings[0]]["problem"].startswith("redirect loop")
    assert strategies[listings[1]]["problem"].startswith("redirect to a non-http address (ftp://")
    assert not strategies[listings[0]]["ok"] and not strategies[listings[1]]["ok"]


def test_an_outlet_whose_strategies_find_no_article_link_is_unhealthy_after_one_pass(tmp_path: Path) -> None:
    snapshot = snapshot_copy(tmp_path)
    for page in (snapshot / "ulysmedia").rglob("*.html"):  # a redesign: links now go through a click tracker
        text = re.sub(
            r'href="(?:https?://(?:qaz\.)?ulysmedia\.kz)?/', 'href="https://click.example/?u=/', page.read_text("utf-8")
        )
        page.write_text(text, "utf-8")
    code, result = crawl(tmp_path, snapshot, "ulysmedia")
    assert code == 1 and result["finish_reason"] == "no strategy found an article link"
    code, report = status(tmp_path)
    assert code == 1 and "ulysmedia: no discovery strategy found a single article link" in report


def test_the_per_pass_cap_takes_the_newest_first_and_status_says_it_was_reached(tmp_path: Path) -> None:
    code, result = crawl(tmp_path, SNAPSHOT_DIR, "orda", CRAWLER_MAX_ARTICLE_REQUESTS="3")
    assert result["article_requests"] == 3
    code, report = status(tmp_path)
    assert code == 1 and "orda: the last pass reached the cap of article requests" in report
    # the three requested are the three newest that the outlet's sitemaps and feed date
    spider = load_outlets()["orda"]
    dated: dict[str, Any] = {}
    for xml in (SNAPSHOT_DIR / "orda").rglob("*.xml"):
        root, _ = discovery.parse_xml(xml.read_bytes())
        sitemap = discovery.read_sitemap(root) if root is not None else None
        links = sitemap.links if sitemap else (discovery.feed_links(root) if root is not None else [])
        for url, date in links:
            moment = discovery.link_time(date)
            if moment and spider.article_url.match(canonical_url(url)):
                dated[canonical_url(url)] = max(moment, dated.get(canonical_url(url), moment))
    newest = sorted(dated, key=lambda url: dated[url], reverse=True)[:3]
    with sqlite3.connect(tmp_path / "db.sqlite") as db:
        requested = {row[0] for row in db.execute("SELECT fetched_url FROM pages UNION SELECT url FROM failures")}
    assert {canonical_url(url) for url in requested} == set(newest)


def test_a_dead_declared_url_beside_a_working_discovered_one_names_the_line_to_change(tmp_path: Path) -> None:
    snapshot = snapshot_copy(tmp_path)
    spider = load_outlets()["vlast"]
    declared = spider.feeds[0]
    body: dict[str, Any] = {}

    def change(routes: list[dict[str, Any]]) -> list[dict[str, Any]]:
        for route in routes:
            if route["url"] == declared and route.get("file"):
                body.update(route)
        kept = [r for r in routes if r["url"] != declared]
        working = body or {"file": "listing/novosti-1.html"}
        extra = {"url": "https://vlast.kz/rss.xml", "file": working["file"]}  # a usual path, not declared
        return [*kept, {"url": declared, "status": 404}, extra]

    edit_routes(snapshot, "vlast", change)
    code, result = crawl(tmp_path, snapshot, "vlast")
    assert result["new_articles"] > 0
    hint = result["strategies"][declared].get("hint", "")
    assert "spiders/vlast.py line" in hint and declared in hint
    code, report = status(tmp_path)
    assert code == 1 and f"declared feed {declared} is dead" in report
