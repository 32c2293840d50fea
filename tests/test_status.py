"""crawler status: health judged from fabricated run history in a temporary database."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest

from crawler import health
from crawler.cli import main
from crawler.config import load_config
from crawler.store import open_db
from tests.ops_history import NOW, STRATEGIES, add_article, add_run, healthy_history


@pytest.fixture
def db(tmp_path: Path):
    return open_db(tmp_path / "crawler.db")


def kinds(report: health.StatusReport) -> set[tuple[str | None, str]]:
    return {(w.outlet, w.kind) for w in report.warnings}


def test_a_regular_history_is_healthy_and_reported_per_outlet(db) -> None:
    healthy_history(db)
    report = health.status(db, ["vlast", "orda"], config=load_config(environ={}), now=NOW)
    assert report.healthy, report.text()
    vlast = next(r for r in report.outlets if r.outlet == "vlast")
    assert vlast.new_24h == 12 and vlast.new_7d == 36
    assert vlast.last_success is not None and vlast.last_failure is None
    assert vlast.runs_without_new == 3  # the last article came 1.5 h ago; passes since brought none
    assert vlast.coverage == {"articles": 20, "date": 1.0, "author": 1.0, "body": 1.0}
    assert {s["url"] for s in vlast.strategies} == set(STRATEGIES)
    assert vlast.error_rate == 0.0
    assert "healthy: no warnings" in report.text()


def test_silence_is_judged_against_the_outlets_usual_gap_with_a_floor(db) -> None:
    healthy_history(db)
    # two hours between articles is this outlet's rhythm: 5 h without one is not yet an alarm (floor 12 h)...
    later = NOW + timedelta(hours=5)
    add_run(db, later - timedelta(minutes=5), {"vlast": {}, "orda": {}})
    assert health.status(db, config=load_config(environ={}), now=later).healthy
    # ...13 h is, and the floor can be lowered to catch it sooner
    much_later = NOW + timedelta(hours=13)
    add_run(db, much_later - timedelta(minutes=5), {"vlast": {}, "orda": {}})
    report = health.status(db, config=load_config(environ={}), now=much_later)
    assert ("vlast", "silent") in kinds(report) and ("orda", "silent") in kinds(report)
    low_floor = load_config(environ={"CRAWLER_SILENCE_FLOOR_HOURS": "2"})
    assert ("vlast", "silent") in kinds(health.status(db, config=low_floor, now=later))


def test_a_slow_outlet_learns_a_longer_usual_gap(db) -> None:
    for day in range(10):  # one article every 20 hours: its usual gap, doubled, is 40 h
        add_article(db, "bureau", NOW - timedelta(hours=20 * day + 1))
    add_run(db, NOW - timedelta(minutes=10), {"bureau": {}})
    report = health.status(db, config=load_config(environ={}), now=NOW + timedelta(hours=30))
    assert ("bureau", "silent") not in kinds(report)
    report = health.status(db, config=load_config(environ={}), now=NOW + timedelta(hours=45))
    assert ("bureau", "silent") in kinds(report)


def test_dates_suddenly_missing_warn_about_coverage(db) -> None:
    healthy_history(db, outlets=("ulysmedia",))
    for minute in range(6):  # a redesign: new articles come without date, author or body
        add_article(db, "ulysmedia", NOW + timedelta(minutes=minute), published=False, author=False, text="")
    report = health.status(
        db, config=load_config(environ={"CRAWLER_COVERAGE_WINDOW": "6"}), now=NOW + timedelta(minutes=10)
    )
    assert not report.healthy
    messages = [w.message for w in report.warnings if w.kind == "coverage"]
    assert any("dates" in m for m in messages) and any("authors fell" in m for m in messages)
    assert any("body texts" in m for m in messages)


def test_a_strategy_that_used_to_work_and_now_fails(db) -> None:
    healthy_history(db, outlets=("orda",), days=1)
    broken = {**STRATEGIES, "https://example.kz/feed/": {**STRATEGIES["https://example.kz/feed/"], "ok": False}}
    broken["https://example.kz/feed/"]["problem"] = "HTTP 404"
    add_run(db, NOW, {"orda": {"strategies": broken}})
    config = load_config(environ={})
    assert health.status(db, config=config, now=NOW + timedelta(minutes=5)).healthy  # once may be a hiccup
    add_run(db, NOW + timedelta(minutes=30), {"orda": {"strategies": broken}})
    report = health.status(db, config=config, now=NOW + timedelta(minutes=35))
    (warning,) = report.warnings
    assert (
        warning.kind == "strategy" and "https://example.kz/feed/" in warning.message and "HTTP 404" in warning.message
    )


def test_a_listing_that_only_works_through_the_fallback_is_a_warning(db) -> None:
    healthy_history(db, outlets=("vlast",), days=1)
    stale = {url: dict(result) for url, result in STRATEGIES.items()}
    url = next(iter(stale))
    stale[url]["note"] = "listing selector matched no article: used every article link"
    add_run(db, NOW, {"vlast": {"strategies": stale}})
    report = health.status(db, config=load_config(environ={}), now=NOW + timedelta(minutes=5))
    (warning,) = report.warnings
    assert warning.kind == "strategy" and "used every article link" in warning.message


def test_a_spike_of_http_errors(db) -> None:
    healthy_history(db, outlets=("azattyq",), days=1)
    add_run(db, NOW, {"azattyq": {"http_statuses": {"200": 5, "503": 20, "404": 2}}})
    report = health.status(db, config=load_config(environ={}), now=NOW + timedelta(minutes=5))
    assert ("azattyq", "errors") in kinds(report)
    assert report.outlets[0].error_rate == pytest.approx(22 / 27)


def test_failed_runs_an_empty_outlet_and_a_stale_crawler(db) -> None:
    for n in range(2):
        add_run(
            db,
            NOW - timedelta(minutes=30 * n),
            {"vlast": {"ok": False, "finish_reason": "no discovery strategy answered"}},
        )
    report = health.status(db, config=load_config(environ={}), now=NOW + timedelta(minutes=5))
    assert {("vlast", "failing"), ("vlast", "empty")} <= kinds(report)
    assert report.outlets[0].last_failure_reason == "no discovery strategy answered"
    report = health.status(db, config=load_config(environ={}), now=NOW + timedelta(hours=5))
    assert (None, "stale") in kinds(report)


def test_an_empty_database_is_unhealthy_and_a_killed_pass_shows(db) -> None:
    assert kinds(health.status(db, config=load_config(environ={}), now=NOW)) == {(None, "stale")}
    healthy_history(db, days=1)
    add_run(db, NOW - timedelta(minutes=1), {"vlast": {}}, finished=False, pid=2**22 + 12345)  # no such process
    report = health.status(db, config=load_config(environ={}), now=NOW)
    assert (None, "killed") in kinds(report)


def test_page_data_gives_thirty_zero_filled_days_runs_and_warnings(db) -> None:
    healthy_history(db, days=3)
    data = health.page_data(db, config=load_config(environ={}), now=NOW)
    assert len(data["days"]) == 30 and data["days"][-1] == "2025-11-20"
    assert len(data["daily"]["vlast"]) == 30 and sum(data["daily"]["vlast"]) == 36
    assert data["daily"]["vlast"][:26] == [0] * 26
    assert len(data["runs"]) == 20 and {o["outlet"] for o in data["runs"][0]["outlets"]} == {"vlast", "orda"}
    assert data["healthy"] is True and data["warnings"] == []


def test_cli_status_exit_code_and_json(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "crawler.db"
    healthy_history(open_db(path), days=1)
    # the fabricated history ends at NOW, long ago for the real clock: stale, hence unhealthy
    assert main(["--db", str(path), "status", "--json"]) == 1
    data = json.loads(capsys.readouterr().out)
    assert data["healthy"] is False and data["warnings"][0]["kind"] == "stale"
    assert set(data["outlets"]) >= {"vlast", "orda"}
    assert data["outlets"]["vlast"]["new_24h"] == 0
    assert main(["--db", str(path), "status"]) == 1
    assert "UNHEALTHY" in capsys.readouterr().out
