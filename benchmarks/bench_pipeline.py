"""Per-article cost of our path (extract + language + fingerprint + classify + store) as a ratio to
``trafilatura.extract`` alone on the same snapshot pages, measured in one process."""

from __future__ import annotations

import statistics
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

import trafilatura
import yaml

from crawler.extraction import extract
from crawler.fingerprint import simhash
from crawler.outlets import load_outlets
from crawler.replay import SNAPSHOT_DIR
from crawler.store import open_db
from crawler.store.articles import NewArticle, save_article


def article_pages() -> list[tuple[str, str, bytes]]:
    """(outlet, url, body) of every snapshot page that its outlet's spider treats as an article."""
    outlets = load_outlets()
    pages = []
    seen: set[tuple[str, str]] = set()  # a page served under several URLs (short link, AMP) counts once
    for outlet, spider in outlets.items():
        for route in yaml.safe_load((SNAPSHOT_DIR / outlet / "routes.yml").read_text(encoding="utf-8")):
            servable = route.get("file") and route.get("status", 200) == 200 and not route.get("pad_to")
            if servable and spider.article_url.match(route["url"]) and (outlet, route["file"]) not in seen:
                seen.add((outlet, route["file"]))
                pages.append((outlet, route["url"], (SNAPSHOT_DIR / outlet / route["file"]).read_bytes()))
    return pages


def _best(fn: Callable[[], None], repeats: int) -> float:
    times = []
    for _ in range(repeats):
        started = time.perf_counter()
        fn()
        times.append(time.perf_counter() - started)
    return statistics.median(times)


def run(repeats: int = 5) -> dict[str, Any]:
    outlets = load_outlets()
    pages = article_pages()
    try:
        from crawler.rules import load_rules

        rules: Any = load_rules("rules")
    except ImportError:  # rules not there yet: classification is left out of the measured path
        rules = None
    tmp = tempfile.TemporaryDirectory()
    db = open_db(Path(tmp.name) / "bench.db")
    counter = iter(range(10**9))

    def baseline() -> None:
        for _, _, body in pages:
            trafilatura.extract(body.decode("utf-8", "replace"))

    def ours() -> None:
        for outlet, url, body in pages:
            result = extract(body, url, outlets[outlet].page_rules)
            fingerprint = simhash(result.text) if result.text else None
            article = NewArticle(
                key=f"bench/{next(counter)}",
                url=url,
                outlet=outlet,
                text=result.text,
                title=result.title,
                lang=result.lang,
                fingerprint=fingerprint,
                html=body,
            )
            if rules is not None:
                verdict = rules.classify(result.title or "", result.text, lang=result.lang)
                article.rubric, article.score, article.classified = verdict.rubric, verdict.score, True
            save_article(db, article)

    baseline()  # warm caches (lxml, trafilatura's, the database file) before measuring
    ours()
    base = _best(baseline, repeats)
    mine = _best(ours, repeats)
    tmp.cleanup()
    return {
        "pages": len(pages),
        "trafilatura_ms_per_article": 1000 * base / len(pages),
        "ours_ms_per_article": 1000 * mine / len(pages),
        "ratio": mine / base,
        "classified": rules is not None,
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.3f}" if isinstance(value, float) else f"{key}: {value}")
