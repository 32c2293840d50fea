"""Articles: what the crawl writes and what the queue reads."""

from __future__ import annotations

import gzip
import json
import sqlite3
import weakref
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any, NamedTuple

import sqlite_utils

from crawler.errors import UsageError
from crawler.fingerprint import PackedFingerprints
from crawler.store.db import translate_errors, utcnow
from crawler.store.migrations import STATUSES, status_for

LIST_FIELDS = (
    "id",
    "url",
    "outlet",
    "title",
    "author",
    "published",
    "lang",
    "status",
    "rubric",
    "score",
    "bulletin",
    "version",  # what `queue edit --expect-version` compares against
)


@dataclass
class NewArticle:
    """Everything the crawl knows about a fetched page, ready to be stored."""

    key: str
    url: str
    outlet: str
    text: str = field(repr=False)
    title: str | None = None
    author: str | None = None
    published: str | None = None
    published_raw: str | None = None
    lang: str | None = None
    skip_reason: str | None = None
    fingerprint: int | None = None
    discovered_via: str | None = None
    aliases: tuple[str, ...] = ()  # other keys the page was reached by (the requested short link, ...)
    html: bytes = field(default=b"", repr=False)
    http_status: int | None = None
    content_type: str | None = None
    encoding: str | None = None
    fetched_url: str | None = None
    run_id: int | None = None
    # classification (filled by the rules; status follows from rubric)
    rubric: str | None = None
    score: float | None = None
    rubrics: list[dict[str, Any]] = field(default_factory=list)
    matches: list[dict[str, Any]] = field(default_factory=list)
    match_count: int | None = None
    classified: bool = False
    note: str | None = None  # said on the article's first history line (e.g. its text was cut)


def cap_text(text: str, max_chars: int) -> tuple[str, str | None]:
    """``text`` cut to ``max_chars`` characters (0: no cap) at the last paragraph or space before the cap,
    and the note the article's history keeps about it (None when nothing was cut)."""
    if not max_chars or len(text) <= max_chars:
        return text, None
    cut = text[:max_chars]
    at = max(cut.rfind("\n"), cut.rfind(" "))
    cut = cut[:at] if at > max_chars // 2 else cut
    return cut, f"text cut to {len(cut):,} of {len(text):,} characters (setting max_text_chars)"


def known_keys(db: sqlite_utils.Database, *, now: datetime | None = None) -> set[str]:
    """Keys the crawl must not request: every stored article's keys, and failed URLs not yet due again."""
    now_iso = (now or datetime.now(UTC)).isoformat(timespec="seconds")
    rows = db.execute(
        "SELECT key FROM url_keys UNION SELECT key FROM failures WHERE next_attempt_at IS NULL OR next_attempt_at > ?",
        [now_iso],
    ).fetchall()
    return {row[0] for row in rows}


def newest_fetch(db: sqlite_utils.Database, outlet: str) -> str | None:
    """When the outlet's newest stored article was fetched (ISO 8601 UTC); None before its first."""
    row = db.execute("SELECT max(fetched_at) FROM articles WHERE outlet = ?", [outlet]).fetchone()
    return row[0] if row else None


class Candidate(NamedTuple):
    """A stored article that a new one may reprint (or be reprinted by)."""

    id: int
    text: str
    published: str | None
    outlet: str


class _RecentOriginals:
    """The fingerprints of a database's original articles, held in memory for the reprint check.

    Loaded once through the covering index ``articles_recent_originals`` (never the rows, whose text
    makes each one kilobytes), then topped up by rowid with what was stored since, by this or any other
    connection. A row only ever gains a ``duplicate_of`` and never changes its fingerprint, so the set
    can hold stale originals but never miss one: the final query re-checks window and ``duplicate_of``.
    """

    def __init__(self) -> None:
        self.ids: list[int] = []
        self.fingerprints = PackedFingerprints()

    def refresh(self, db: sqlite_utils.Database, since: str) -> None:
        if self.ids:  # what was stored since the last look (a rowid range: as cheap as the rows are few)
            rows = db.execute(
                "SELECT id, fingerprint FROM articles WHERE id > ? AND fingerprint IS NOT NULL"
                " AND duplicate_of IS NULL ORDER BY id",
                [self.ids[-1]],
            ).fetchall()
        else:
            rows = sorted(
                db.execute(
                    "SELECT id, fingerprint FROM articles INDEXED BY articles_recent_originals"
                    " WHERE fetched_at >= ? AND duplicate_of IS NULL AND fingerprint IS NOT NULL",
                    [since],
                ).fetchall()
            )
        if rows:
            self.ids.extend(int(row[0]) for row in rows)
            self.fingerprints.extend([int(row[1]) for row in rows])


