"""Thin Scrapy adapters around the plain functions of the flow: extract, classify, store."""

from __future__ import annotations

import logging
from dataclasses import asdict
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from crawler import wire
from crawler.config import db_options
from crawler.errors import DatabaseCorrupt, DatabaseFull, DatabaseLocked, StoreError
from crawler.extraction import extract
from crawler.fingerprint import simhash
from crawler.items import FetchedPage, FetchFailure
from crawler.reprints import ReprintRules, save_linking_reprints
from crawler.rules import load_rules
from crawler.store import open_db
from crawler.store.articles import NewArticle, cap_text, record_failure
from crawler.urls import canonical_url

logger = logging.getLogger(__name__)

# Store faults that the next item would meet too (after another busy wait): they stop the outlet's crawl
# at once, with this finish reason, instead of failing every remaining item one by one.
STOPPING_FAULTS = {
    DatabaseFull: "database full",
    DatabaseLocked: "database locked",
    DatabaseCorrupt: "database corrupt",
}


class ExtractPipeline:
    """FetchedPage → NewArticle: text, metadata, language, canonical identity, fingerprint."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ExtractPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if not isinstance(item, FetchedPage):
            return item
        spider = self.crawler.spider
        result = extract(
            item.body,
            item.url,
            spider.page_rules,
            declared_encoding=item.declared_encoding,
            fallback_date=item.fallback_date,
        )
        url = canonical_url(result.url, keep_www=True)
        if not spider.declares_host(url):  # a canonical link pointing off-site is not trusted
            url = canonical_url(item.url, keep_www=True)
        key = spider.identity(url)
        text, note = cap_text(result.text, self.crawler.settings.getint("CRAWLER_MAX_TEXT_CHARS"))
        return NewArticle(
            key=key,
            url=url,
            outlet=item.outlet,
            text=text,
            note=note,
            title=result.title,
            author=result.author,
            published=result.published,
            published_raw=result.published_raw,
            lang=result.lang,
            skip_reason=result.skip_reason,
            fingerprint=simhash(text) if text and not result.skip_reason else None,
            discovered_via=item.discovered_via,
            aliases=tuple({item.key, spider.identity(canonical_url(item.url))} - {key}),
            html=item.body,
            http_status=item.status,
            content_type=item.content_type,
            encoding=result.encoding,
            fetched_url=item.url,
            run_id=self.crawler.settings.getint("CRAWLER_RUN_ID") or None,
        )


def classify(rules: Any, item: NewArticle) -> NewArticle:
    """``item`` with the rules' rubric, score, ranked alternatives and matched terms (a skipped page: as is)."""
    if not item.skip_reason:
        verdict = rules.classify(item.title or "", item.text, lang=item.lang)
        item.rubric, item.score = verdict.rubric, verdict.score
        item.rubrics, item.matches, item.classified = verdict.rubrics, verdict.matches, True
        item.match_count = verdict.match_count
    return item


class ClassifyPipeline:
    """NewArticle → the same, with the rules' rubric, score, ranked alternatives and matched terms."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.rules = load_rules(crawler.settings.get("CRAWLER_RULES_DIR"))  # compiled once per pass

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ClassifyPipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        return classify(self.rules, item) if isinstance(item, NewArticle) else item


class StorePipeline:
    """NewArticle → a row (with its raw page); FetchFailure → a failure to retry later."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        settings = crawler.settings
        self.db = open_db(settings.get("CRAWLER_DB"), **db_options(settings))
        self.stopping: Any = None  # the close request, once a store fault stopped the crawl
        self.reprints = ReprintRules(
            distance=settings.getint("CRAWLER_DUPLICATE_DISTANCE"),
            window_days=settings.getint("CRAWLER_DUPLICATE_WINDOW_DAYS"),
            containment=settings.getfloat("CRAWLER_DUPLICATE_CONTAINMENT"),
        )
        self.retry_hours = settings.getfloat("CRAWLER_FAILED_RETRY_HOURS")
        self.max_attempts = settings.getint("CRAWLER_FAILED_MAX_ATTEMPTS")

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        try:
            return self.store(item)
        except StoreError as exc:
            reason = next((text for kind, text in STOPPING_FAULTS.items() if isinstance(exc, kind)), None)
            if reason is None:
                raise
            stats = self.crawler.stats
            stats.inc_value("bulletin/errors")  # this item is lost for the pass (it is fetched again next time)
            if self.stopping is None:  # one log line and one close request, not one per remaining item
                logger.error("outlet=%s stopped: %s", self.crawler.spider.name, exc)
                stats.set_value("bulletin/store_error", str(exc))
                self.stopping = deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))
            return item

    def store(self, item: Any) -> Any:
        if isinstance(item, FetchFailure):
            record_failure(self.db, **asdict(item), retry_hours=self.retry_hours, max_attempts=self.max_attempts)
        elif isinstance(item, NewArticle) and save_linking_reprints(self.db, item, self.reprints) is not None:
            stats = self.crawler.stats
            stats.inc_value("bulletin/new_articles")
            if item.rubric:
                stats.inc_value("bulletin/candidates")
        return item


class WirePipeline:
    """On a node (``CRAWLER_NODE``): NewArticle / FetchFailure → a JSON line for the job's feed
    (``crawler.wire``). Classification and storage happen centrally, at ``crawler ingest``."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> WirePipeline:
        return cls(crawler)

    def process_item(self, item: Any) -> Any:
        if isinstance(item, NewArticle):
            self.crawler.stats.inc_value("bulletin/exported_articles")
            return wire.article_line(item)
        if isinstance(item, FetchFailure):
            return wire.failure_line(item)
        return item
