"""Health: is every outlet still being crawled as usual? A plain function over the run history.

``load_history`` reads what the judgement needs from the database; ``compute_status`` turns it into a
per-outlet report, warnings and one healthy flag (no warning = healthy). ``page_data`` is what the
review app's health page shows.
"""

from __future__ import annotations

import itertools
import os
import statistics
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field, fields
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Any

from crawler.store import health as store
from crawler.store import runs as runs_store

if TYPE_CHECKING:  # the store hands in a sqlite_utils.Database or a light reader (store.db.open_reader)
    import sqlite_utils

ARRIVAL_CLUSTER = timedelta(minutes=10)  # articles stored this close together came in one pass
MIN_GAPS = 5  # fewer gaps than this teach nothing about an outlet's rhythm: the floor applies alone
MIN_SAMPLE = 5  # coverage over fewer articles than this is noise
MIN_RESPONSES = 10  # an error share over fewer answers is noise
LOCAL_UTC_OFFSET = 5  # Kazakhstan (Asia/Almaty) is UTC+5; the health page counts local days


@dataclass(frozen=True)
class Thresholds:
    """The tunable limits, from the settings file (see crawler/defaults.toml for their meaning)."""

    silence_floor_hours: float = 12
    silence_quantile: float = 0.9
    silence_factor: float = 2.0
    coverage_window: int = 20
    coverage_min_body: int = 200
    coverage_floor: float = 0.5
    coverage_drop: float = 0.4
    strategy_failures: int = 2
    failed_runs: int = 2
    error_rate_floor: float = 0.5
    stale_hours: float = 3

    @classmethod
    def from_config(cls, config: Mapping[str, Any]) -> Thresholds:
        return cls(**{f.name: config[f.name] for f in fields(cls) if f.name in config})


@dataclass
class OutletHistory:
    """What the database knows about one outlet, newest first."""

    outlet: str
    runs: list[dict[str, Any]]
    article_times: list[datetime]
    new_24h: int
    new_7d: int
    article_fields: list[dict[str, Any]]


@dataclass
class History:
    outlets: list[OutletHistory]
    last_finished: datetime | None
    unfinished_run: dict[str, Any] | None  # the newest pass, when it never finished and its process is gone


DATABASE_FAULTS_RU = {
    "database full": "нет места для базы данных на диске",
    "database locked": "база данных занята другим процессом",
    "database corrupt": "файл базы данных повреждён",
}


@dataclass(frozen=True)
class HealthWarning:
    outlet: str | None  # None: about the crawler as a whole
    # silent, empty, coverage, strategy, failing, errors, stale, killed, database, moved, discovery, capped, declaration
    kind: str
    message: str
    ru: str = ""  # the same in Russian, for the monitors' health page

    def __str__(self) -> str:
        return f"{self.outlet}: {self.message}" if self.outlet else self.message


@dataclass
class OutletReport:
    outlet: str
    last_success: str | None = None
    last_failure: str | None = None
    last_failure_reason: str | None = None
    last_new_article: str | None = None
    new_24h: int = 0
    new_7d: int = 0
    runs_without_new: int = 0
    failed_runs: int = 0
    error_rate: float | None = None  # share of 4xx/5xx answers in the last run
    strategies: list[dict[str, Any]] = field(default_factory=list)  # as answered in the last run
    coverage: dict[str, Any] = field(default_factory=dict)  # share of the last articles with date/author/body
    warnings: list[HealthWarning] = field(default_factory=list)


