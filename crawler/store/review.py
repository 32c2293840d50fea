"""What the review page reads: the queue grouped by rubric, search, an article's history and raw page.

Read-only on purpose: every decision (approve, reject, edit, reorder, ...) goes through
``crawler.store.decisions``, so the web page and the shell share one copy of those rules.
"""

from __future__ import annotations

import gzip
import json
import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

import sqlite_utils

from crawler.errors import UsageError
from crawler.store import search_index
from crawler.store.articles import QUEUE_ORDER, article_filters
from crawler.store.migrations import STATUSES

SNIPPET_CHARS = 400  # the queue card shows the first lines only; matches beyond them are not highlighted
SEARCH_LIMIT = 100
PAGE_SIZE = 100  # queue cards per page: a page renders in well under the 300 ms bar at any store size
NO_RUBRIC = ""  # the group key of articles without a rubric (ignored items in a status=all view)

_QUEUE_COLUMNS = (
    "id",
    "url",
    "outlet",
    "title",
    "edited_title",
    "author",
    "published",
    "fetched_at",
    "lang",
    "status",
    "rubric",
    "suggested_rubric",
    "score",
    "matches",
    "snippet",
    "edited",
    "duplicate_of",
    "decided_by",
    "decided_at",
    "reject_reason",
)
_QUEUE_SELECT = (
    "SELECT id, url, outlet, title, edited_title, author, published, fetched_at, lang, status,"
    " coalesce(approved_rubric, rubric), rubric, score, matches, substr(text, 1, ?),"
    " edited_text IS NOT NULL, duplicate_of, decided_by, decided_at, reject_reason FROM articles"
)


@dataclass
class QueueFilters:
    """The queue's filters; empty strings mean 'any'. Dates are ``YYYY-MM-DD`` (inclusive)."""

    status: str = "candidate"
    outlet: str = ""
    rubric: str = ""
    lang: str = ""
    date_from: str = ""
    date_to: str = ""

    def validate(self) -> None:
        """Raise UsageError for a status or a date the queue cannot filter on."""
        if self.status not in (*STATUSES, "all"):
            raise UsageError(f"неизвестный статус {self.status!r}")
        for value in (self.date_from, self.date_to):
            if value and not re.fullmatch(r"\d{4}-\d{2}-\d{2}", value):
                raise UsageError(f"дата {value!r} не в формате ГГГГ-ММ-ДД")


@dataclass
class Card:
    """One queue item, with the near-duplicates and reprints folded under it."""

    article: dict[str, Any]
    duplicates: list[dict[str, Any]] = field(default_factory=list)


@dataclass
class RubricGroup:
    """The cards of one rubric, best score first."""

    rubric: str
    cards: list[Card]

    @property
    def count(self) -> int:
        return sum(1 + len(card.duplicates) for card in self.cards)


def _queue_where(filters: QueueFilters) -> tuple[str, list[Any]]:
    filters.validate()
    return article_filters(
        status=filters.status,
        outlet=filters.outlet,
        rubric=filters.rubric,
        lang=filters.lang,
        date_from=filters.date_from,
        date_to=filters.date_to,
    )


def queue_count(db: sqlite_utils.Database, filters: QueueFilters) -> int:
    """How many articles the filters select (every page together)."""
    where, params = _queue_where(filters)
    return int(db.execute("SELECT count(*) FROM articles" + where, params).fetchone()[0])


def queue_rows(
    db: sqlite_utils.Database, filters: QueueFilters, *, limit: int = 0, offset: int = 0
) -> list[dict[str, Any]]:
    """The filtered articles in queue order (best score first, then newest), ``limit`` of them (0: all)
    after the first ``offset``: ``matches`` decoded and cut to those inside the title and the snippet,
    ``terms`` every distinct matched term."""
    where, params = _queue_where(filters)
    sql = _QUEUE_SELECT + where + QUEUE_ORDER
    params = [SNIPPET_CHARS, *params]
    if limit:
        sql += " LIMIT ? OFFSET ?"
        params += [limit, offset]
    rows = [dict(zip(_QUEUE_COLUMNS, row, strict=True)) for row in db.execute(sql, params).fetchall()]
    for row in rows:
        matches = json.loads(row["matches"]) if row["matches"] else []
        row["terms"] = list(dict.fromkeys(m["term"] for m in matches))
        row["all_matches"] = matches  # every match, for the card's explanation (crawler/web/explain.py)
        # a card shows the title and the first lines only: later matches would be dropped anyway
        row["matches"] = [m for m in matches if m.get("field") == "title" or m.get("end", 0) <= SNIPPET_CHARS]
        row["edited"] = bool(row["edited"])
    return rows


