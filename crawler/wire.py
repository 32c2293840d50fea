"""What a node's job puts in its feed (Scrapyd's items, JSON Lines), and reading it back centrally.

One line per outcome: ``{"kind": "article", …}`` with the raw page gzipped and base64-encoded,
``{"kind": "failure", …}`` for an article URL that produced no page, and a last
``{"kind": "summary", …}`` with the job's counters, strategies and finish reason.
"""

from __future__ import annotations

import base64
import gzip
from dataclasses import asdict, fields
from typing import Any

from crawler.items import FetchFailure
from crawler.store.articles import NewArticle

CLASSIFICATION = (
    "rubric",
    "score",
    "rubrics",
    "matches",
    "match_count",
    "classified",
)  # decided centrally, not on a node
ARTICLE_FIELDS = {f.name for f in fields(NewArticle)} - {"html", *CLASSIFICATION}


def article_line(item: NewArticle) -> dict[str, Any]:
    data = {name: value for name, value in asdict(item).items() if name in ARTICLE_FIELDS}
    data["aliases"] = list(item.aliases)
    data["html_gz_b64"] = base64.b64encode(gzip.compress(item.html, compresslevel=6)).decode("ascii")
    return {"kind": "article", **data}


def failure_line(item: FetchFailure) -> dict[str, Any]:
    return {"kind": "failure", **asdict(item)}


def article_from(line: dict[str, Any], *, page: bool = True) -> NewArticle:
    """The article of an ``article`` line (``page=False``: without its raw page); KeyError/ValueError
    when the line is not one."""
    data = {name: line[name] for name in ARTICLE_FIELDS if name in line}
    data["aliases"] = tuple(line.get("aliases") or ())
    data["html"] = gzip.decompress(base64.b64decode(line["html_gz_b64"])) if page else b""
    return NewArticle(**data)


def failure_from(line: dict[str, Any]) -> FetchFailure:
    return FetchFailure(line["outlet"], line["key"], line["url"], line.get("status"), line.get("error") or "")