@dataclass
class StatusReport:
    generated_at: str
    outlets: list[OutletReport]
    warnings: list[HealthWarning]

    @property
    def healthy(self) -> bool:
        return not self.warnings

    def as_json(self) -> dict[str, Any]:
        return {
            "healthy": self.healthy,
            "generated_at": self.generated_at,
            "warnings": [asdict(w) for w in self.warnings],
            "outlets": {
                report.outlet: {**asdict(report), "warnings": [w.message for w in report.warnings]}
                for report in self.outlets
            },
        }

    def text(self) -> str:
        """A fixed-width table and the warnings, for people."""
        header = f"{'outlet':<10} {'last success':<17} {'last failure':<17} {'24h':>4} {'7d':>5} {'empty':>5}"
        header += f" {'failed':>6} {'err%':>5} {'date':>5} {'auth':>5} {'body':>5}  strategies"
        lines = [header, "-" * len(header)]
        for r in self.outlets:
            working = sum(1 for s in r.strategies if s["ok"])
            err = f"{r.error_rate * 100:.0f}" if r.error_rate is not None else "-"
            cov = [_percent(r.coverage.get(name)) for name in ("date", "author", "body")]
            lines.append(
                f"{r.outlet:<10} {_short(r.last_success):<17} {_short(r.last_failure):<17} {r.new_24h:>4} {r.new_7d:>5}"
                f" {r.runs_without_new:>5} {r.failed_runs:>6} {err:>5} {cov[0]:>5} {cov[1]:>5} {cov[2]:>5}"
                f"  {working}/{len(r.strategies)} answered"
            )
        lines.append("")
        if self.healthy:
            lines.append("healthy: no warnings")
        else:
            lines.append(f"UNHEALTHY: {len(self.warnings)} warning(s)")
            lines.extend(f"  - {w}" for w in self.warnings)
        return "\n".join(lines)


# --- reading ----------------------------------------------------------------------------------------


def load_history(
    db: sqlite_utils.Database,
    outlets: Sequence[str] = (),
    *,
    now: datetime | None = None,
    thresholds: Thresholds = Thresholds(),
) -> History:
    """Everything ``compute_status`` needs for ``outlets`` (and every outlet on record)."""
    now = now or datetime.now(UTC)
    names = sorted(set(outlets) | set(store.outlets_seen(db)))
    histories = [
        OutletHistory(
            outlet=name,
            runs=store.outlet_runs(db, name, limit=50),
            article_times=[_parse(t) for t in store.article_times(db, name, limit=500)],
            new_24h=store.count_articles_since(db, name, _iso(now - timedelta(days=1))),
            new_7d=store.count_articles_since(db, name, _iso(now - timedelta(days=7))),
            article_fields=store.article_fields(db, name, limit=2 * thresholds.coverage_window),
        )
        for name in names
    ]
    last = store.last_finished_run(db)
    newest = store.latest_runs(db, limit=1)
    unfinished = None
    if newest and newest[0]["finished_at"] is None and not _alive(newest[0]["pid"]):
        unfinished = newest[0]
    return History(histories, _parse(last["finished_at"]) if last else None, unfinished)


def status(
    db: sqlite_utils.Database,
    outlets: Sequence[str] = (),
    *,
    config: Mapping[str, Any] | None = None,
    now: datetime | None = None,
) -> StatusReport:
    """The health report for the database as it is now."""
    thresholds = Thresholds.from_config(config or {})
    now = now or datetime.now(UTC)
    report = compute_status(load_history(db, outlets, now=now, thresholds=thresholds), now=now, thresholds=thresholds)
    report.warnings.extend(killed_warnings(db, now=now))
    return report


KILLED_LOOKBACK = timedelta(hours=24)


def killed_warnings(db: sqlite_utils.Database, *, now: datetime) -> list[HealthWarning]:
    """One warning for the passes of the last day that died mid-pass (SIGKILL, power loss, OOM) and
    were closed as killed by the pass after them: the crawl went on, but someone should know why."""
    killed = runs_store.killed_runs(db, since=_iso(now - KILLED_LOOKBACK))
    if not killed:
        return []
    names = ", ".join(f"#{run['id']} ({_short(run['started_at'])} UTC)" for run in killed)
    return [
        HealthWarning(
            None,
            "killed",
            f"{len(killed)} pass(es) in the last 24 h were killed before they finished: {names}",
            f"обходов, прерванных до завершения за последние 24 ч: {len(killed)} — {names}",
        )
    ]


# --- judging ----------------------------------------------------------------------------------------


