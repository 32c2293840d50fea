"""What a user pays per article: extract (trafilatura doing the body: no body-selector shortcut) +
language + fingerprint + classify + store with the reprint check, on the snapshot's article pages
wrapped in real site chrome, into a database already holding 10,000 articles — as a ratio to
``trafilatura.extract(with_metadata=True)`` on the same pages, measured in one process."""

from __future__ import annotations

import dataclasses
import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trafilatura
import yaml

from benchmarks.chrome import with_chrome
from benchmarks.corpus import fill
from crawler.extraction import extract
from crawler.fingerprint import simhash
from crawler.outlets import load_outlets
from crawler.replay import SNAPSHOT_DIR
from crawler.reprints import ReprintRules, save_linking_reprints
from crawler.rules import load_rules
from crawler.store import open_db
from crawler.store.articles import NewArticle

ROOT = Path(__file__).resolve().parent.parent
STORED = 10_000
REPRINTS = ReprintRules(distance=16, window_days=30, containment=0.6)  # crawler/settings.py's defaults


def article_pages() -> list[tuple[str, str, bytes]]:
    """(outlet, url, body) of every snapshot page that its outlet's spider treats as an article, with chrome."""
    outlets = load_outlets()
    pages = []
    seen: set[tuple[str, str]] = set()  # a page served under several URLs (short link, AMP) counts once
    for outlet, spider in outlets.items():
        for route in yaml.safe_load((SNAPSHOT_DIR / outlet / "routes.yml").read_text(encoding="utf-8")):
            servable = route.get("file") and route.get("status", 200) == 200 and not route.get("pad_to")
            if servable and spider.article_url.match(route["url"]) and (outlet, route["file"]) not in seen:
                seen.add((outlet, route["file"]))
                body = (SNAPSHOT_DIR / outlet / route["file"]).read_bytes()
                pages.append((outlet, route["url"], with_chrome(body, spider.hosts[0], len(pages))))
    return pages


class Path_:
    """Our per-article path, as the crawl's pipelines run it (crawler/pipelines.py), minus Scrapy."""

    def __init__(self, db: Any) -> None:
        self.db = db
        self.rules = load_rules(ROOT / "rules")
        # trafilatura finds the body: the spiders' body selectors would skip it and flatter the ratio
        self.page_rules = {name: dataclasses.replace(s.page_rules, body=None) for name, s in load_outlets().items()}
        self.counter = 0

    def one(self, outlet: str, url: str, body: bytes) -> None:
        self.counter += 1
        result = extract(body, url, self.page_rules[outlet])
        article = NewArticle(
            key=f"bench/{self.counter}",
            url=f"{url}?bench={self.counter}",
            outlet=outlet,
            text=result.text,
            title=result.title,
            author=result.author,
            published=result.published,
            lang=result.lang,
            skip_reason=result.skip_reason,
            fingerprint=simhash(result.text) if result.text and not result.skip_reason else None,
            html=body,
        )
        if not result.skip_reason:
            verdict = self.rules.classify(result.title or "", result.text, lang=result.lang)
            article.rubric, article.score, article.classified = verdict.rubric, verdict.score, True
            article.rubrics, article.matches, article.match_count = (
                verdict.rubrics,
                verdict.matches,
                verdict.match_count,
            )
        save_linking_reprints(self.db, article, REPRINTS)


def _median(fn: Callable[[], None], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(repeats: int = 3) -> dict[str, Any]:
    pages = article_pages()
    with tempfile.TemporaryDirectory() as folder:
        db = open_db(Path(folder) / "bench.db")
        fill(db, STORED)
        ours = Path_(db)

        def baseline() -> None:
            for _, url, body in pages:
                trafilatura.extract(body, url=url, with_metadata=True)

        def mine() -> None:
            for outlet, url, body in pages:
                ours.one(outlet, url, body)

        baseline()  # warm caches (lxml, trafilatura's, the token cache, the fingerprint index)
        mine()
        base = _median(baseline, repeats)
        cost = _median(mine, repeats)
        db.close()
    return {
        "pages": len(pages),
        "page_kb": round(sum(len(body) for _, _, body in pages) / len(pages) / 1024, 1),
        "stored_before": STORED,
        "trafilatura_with_metadata_ms": round(1000 * base / len(pages), 2),
        "ours_ms_per_article": round(1000 * cost / len(pages), 2),
        "ratio": round(cost / base, 3),
        "target": "≤ 1.3",
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