_recent_originals: weakref.WeakKeyDictionary[sqlite_utils.Database, _RecentOriginals] = weakref.WeakKeyDictionary()


def near_duplicate_candidates(
    db: sqlite_utils.Database, fingerprint: int, *, max_distance: int, window_days: int
) -> list[Candidate]:
    """Recent original articles whose fingerprint is within ``max_distance`` bits, oldest first.

    Its cost stays flat as the store grows: the fingerprints are compared in memory (see
    ``_RecentOriginals``), and only the few close ones are read from the table."""
    since = (datetime.now(UTC) - timedelta(days=window_days)).isoformat(timespec="seconds")
    originals = _recent_originals.get(db)
    if originals is None:
        originals = _recent_originals[db] = _RecentOriginals()
    originals.refresh(db, since)
    close = [originals.ids[at] for at in originals.fingerprints.close(fingerprint, max_distance)]
    if not close:
        return []
    placeholders = ",".join("?" * len(close))
    return [
        Candidate(int(article_id), text, published, outlet)
        for article_id, text, published, outlet in db.execute(
            f"SELECT id, text, published, outlet FROM articles WHERE id IN ({placeholders})"
            " AND fetched_at >= ? AND duplicate_of IS NULL ORDER BY id",
            [*close, since],
        ).fetchall()
    ]


def mark_duplicate(db: sqlite_utils.Database, article_id: int, original_id: int) -> None:
    """Make ``article_id`` (and its own reprints) near-duplicates of ``original_id``, an earlier publication
    stored later."""
    with db.conn:
        db.conn.execute("UPDATE articles SET duplicate_of = ? WHERE duplicate_of = ?", [original_id, article_id])
        db.conn.execute("UPDATE articles SET duplicate_of = ? WHERE id = ?", [original_id, article_id])


def save_article(db: sqlite_utils.Database, article: NewArticle, *, duplicate_of: int | None = None) -> int | None:
    """Store a new article with its raw page in one transaction; None if its key is already stored
    (the page was reached under another URL): the new aliases are then remembered."""
    status = status_for(article.rubric)
    now = utcnow()
    row = {
        "key": article.key,
        "url": article.url,
        "outlet": article.outlet,
        "title": article.title,
        "author": article.author,
        "published": article.published,
        "published_raw": article.published_raw,
        "lang": article.lang,
        "text": article.text,
        "skip_reason": article.skip_reason,
        "status": status,
        "rubric": article.rubric,
        "score": article.score,
        "rubrics": json.dumps(article.rubrics, ensure_ascii=False) if article.classified else None,
        "matches": json.dumps(article.matches, ensure_ascii=False) if article.classified else None,
        "match_count": (article.match_count if article.match_count is not None else len(article.matches))
        if article.classified
        else None,
        "classified_at": now if article.classified else None,
        "fingerprint": article.fingerprint,
        "duplicate_of": duplicate_of,
        "discovered_via": article.discovered_via,
        "run_id": article.run_id,
        "fetched_at": now,
    }
    keys = {article.key, *article.aliases}
    notes = (article.skip_reason, article.note)
    try:
        with db.conn:  # one transaction: article, its keys and its raw page, or nothing
            existing = db.execute("SELECT article_id FROM url_keys WHERE key = ?", [article.key]).fetchone()
            if existing:
                db.conn.executemany(
                    "INSERT OR IGNORE INTO url_keys (key, article_id) VALUES (?, ?)",
                    [(k, existing[0]) for k in keys],
                )
                _forget_failures(db, keys)
                return None
            columns = ", ".join(row)
            cursor = db.conn.execute(
                f"INSERT INTO articles ({columns}) VALUES ({', '.join('?' * len(row))})", list(row.values())
            )
            article_id = int(cursor.lastrowid or 0)
            db.conn.executemany(
                "INSERT OR IGNORE INTO url_keys (key, article_id) VALUES (?, ?)",
                [(k, article_id) for k in keys],
            )
            db.conn.execute(
                "INSERT INTO pages (article_id, html_gz, http_status, content_type, encoding, fetched_url)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                [
                    article_id,
                    gzip.compress(article.html, compresslevel=6),
                    article.http_status,
                    article.content_type,
                    article.encoding,
                    article.fetched_url,
                ],
            )
            db.conn.execute(
                "INSERT INTO transitions (article_id, at, user, from_status, to_status, rubric, note)"
                " VALUES (?, ?, 'crawler', NULL, ?, ?, ?)",
                [article_id, now, status, article.rubric, "; ".join(filter(None, notes)) or None],
            )
            _forget_failures(db, keys)
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc
    return article_id