def compute_status(history: History, *, now: datetime, thresholds: Thresholds = Thresholds()) -> StatusReport:
    """Per-outlet report and warnings from the history; healthy when there is no warning."""
    reports = [_outlet_report(item, now, thresholds) for item in history.outlets]
    warnings: list[HealthWarning] = []
    if history.last_finished is None:
        warnings.append(HealthWarning(None, "stale", "no crawl pass has finished yet", "ни один обход ещё не завершён"))
    elif now - history.last_finished > timedelta(hours=thresholds.stale_hours):
        warnings.append(
            HealthWarning(
                None,
                "stale",
                f"no crawl pass finished since {_short(_iso(history.last_finished))} UTC"
                f" (more than {thresholds.stale_hours:g} h): is the scheduler or cron running?",
                f"ни один обход не завершился с {_short(_iso(history.last_finished))} UTC"
                f" (больше {thresholds.stale_hours:g} ч): работают ли планировщик или cron?",
            )
        )
    if history.unfinished_run:
        run = history.unfinished_run
        warnings.append(
            HealthWarning(
                None,
                "killed",
                f"pass #{run['id']} started {_short(run['started_at'])} UTC never finished"
                " (killed, or the disk filled up); the next pass continues",
                f"обход №{run['id']}, начатый {_short(run['started_at'])} UTC, не завершился"
                " (его остановили или кончилось место на диске); следующий обход продолжит работу",
            )
        )
    warnings.extend(_database_warnings(history))
    for report in reports:
        warnings.extend(report.warnings)
    return StatusReport(_iso(now), reports, warnings)


def _database_warnings(history: History) -> list[HealthWarning]:
    """The newest pass stopped on a database fault (full disk, lock held too long, damaged file): it
    will not heal by itself, so one failed pass is enough to warn."""
    latest = [item.runs[0] for item in history.outlets if item.runs]
    if not latest:
        return []
    newest = max(run["run_id"] for run in latest)
    stopped: dict[str, list[str]] = {}
    for item in history.outlets:
        run = item.runs[0] if item.runs else None
        if run and run["run_id"] == newest and (run["finish_reason"] or "").startswith("database "):
            stopped.setdefault(run["finish_reason"], []).append(item.outlet)
    return [
        HealthWarning(
            None,
            "database",
            f"pass #{newest} stopped: {reason} ({', '.join(names)})",
            f"обход №{newest} остановлен: {DATABASE_FAULTS_RU.get(reason, reason)} ({', '.join(names)})",
        )
        for reason, names in stopped.items()
    ]


def _outlet_report(item: OutletHistory, now: datetime, t: Thresholds) -> OutletReport:
    report = OutletReport(item.outlet, new_24h=item.new_24h, new_7d=item.new_7d)
    finished = [run for run in item.runs if run["ok"] is not None or run["run_status"] != "running"]
    for run in finished:
        if run["ok"] and report.last_success is None:
            report.last_success = run["finished_at"] or run["started_at"]
        if not run["ok"] and report.last_failure is None:
            report.last_failure = run["finished_at"] or run["started_at"]
            report.last_failure_reason = run["finish_reason"] or "did not finish"
    report.runs_without_new = _leading(finished, lambda run: not run["new_articles"])
    report.failed_runs = _leading(finished, lambda run: not run["ok"])
    if item.article_times:
        report.last_new_article = _iso(item.article_times[0])
    if finished:
        last = finished[0]
        report.strategies = [{"url": url, **result} for url, result in last["strategies"].items()]
        report.error_rate = _error_rate(last["http_statuses"])
    report.coverage = _coverage(item.article_fields[: t.coverage_window], t)

    warn = report.warnings.append
    if report.failed_runs >= t.failed_runs:
        reason = report.last_failure_reason or "unknown reason"
        warn(
            HealthWarning(
                item.outlet,
                "failing",
                f"the last {report.failed_runs} crawls failed ({reason})",
                f"последние {report.failed_runs} обхода не удались ({reason})",
            )
        )
    if not item.article_times and len(finished) >= t.failed_runs:
        warn(
            HealthWarning(
                item.outlet,
                "empty",
                f"no article stored after {len(finished)} crawls",
                f"ни одной статьи после {len(finished)} обходов",
            )
        )
    silence = _silence_limit(item.article_times, t)
    if item.article_times and now - item.article_times[0] > silence:
        warn(
            HealthWarning(
                item.outlet,
                "silent",
                f"no new article since {_short(report.last_new_article)} UTC;"
                f" usually one comes within {silence.total_seconds() / 3600:.0f} h",
                f"нет новых статей с {_short(report.last_new_article)} UTC;"
                f" обычно новая появляется в пределах {silence.total_seconds() / 3600:.0f} ч",
            )
        )
    warnings = [
        *_discovery_warnings(finished),
        *_coverage_warnings(item, report.coverage, t),
        *_strategy_warnings(finished, t),
        *_error_warnings(finished, t),
    ]
    report.warnings.extend(HealthWarning(item.outlet, kind, message, ru) for kind, message, ru in warnings)
    return report