def with_originals(db: sqlite_utils.Database, rows: list[dict[str, Any]]) -> list[dict[str, Any]]:
    """``rows`` plus the original of every listed reprint whose original is not listed itself (it was
    approved, rejected or exported already), marked ``context``: a reprint stays folded under its
    original whatever was decided on it, instead of coming back as a stand-alone candidate."""
    listed = {row["id"] for row in rows}
    missing = sorted({row["duplicate_of"] for row in rows if row["duplicate_of"]} - listed)
    if not missing:
        return rows
    marks = ", ".join("?" for _ in missing)
    sql = _QUEUE_SELECT + f" WHERE id IN ({marks})"
    originals = [dict(zip(_QUEUE_COLUMNS, r, strict=True)) for r in db.execute(sql, [SNIPPET_CHARS, *missing])]
    for row in originals:
        row.update(matches=[], terms=[], edited=bool(row["edited"]), context=True)
    first = {}  # each original goes just before its first listed reprint, so the queue order holds
    for index, row in enumerate(rows):
        if row["duplicate_of"] in missing and row["duplicate_of"] not in first:
            first[row["duplicate_of"]] = index
    out: list[dict[str, Any]] = []
    by_id = {row["id"]: row for row in originals}
    for index, row in enumerate(rows):
        out.extend(by_id[root] for root, at in first.items() if at == index and root in by_id)
        out.append(row)
    return out


def counts(db: sqlite_utils.Database, since_utc: str) -> dict[str, int]:
    """The queue's progress: undecided candidates left, and articles decided (approved, rejected, or
    approved and exported already) since ``since_utc`` (ISO 8601, the start of the monitor's day); a
    decision taken back no longer counts."""
    left = db.execute("SELECT count(*) FROM articles WHERE status = 'candidate'").fetchone()[0]
    decided = db.execute(
        "SELECT count(*) FROM articles WHERE status IN ('approved', 'rejected', 'exported') AND decided_at >= ?",
        [since_utc],
    ).fetchone()[0]
    return {"left": int(left), "decided_today": int(decided)}


def group_queue(rows: Sequence[dict[str, Any]], rubric_order: Sequence[str]) -> list[RubricGroup]:
    """Cards grouped by rubric in bulletin order (unknown rubrics after, then none); a reprint or
    near-duplicate is folded under its original when both are listed, else under the first of its kind."""
    heads: dict[int, Card] = {}
    cards: list[Card] = []
    for row in rows:
        root = row["duplicate_of"] or row["id"]
        if root in heads:
            heads[root].duplicates.append(row)
            continue
        card = Card(row)
        heads[root] = card
        cards.append(card)
    # the original itself, when listed, leads its family even if a reprint scored higher
    for card in cards:
        root = card.article["duplicate_of"]
        if root:
            original = next((dup for dup in card.duplicates if dup["id"] == root), None)
            if original is not None:
                card.duplicates.remove(original)
                card.duplicates.insert(0, card.article)
                card.article = original
    groups: dict[str, list[Card]] = {}
    for card in cards:
        groups.setdefault(card.article["rubric"] or NO_RUBRIC, []).append(card)
    rank = {name: index for index, name in enumerate(rubric_order)}
    ordered = sorted(groups, key=lambda name: (name == NO_RUBRIC, rank.get(name, len(rank)), name))
    return [RubricGroup(name, groups[name]) for name in ordered]


def _distinct(db: sqlite_utils.Database, expression: str) -> list[str]:
    """The distinct non-null values of an indexed ``expression``, each found by one index seek (a
    loose index scan): microseconds whatever the store's size, where DISTINCT reads every row."""
    sql = (
        f"WITH RECURSIVE v(x) AS (SELECT min({expression}) FROM articles"
        f" UNION ALL SELECT (SELECT min({expression}) FROM articles WHERE {expression} > v.x) FROM v"
        " WHERE v.x IS NOT NULL) SELECT x FROM v WHERE x IS NOT NULL"
    )
    return [row[0] for row in db.execute(sql)]


