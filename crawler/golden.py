"""Golden extraction results: every article page of the snapshot → the fields extraction gives.

``scripts/regen_golden.py`` writes them to ``tests/golden/<outlet>.json``; ``tests/test_golden.py``
checks that extraction still gives exactly that. A change in extraction shows up as a reviewable diff.
"""

from __future__ import annotations

from typing import Any

import yaml

from crawler.extraction import extract
from crawler.outlets import load_outlets
from crawler.replay import SNAPSHOT_DIR
from crawler.urls import canonical_url

FIELDS = ("url", "title", "author", "published", "published_raw", "date_problem", "lang", "skip_reason", "encoding")


def golden_results(outlet: str) -> dict[str, dict[str, Any]]:
    """Extraction result of every servable article page of ``outlet``'s snapshot, keyed by URL."""
    spider = load_outlets()[outlet]
    results: dict[str, dict[str, Any]] = {}
    for route in yaml.safe_load((SNAPSHOT_DIR / outlet / "routes.yml").read_text(encoding="utf-8")):
        if not route.get("file") or route.get("status", 200) != 200 or route.get("pad_to"):
            continue
        if not spider.article_url.match(canonical_url(route["url"])):
            continue
        declared = route.get("type", "text/html; charset=utf-8").partition("charset=")[2] or None
        body = (SNAPSHOT_DIR / outlet / route["file"]).read_bytes()
        result = extract(body, route["url"], spider.page_rules, declared_encoding=declared)
        record = {name: getattr(result, name) for name in FIELDS}
        record["paragraphs"] = [p for p in result.text.split("\n\n") if p]
        results[route["url"]] = record
    return results