def _leading(runs: list[dict[str, Any]], predicate: Any) -> int:
    """How many of the newest runs in a row satisfy ``predicate``."""
    count = 0
    for run in runs:
        if not predicate(run):
            break
        count += 1
    return count


def _silence_limit(times: list[datetime], t: Thresholds) -> timedelta:
    """How long this outlet may stay without a new article: its usual gap, never less than the floor."""
    floor = timedelta(hours=t.silence_floor_hours)
    arrivals: list[datetime] = []
    for moment in sorted(times):
        if not arrivals or moment - arrivals[-1] > ARRIVAL_CLUSTER:
            arrivals.append(moment)
    gaps = sorted((b - a).total_seconds() for a, b in itertools.pairwise(arrivals))
    if len(gaps) < MIN_GAPS:
        return floor
    index = min(len(gaps) - 1, int(t.silence_quantile * len(gaps)))
    return max(floor, timedelta(seconds=gaps[index] * t.silence_factor))


def _coverage(rows: list[dict[str, Any]], t: Thresholds) -> dict[str, Any]:
    if not rows:
        return {"articles": 0, "date": None, "author": None, "body": None}
    n = len(rows)
    return {
        "articles": n,
        "date": sum(row["date"] for row in rows) / n,
        "author": sum(row["author"] for row in rows) / n,
        "body": sum(row["body_length"] >= t.coverage_min_body for row in rows) / n,
    }


def _coverage_warnings(item: OutletHistory, current: dict[str, Any], t: Thresholds) -> list[tuple[str, str, str]]:
    if current["articles"] < MIN_SAMPLE:
        return []
    before = _coverage(item.article_fields[t.coverage_window :], t)
    names = {"date": ("dates", "дата"), "author": ("authors", "автор"), "body": ("body texts", "текст")}
    out = []
    count = current["articles"]
    for name, (label, label_ru) in names.items():
        share = current[name]
        if name != "author" and share < t.coverage_floor:
            out.append(
                (
                    "coverage",
                    f"only {_percent(share)} of the last {count} articles have {label}",
                    f"{label_ru} есть только у {_percent(share)} из последних {count} статей",
                )
            )
        elif before["articles"] >= MIN_SAMPLE and before[name] - share >= t.coverage_drop:
            out.append(
                (
                    "coverage",
                    f"{label} fell from {_percent(before[name])} to {_percent(share)}"
                    f" over the last {count} articles (a redesign?)",
                    f"доля статей, где есть {label_ru}, упала с {_percent(before[name])} до {_percent(share)}"
                    f" за последние {count} статей (сайт сменил разметку?)",
                )
            )
    return out


def _strategy_warnings(runs: list[dict[str, Any]], t: Thresholds) -> list[tuple[str, str, str]]:
    if not runs:
        return []
    out = []
    for url, result in runs[0]["strategies"].items():
        if result.get("note"):  # worked, but only through a fallback: the outlet's markup changed
            out.append(
                (
                    "strategy",
                    f"{result.get('kind', 'strategy')} {url}: {result['note']}",
                    f"{url}: сработал только запасной путь — разметка сайта изменилась, селектор устарел",
                )
            )
        if result.get("ok"):
            continue
        seen = [run["strategies"][url] for run in runs if url in run["strategies"]]
        failing = _leading(seen, lambda r: not r.get("ok"))
        if failing >= t.strategy_failures and any(r.get("ok") for r in seen[failing:]):
            problem = result.get("problem") or "no answer"
            out.append(
                (
                    "strategy",
                    f"{result.get('kind', 'strategy')} {url} used to work; failed {failing} times ({problem})",
                    f"{url} раньше работал, а теперь не сработал {failing} раза подряд ({problem})",
                )
            )
    return out


