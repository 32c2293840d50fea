"""The health page: per outlet, new articles per day (a small server-drawn SVG chart), the last
passes with their result, the current warnings and the discovery strategies that answered.

All judging lives in ``crawler.health``; this module only turns its plain data into what the
template draws. No script, no external asset: the chart is inline SVG built from attributes only
(the CSP forbids inline styles)."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from flask import Blueprint, current_app, render_template

from crawler import health
from crawler.web.database import get_db

bp = Blueprint("health", __name__)

CHART_WIDTH = 300
CHART_HEIGHT = 56
BAR_GAP = 2

WARNING_TITLES = {
    "silent": "Молчит дольше обычного",
    "empty": "Ни одной статьи",
    "coverage": "Пропадают поля статей (редизайн сайта?)",
    "strategy": "Источник ссылок перестал отвечать",
    "failing": "Обход издания не удаётся",
    "errors": "Много ошибок 4xx/5xx",
    "stale": "Обход давно не выполнялся",
    "killed": "Обход прерван",
}
STRATEGY_KINDS = {
    "feed": "лента RSS/Atom",
    "advertised feed": "лента со страницы",
    "sitemap": "карта сайта",
    "numbered sitemap": "карта сайта (по номерам)",
    "news sitemap": "новостная карта сайта",
    "json api": "JSON API",
    "listing": "страница-список",
}


@dataclass(frozen=True)
class Bar:
    x: float
    y: float
    width: float
    height: float
    day: str
    count: int


@bp.get("/health")
def index() -> str:
    data = health.page_data(get_db(), config=current_app.config["HEALTH_CONFIG"])
    outlets = [
        {
            "name": name,
            "report": data["outlets"].get(name, {}),
            "warnings": [w for w in data["warnings"] if w["outlet"] == name],
            "bars": chart(data["days"], counts),
            "total": sum(counts),
            "peak": max(counts, default=0),
        }
        for name, counts in data["daily"].items()
    ]
    newest = data["runs"][0]["id"] if data["runs"] else None
    killed = any(w["kind"] == "killed" for w in data["warnings"])
    runs = [{**run, "result": run_result(run, newest=run["id"] == newest, killed=killed)} for run in data["runs"]]
    return render_template(
        "health.html",
        healthy=data["healthy"],
        generated_at=data["generated_at"],
        first_day=data["days"][0],
        last_day=data["days"][-1],
        outlets=outlets,
        runs=runs,
        general_warnings=[w for w in data["warnings"] if not w["outlet"]],
        warning_count=len(data["warnings"]),
        warning_titles=WARNING_TITLES,
        strategy_kinds=STRATEGY_KINDS,
        chart_width=CHART_WIDTH,
        chart_height=CHART_HEIGHT,
    )


def chart(days: list[str], counts: list[int]) -> list[Bar]:
    """One bar per day, oldest on the left, scaled to the busiest day; a day with nothing gets a
    one-pixel stub so the row of days stays visible."""
    peak = max(counts, default=0) or 1
    step = CHART_WIDTH / max(len(days), 1)
    bars = []
    for i, (day, count) in enumerate(zip(days, counts, strict=True)):
        height = max(1.0, round(count / peak * (CHART_HEIGHT - 2), 1)) if count else 1.0
        bars.append(
            Bar(round(i * step, 2), round(CHART_HEIGHT - height, 1), round(step - BAR_GAP, 2), height, day, count)
        )
    return bars


def run_result(run: dict[str, Any], *, newest: bool, killed: bool) -> tuple[str, str]:
    """A pass's result for people: (css class, Russian label)."""
    if run["status"] == "ok":
        return "ok", "успешно"
    if run["status"] == "failed":
        return "bad", "с ошибками"
    if run["finished_at"] is None and newest and not killed:
        return "running", "идёт"
    return "bad", "прерван"


def duration(run: dict[str, Any]) -> str:
    """How long a pass took, e.g. ``2 мин 5 с``; empty while it runs."""
    if not run.get("finished_at"):
        return ""
    seconds = int((_parse(run["finished_at"]) - _parse(run["started_at"])).total_seconds())
    return f"{seconds // 60} мин {seconds % 60} с" if seconds >= 60 else f"{seconds} с"


def _parse(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@bp.app_template_filter("percent")
def percent(share: float | None) -> str:
    return "—" if share is None else f"{share * 100:.0f}%"


@bp.app_template_global("run_duration")
def run_duration(run: dict[str, Any]) -> str:
    return duration(run)
