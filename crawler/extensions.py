"""Scrapy extensions: the crawl's bookkeeping, kept out of spiders and pipelines."""

from __future__ import annotations

import logging
import sys
from dataclasses import asdict
from datetime import UTC, datetime
from typing import Any

from scrapy import Spider, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

from crawler import wire
from crawler.config import db_options
from crawler.errors import StoreError
from crawler.store import open_db, runs
from crawler.store.articles import record_failure, remember_fetched

logger = logging.getLogger(__name__)


class RunRecorder:
    """Writes one run_outlets row per outlet: opened when its spider starts, filled in when it closes."""

    def __init__(self, crawler: Crawler, db_path: str, run_id: int) -> None:
        self.crawler = crawler
        self.db = open_db(db_path, **db_options(crawler.settings))
        self.run_id = run_id
        self.row_id = 0

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RunRecorder:
        run_id = crawler.settings.getint("CRAWLER_RUN_ID")
        if not run_id:
            raise NotConfigured("no CRAWLER_RUN_ID: not inside `crawler run`")
        recorder = cls(crawler, crawler.settings.get("CRAWLER_DB"), run_id)
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        crawler.signals.connect(recorder.item_error, signal=signals.item_error)
        return recorder

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        # a pipeline raised: the item is lost for this pass, so the outlet did not fully succeed
        self.crawler.stats.inc_value("bulletin/item_errors")

    def spider_opened(self, spider: Spider) -> None:
        try:
            self.row_id = runs.start_outlet(self.db, self.run_id, spider.name)
        except StoreError as exc:  # the pass reports it at the end; no traceback from a signal handler
            logger.error("outlet=%s cannot record its start: %s", spider.name, exc)
            self.crawler.stats.set_value("bulletin/store_error", str(exc))

    def spider_closed(self, spider: Spider, reason: str) -> None:
        result = outcome(self.crawler, spider, reason)
        try:
            runs.finish_outlet(self.db, self.row_id, **result)
        except StoreError as exc:  # full or locked: the pass reports it at the end
            logger.error("outlet=%s cannot record its result: %s", spider.name, exc)
            self.crawler.stats.set_value("bulletin/store_error", str(exc))
        _log_outcome(spider.name, result)


def outcome(crawler: Crawler, spider: Spider, reason: str) -> dict[str, Any]:
    """An outlet's result at the end of its crawl: ``runs.finish_outlet``'s keyword arguments."""
    stats: dict[str, Any] = crawler.stats.get_stats() if crawler.stats else {}
    counters = {
        "requests": stats.get("downloader/request_count", 0),
        "article_requests": stats.get("bulletin/article_requests", 0),
        "new_articles": stats.get("bulletin/new_articles", 0),
        "candidates": stats.get("bulletin/candidates", 0),
        "errors": stats.get("bulletin/errors", 0)
        + stats.get("spider_exceptions/count", 0)
        + stats.get("bulletin/item_errors", 0),
    }
    strategies = getattr(spider, "strategy_results", {})
    findings = getattr(spider, "findings", {})
    finish_reason = reason
    if reason == "finished":
        finish_reason = _discovery_failure(strategies, findings) or reason
    bugs = stats.get("spider_exceptions/count", 0) + stats.get("bulletin/item_errors", 0)
    prefix = "downloader/response_status_count/"
    statuses = {key.rsplit("/", 1)[-1]: value for key, value in stats.items() if key.startswith(prefix)}
    for result in strategies.values():  # a guessed usual path that is not there is no site error
        code = str(result.get("status"))
        if result.get("probe") and code[:1] in "45" and statuses.get(code):
            statuses[code] -= 1
    return {
        "counters": counters,
        "ok": finish_reason == "finished" and not bugs,
        "finish_reason": finish_reason,
        "strategies": strategies,
        "http_statuses": statuses,
        "findings": findings,
    }


def _log_outcome(outlet: str, result: dict[str, Any]) -> None:
    counts = " ".join(f"{name}={value}" for name, value in result["counters"].items())
    logger.info("outlet=%s ok=%s %s", outlet, result["ok"], counts)