def _discovery_warnings(runs: list[dict[str, Any]]) -> list[tuple[str, str, str]]:
    """What the last pass alone is enough to say: the site moved (pages redirect to a host the outlet
    does not declare), no strategy found a single article link, the per-pass cap was reached, a declared
    URL is dead while discovery found a working one (the line of spiders/<outlet>.py to change)."""
    if not runs:
        return []
    last = runs[0]
    findings = last.get("findings") or {}
    out = []
    moved = dict(findings.get("moved_to") or {})
    for result in last["strategies"].values():
        if result.get("redirect_host"):
            moved.setdefault(result["redirect_host"], 1)
    for host, count in sorted(moved.items(), key=lambda item: -item[1]):
        out.append(
            (
                "moved",
                f"pages redirect to {host} — has the site moved? ({count} request(s) refused: add the host"
                " to the outlet's hosts if it is the outlet's new address)",
                f"страницы перенаправляют на {host} — сайт переехал? ({count} запрос(ов) не выполнено)",
            )
        )
    if last["finish_reason"] in ("no strategy found an article link", "no discovery strategy answered"):
        out.append(
            (
                "discovery",
                f"no discovery strategy found a single article link in the last pass ({last['finish_reason']}:"
                " a redesign, a move, or the site is down?)",
                "ни один способ поиска не нашёл ни одной ссылки на статью в последнем обходе"
                " (сайт изменился, переехал или недоступен?)",
            )
        )
    if findings.get("capped"):
        out.append(
            (
                "capped",
                f"the last pass reached the cap of article requests: {findings['capped']} link(s) left for the next"
                " pass (max_article_requests)",
                f"последний обход упёрся в предел запросов статей: {findings['capped']} ссылок оставлено на потом",
            )
        )
    for url, result in last["strategies"].items():
        if result.get("hint"):
            out.append(("declaration", result["hint"], f"{url}: объявленный адрес не работает, найден рабочий"))
    return out


def _error_rate(statuses: dict[str, int]) -> float | None:
    total = sum(statuses.values())
    if not total:
        return None
    return sum(n for code, n in statuses.items() if code[:1] in "45") / total


def _error_warnings(runs: list[dict[str, Any]], t: Thresholds) -> list[tuple[str, str, str]]:
    if not runs or sum(runs[0]["http_statuses"].values()) < MIN_RESPONSES:
        return []
    rate = _error_rate(runs[0]["http_statuses"]) or 0.0
    usual = [r for r in (_error_rate(run["http_statuses"]) for run in runs[1:]) if r is not None]
    limit = max(t.error_rate_floor, 3 * statistics.median(usual)) if usual else t.error_rate_floor
    if rate >= limit:
        return [
            (
                "errors",
                f"{_percent(rate)} of the answers in the last crawl were 4xx/5xx errors",
                f"{_percent(rate)} ответов в последнем обходе — ошибки 4xx/5xx",
            )
        ]
    return []


# --- the health page --------------------------------------------------------------------------------


def page_data(
    db: sqlite_utils.Database,
    outlets: Sequence[str] = (),
    *,
    config: Mapping[str, Any] | None = None,
    now: datetime | None = None,
    days: int = 30,
    runs: int = 20,
) -> dict[str, Any]:
    """Plain data for the health page: per-outlet new articles per local day over ``days`` days (oldest
    first, zero-filled), the last ``runs`` passes with their per-outlet results, and the warnings."""
    now = now or datetime.now(UTC)
    report = status(db, outlets, config=config, now=now)
    today = (now + timedelta(hours=LOCAL_UTC_OFFSET)).date()
    day_list = [(today - timedelta(days=back)).isoformat() for back in range(days - 1, -1, -1)]
    since = datetime.fromisoformat(day_list[0]).replace(tzinfo=UTC) - timedelta(hours=LOCAL_UTC_OFFSET)
    counts: dict[str, dict[str, int]] = {r.outlet: {} for r in report.outlets}
    for row in store.daily_counts(db, _iso(since), utc_offset_hours=LOCAL_UTC_OFFSET):
        counts.setdefault(row["outlet"], {})[row["day"]] = row["new"]
    return {
        "healthy": report.healthy,
        "generated_at": report.generated_at,
        "days": day_list,
        "daily": {outlet: [by_day.get(day, 0) for day in day_list] for outlet, by_day in sorted(counts.items())},
        "runs": store.latest_runs(db, limit=runs),
        "warnings": [asdict(w) for w in report.warnings],
        "outlets": report.as_json()["outlets"],
    }


# --- small helpers ----------------------------------------------------------------------------------


def _alive(pid: int | None) -> bool:
    if not pid:
        return False
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:  # someone else's process: it exists
        return True
    return True


def _parse(value: str) -> datetime:
    moment = datetime.fromisoformat(value)
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")


def _short(value: str | None) -> str:
    return value[:16].replace("T", " ") if value else "-"


def _percent(share: float | None) -> str:
    return "-" if share is None else f"{share * 100:.0f}%"