def record_failure(
    db: sqlite_utils.Database,
    *,
    key: str,
    url: str,
    outlet: str,
    status: int | None,
    error: str,
    retry_hours: float,
    max_attempts: int,
) -> None:
    """Remember an article URL that could not be fetched; it is retried later with a doubling wait,
    never once it answered 404/410 or after ``max_attempts``."""
    now = datetime.now(UTC)
    row = db.execute("SELECT attempts FROM failures WHERE key = ?", [key]).fetchone()
    attempts = (row[0] + 1) if row else 1
    permanent = status in (404, 410) or attempts >= max_attempts
    next_at = (
        None if permanent else (now + timedelta(hours=retry_hours * 2 ** (attempts - 1))).isoformat(timespec="seconds")
    )
    with db.conn:
        db.conn.execute(
            "INSERT INTO failures (key, url, outlet, attempts, last_status, last_error, last_attempt_at,"
            " next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
            " ON CONFLICT(key) DO UPDATE SET attempts = excluded.attempts,"
            " last_status = excluded.last_status, last_error = excluded.last_error,"
            " last_attempt_at = excluded.last_attempt_at, next_attempt_at = excluded.next_attempt_at",
            [key, url, outlet, attempts, status, error, now.isoformat(timespec="seconds"), next_at],
        )


QUEUE_ORDER = " ORDER BY score IS NULL, score DESC, published DESC, id"  # best score first, then newest


def article_filters(
    *,
    status: str = "all",
    outlet: str | None = None,
    rubric: str | None = None,
    lang: str | None = None,
    date_from: str | None = None,
    date_to: str | None = None,
) -> tuple[str, list[Any]]:
    """The ``WHERE`` clause (empty when nothing is filtered) and its parameters for the queue's filters;
    callers validate the values first. Dates are local days ``YYYY-MM-DD``, inclusive."""
    where: list[str] = []
    params: list[Any] = []
    for clause, value in (
        ("status = ?", None if status == "all" else status),
        ("outlet = ?", outlet),
        ("coalesce(approved_rubric, rubric) = ?", rubric),
        ("lang = ?", lang),
        # published carries the Almaty offset, so its first ten characters are the local day
        ("substr(coalesce(published, fetched_at), 1, 10) >= ?", date_from),
        ("substr(coalesce(published, fetched_at), 1, 10) <= ?", date_to),
    ):
        if value:
            where.append(clause)
            params.append(value)
    return (" WHERE " + " AND ".join(where) if where else ""), params


def list_articles(
    db: sqlite_utils.Database, *, status: str = "candidate", outlet: str | None = None, limit: int = 0
) -> list[dict[str, Any]]:
    """Articles in queue order: best score first, then newest; ``status='all'`` for every state."""
    if status != "all" and status not in STATUSES:
        raise UsageError(f"unknown status {status!r}: use one of {', '.join(STATUSES)} or all")
    where, params = article_filters(status=status, outlet=outlet)
    sql = (
        "SELECT id, url, outlet, coalesce(edited_title, title) AS title, author, published, lang, status,"
        " coalesce(approved_rubric, rubric) AS rubric, score, bulletin, version FROM articles"
        + where
        + QUEUE_ORDER
        + (" LIMIT ?" if limit else "")
    )
    if limit:
        params.append(limit)
    return [dict(zip(LIST_FIELDS, row, strict=True)) for row in db.execute(sql, params).fetchall()]


def get_article(db: sqlite_utils.Database, article_id: int) -> dict[str, Any] | None:
    """One article's row, or None."""
    rows = list(db["articles"].rows_where("id = ?", [article_id]))
    return rows[0] if rows else None


def raw_page(db: sqlite_utils.Database, article_id: int) -> bytes | None:
    """The stored raw HTML of an article, decompressed."""
    row = db.execute("SELECT html_gz FROM pages WHERE article_id = ?", [article_id]).fetchone()
    return gzip.decompress(row[0]) if row else None


def _forget_failures(db: sqlite_utils.Database, keys: set[str]) -> None:
    placeholders = ",".join("?" * len(keys))
    db.conn.execute(f"DELETE FROM failures WHERE key IN ({placeholders})", [*keys])