def facets(db: sqlite_utils.Database) -> dict[str, list[str]]:
    """The values the filters offer: outlets, languages and rubrics present in the store."""
    return {
        "outlets": _distinct(db, "outlet"),
        "langs": _distinct(db, "lang"),
        "rubrics": _distinct(db, "coalesce(approved_rubric, rubric)"),
    }


def last_bulletin(db: sqlite_utils.Database) -> dict[str, Any] | None:
    """The most recent bulletin's number and creation time, or None before the first one."""
    row = db.execute("SELECT number, created_at, created_by FROM bulletins ORDER BY number DESC LIMIT 1").fetchone()
    return {"number": row[0], "created_at": row[1], "created_by": row[2]} if row else None


def search(
    db: sqlite_utils.Database, text: str, *, status: str = "all", outlet: str = "", limit: int = SEARCH_LIMIT
) -> list[dict[str, Any]]:
    """Every stored article (ignored ones included) containing every word of ``text`` in some form
    (Snowball stems, see crawler/store/search_index.py), best match first; each result carries its
    ``title`` and a ``snippet`` as (piece, is_hit) pairs for highlighting."""
    if status != "all" and status not in STATUSES:
        raise UsageError(f"неизвестный статус {status!r}")
    where, params = [], []
    if status != "all":
        where.append("a.status = ?")
        params.append(status)
    if outlet:
        where.append("a.outlet = ?")
        params.append(outlet)
    columns = (
        "a.id, a.url, a.outlet, coalesce(a.edited_title, a.title), a.published, a.lang, a.status,"
        " coalesce(a.approved_rubric, a.rubric), a.score, coalesce(a.edited_text, a.text)"
    )
    rows, words = search_index.search(db, text, where=where, params=params, columns=columns, limit=limit)
    names = ("id", "url", "outlet", "title", "published", "lang", "status", "rubric", "score", "text")
    results = []
    for row in rows:
        result = dict(zip(names, row, strict=True))
        body = result.pop("text") or ""
        title = result["title"] or ""
        result["title_pieces"] = search_index.snippet(title, search_index.hits(title, words, result["lang"]), 1000)
        result["snippet"] = search_index.snippet(body, search_index.hits(body, words, result["lang"]))
        results.append(result)
    return results


def history(db: sqlite_utils.Database, article_id: int) -> list[dict[str, Any]]:
    """Every change of state of an article, oldest first: who, when, from, to, rubric, note."""
    rows = db.execute(
        "SELECT at, user, from_status, to_status, rubric, note FROM transitions WHERE article_id = ? ORDER BY id",
        [article_id],
    ).fetchall()
    names = ("at", "user", "from_status", "to_status", "rubric", "note")
    return [dict(zip(names, row, strict=True)) for row in rows]


def article_detail(db: sqlite_utils.Database, article_id: int) -> dict[str, Any] | None:
    """An article's row with ``matches``/``rubrics`` decoded and its raw page's metadata, or None."""
    row = db.execute("SELECT * FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        return None
    names = [d[0] for d in db.execute("SELECT * FROM articles LIMIT 0").description]
    article = dict(zip(names, row, strict=True))
    article["matches"] = json.loads(article["matches"]) if article["matches"] else []
    article["rubrics"] = json.loads(article["rubrics"]) if article["rubrics"] else []
    page = db.execute(
        "SELECT http_status, content_type, encoding, fetched_url, length(html_gz) FROM pages WHERE article_id = ?",
        [article_id],
    ).fetchone()
    article["page"] = (
        dict(zip(("http_status", "content_type", "encoding", "fetched_url", "stored_bytes"), page, strict=True))
        if page
        else None
    )
    article["duplicates"] = [
        {"id": r[0], "outlet": r[1], "title": r[2]}
        for r in db.execute(
            "SELECT id, outlet, coalesce(edited_title, title) FROM articles WHERE duplicate_of = ? ORDER BY id",
            [article_id],
        )
    ]
    return article


def raw_page(db: sqlite_utils.Database, article_id: int) -> tuple[bytes, str | None] | None:
    """The stored raw HTML of an article and its encoding, or None when no page was kept."""
    row = db.execute("SELECT html_gz, encoding FROM pages WHERE article_id = ?", [article_id]).fetchone()
    return (gzip.decompress(row[0]), row[1]) if row else None