class JobSummary:
    """A node's job (``CRAWLER_NODE``): its outcome as the feed's last line, ``{"kind": "summary", …}``.

    Enabled before the feed exporter, so its ``spider_closed`` runs while the feed is still open."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> JobSummary:
        if not crawler.settings.get("CRAWLER_NODE"):
            raise NotConfigured("only on a node's job")
        summary = cls(crawler)
        crawler.signals.connect(summary.item_error, signal=signals.item_error)
        crawler.signals.connect(summary.spider_closed, signal=signals.spider_closed)
        return summary

    def item_error(self, item: Any, response: Any, spider: Spider, failure: Any) -> None:
        self.crawler.stats.inc_value("bulletin/item_errors")

    def spider_closed(self, spider: Spider, reason: str) -> None:
        result = outcome(self.crawler, spider, reason)
        stats = self.crawler.stats
        result["counters"]["new_articles"] = stats.get_value("bulletin/exported_articles", 0)
        started = stats.get_value("start_time")
        seconds = (datetime.now(UTC) - started).total_seconds() if started else None  # the crawl, not the startup
        node = self.crawler.settings.get("CRAWLER_NODE")
        line = {"kind": "summary", "outlet": spider.name, "node": node, "seconds": seconds, **result}
        self.crawler.signals.send_catch_log(signal=signals.item_scraped, item=line, response=None, spider=spider)
        _log_outcome(spider.name, result)


class NodeLedger:
    """A node's own fetch state, in its own database (``CRAWLER_DB`` on the node): every exported
    article's keys and every failed URL's retry state, so its next pass requests no known article.

    Enabled after the feed exporter: a key is remembered only once its line is in the feed."""

    def __init__(self, crawler: Crawler) -> None:
        settings = crawler.settings
        self.db = open_db(settings.get("CRAWLER_DB"), **db_options(settings))
        self.retry_hours = settings.getfloat("CRAWLER_FAILED_RETRY_HOURS")
        self.max_attempts = settings.getint("CRAWLER_FAILED_MAX_ATTEMPTS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NodeLedger:
        if not crawler.settings.get("CRAWLER_NODE"):
            raise NotConfigured("only on a node's job")
        ledger = cls(crawler)
        crawler.signals.connect(ledger.item_scraped, signal=signals.item_scraped)
        return ledger

    def item_scraped(self, item: Any, spider: Spider) -> None:
        kind = item.get("kind") if isinstance(item, dict) else None
        if kind == "article":
            remember_fetched(self.db, wire.article_from(item, page=False))
        elif kind == "failure":
            failure = wire.failure_from(item)
            record_failure(self.db, **asdict(failure), retry_hours=self.retry_hours, max_attempts=self.max_attempts)


def _discovery_failure(strategies: dict[str, dict[str, Any]], findings: dict[str, Any]) -> str | None:
    """Why discovery failed the outlet, or None: no strategy answered at all, or the pages answered but
    none had a single article link of this outlet (a redesign, or a move)."""
    if findings.get("article_links", 1):
        return None
    if any(200 <= (result.get("status") or 0) < 300 for result in strategies.values()):
        return "no strategy found an article link"
    return "no discovery strategy answered"


class Progress:
    """On a terminal, a progress bar per outlet: pages processed, new articles and candidates so far,
    then one summary line when the outlet is done.

    Off unless ``CRAWLER_PROGRESS`` is set (``crawler run`` sets it when stderr is a terminal and
    ``--json`` is not given); cron gets the plain log lines instead.
    """

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.bar: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> Progress:
        if not crawler.settings.getbool("CRAWLER_PROGRESS"):
            raise NotConfigured("progress bars are for terminals")
        progress = cls(crawler)
        crawler.signals.connect(progress.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(progress.item_scraped, signal=signals.item_scraped)
        crawler.signals.connect(progress.spider_closed, signal=signals.spider_closed)
        return progress

    def _counts(self) -> dict[str, Any]:
        return self.crawler.stats.get_stats() if self.crawler.stats else {}

    def spider_opened(self, spider: Spider) -> None:
        from crawler.progress import bar

        # the real stderr: Twisted's logging may stand in for sys.stderr during a crawl
        self.bar = bar(None, f"{spider.name:<10}", unit="page", file=sys.__stderr__)

    def item_scraped(self, item: Any, spider: Spider) -> None:
        if self.bar is not None:
            stats = self._counts()
            self.bar.set_postfix(
                new=stats.get("bulletin/new_articles", 0), candidates=stats.get("bulletin/candidates", 0), refresh=False
            )
            self.bar.update(1)

    def spider_closed(self, spider: Spider, reason: str) -> None:
        stats = self._counts()
        line = (
            f"{spider.name:<10} {reason}: {stats.get('bulletin/new_articles', 0)} new,"
            f" {stats.get('bulletin/candidates', 0)} candidates, {stats.get('bulletin/errors', 0)} errors"
        )
        if self.bar is not None:
            self.bar.close()
            self.bar.write(line, file=sys.__stderr__)
        else:
            print(line, file=sys.stderr, flush=True)
