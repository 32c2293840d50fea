"""The stemmed search index: an FTS5 table of word stems (``crawler.stemming``) beside the articles.

SQLite cannot call the Python stemmer from a trigger without every connection registering it, so the
triggers (plain SQL, safe for any tool that opens the file) only queue a changed article's id in
``stem_pending``; ``refresh`` stems the queued articles. A crawl pass refreshes at its end, and every
search first refreshes what is still queued (a few rows: a monitor's edit, a crawl still running).

Search ranks by BM25 (a title hit weighs more than a body hit) among the 2,000 newest matches, and
highlights in Python: the hits are the words whose stems are the query's, so the highlight agrees
with what matched."""

from __future__ import annotations

import contextlib
import re
import sqlite3
from collections.abc import Iterable, Sequence
from typing import Any

import sqlite_utils

from crawler.stemming import WORD, normalise, query_words, word_stems
from crawler.stemming import index_text as stem_text

REFRESH_BATCH = 2_000
RANK_WINDOW = 2_000  # the newest matches ranked by BM25 (see ``search``)
TITLE_WEIGHT = 5.0
SNIPPET_CHARS = 280

SCHEMA = """
CREATE VIRTUAL TABLE IF NOT EXISTS articles_stem USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE IF NOT EXISTS stem_pending (article_id INTEGER PRIMARY KEY);
CREATE TRIGGER IF NOT EXISTS articles_stem_insert AFTER INSERT ON articles BEGIN
    INSERT OR IGNORE INTO stem_pending (article_id) VALUES (new.id);
END;
CREATE TRIGGER IF NOT EXISTS articles_stem_update
AFTER UPDATE OF title, text, edited_title, edited_text, lang ON articles BEGIN
    INSERT OR IGNORE INTO stem_pending (article_id) VALUES (new.id);
END;
CREATE TRIGGER IF NOT EXISTS articles_stem_delete AFTER DELETE ON articles BEGIN
    INSERT OR IGNORE INTO stem_pending (article_id) VALUES (old.id);
END;
"""


def create(db: sqlite_utils.Database) -> None:
    """The index's tables and triggers, with every stored article not indexed yet queued (the migration;
    safe to run again)."""
    db.executescript(SCHEMA)
    db.execute(
        "INSERT OR IGNORE INTO stem_pending (article_id)"
        " SELECT id FROM articles WHERE id NOT IN (SELECT rowid FROM articles_stem)"
    )


def refresh(db: sqlite_utils.Database, *, limit: int | None = None) -> int:
    """Stem the queued articles (all, or ``limit`` of them); returns how many were indexed. Raises
    sqlite3.OperationalError when the database stays locked (callers that only read may ignore it)."""
    done = 0
    while limit is None or done < limit:
        batch = REFRESH_BATCH if limit is None else min(REFRESH_BATCH, limit - done)
        ids = [r[0] for r in db.execute("SELECT article_id FROM stem_pending LIMIT ?", [batch])]
        if not ids:
            break
        marks = ", ".join("?" for _ in ids)
        rows = db.execute(
            f"SELECT id, title, edited_title, text, edited_text, lang FROM articles WHERE id IN ({marks})", ids
        ).fetchall()
        with db.conn:
            db.conn.execute(f"DELETE FROM articles_stem WHERE rowid IN ({marks})", ids)
            db.conn.executemany(
                "INSERT INTO articles_stem (rowid, title, body) VALUES (?, ?, ?)",
                [
                    (
                        row[0],
                        stem_text(" ".join(filter(None, (row[1], row[2]))), row[5]),
                        stem_text(" ".join(filter(None, (row[3], row[4]))), row[5]),
                    )
                    for row in rows
                ],
            )
            db.conn.execute(f"DELETE FROM stem_pending WHERE article_id IN ({marks})", ids)
        done += len(ids)
    return done


def match_expression(words: Sequence[tuple[str, ...]]) -> str:
    """Every query word required, each as any of its stems; quoted, so no FTS5 syntax gets through."""
    return " AND ".join("(" + " OR ".join(f'"{stem}"' for stem in stems) + ")" for stems in words if stems)


def search(
    db: sqlite_utils.Database,
    text: str,
    *,
    where: Iterable[str] = (),
    params: Iterable[Any] = (),
    columns: str = "a.id",
    limit: int = 100,
) -> tuple[list[tuple[Any, ...]], list[tuple[str, ...]]]:
    """Rows (``columns`` of ``articles a``) matching every word of ``text`` by stem, best first, and the
    query's stems per word (for highlighting)."""
    words = query_words(text)
    expression = match_expression(words)
    if not expression:
        return [], words
    with contextlib.suppress(sqlite3.OperationalError):  # a crawl holds the write lock: search what is
        refresh(db, limit=REFRESH_BATCH)  # indexed; the rest is picked up next time
    where, params = list(where), list(params)
    # BM25 costs time in proportion to the matching articles (a common word: tens of thousands at
    # 100,000 stored), so ranking happens among the RANK_WINDOW newest matches; a filtered search that
    # finds too few there looks at all of them.
    bound = db.execute(
        "SELECT rowid FROM articles_stem WHERE articles_stem MATCH ? ORDER BY rowid DESC LIMIT 1 OFFSET ?",
        [expression, RANK_WINDOW - 1],
    ).fetchone()
    rows = _ranked(db, expression, where, params, columns, limit, since=bound[0] if bound else None)
    if bound and len(rows) < limit and where:
        rows = _ranked(db, expression, where, params, columns, limit, since=None)
    return rows, words


def _ranked(
    db: sqlite_utils.Database,
    expression: str,
    where: list[str],
    params: list[Any],
    columns: str,
    limit: int,
    *,
    since: int | None,
) -> list[tuple[Any, ...]]:
    clauses = ["articles_stem MATCH ?", *(["articles_stem.rowid >= ?"] if since is not None else []), *where]
    sql = (
        f"SELECT {columns} FROM articles_stem JOIN articles a ON a.id = articles_stem.rowid"
        f" WHERE {' AND '.join(clauses)} ORDER BY bm25(articles_stem, {TITLE_WEIGHT}, 1.0) LIMIT ?"
    )
    return db.execute(sql, [expression, *([since] if since is not None else []), *params, limit]).fetchall()


def hits(
    text: str | None, words: Sequence[tuple[str, ...]], lang: str | None, limit: int = 12
) -> list[tuple[int, int]]:
    """Where in ``text`` the first ``limit`` words whose stems the query has are (start, end), in order."""
    text = text or ""
    wanted = {stem for stems in words for stem in stems}
    if not wanted or not text:
        return []
    lower = normalise(text)
    if len(lower) != len(text):  # a rare letter whose lower case is longer: positions would shift
        lower = "".join(normalise(char)[:1] or char for char in text)
    # a stem is the start of its word (but for a last consonant the Kazakh rule may restore, ғ → қ):
    # find candidates by that prefix with str.find, then check their stems
    prefixes = {stem[:-1] if len(stem) > 3 else stem for stem in wanted}
    starts = set()
    for prefix in prefixes:
        at = lower.find(prefix)
        while at >= 0 and len(starts) < 4 * limit:
            if at == 0 or not lower[at - 1].isalnum():
                starts.add(at)
            at = lower.find(prefix, at + 1)
    found = []
    for start in sorted(starts):
        m = WORD.match(text, start)
        if m and wanted.intersection(word_stems(m.group(0), lang or "ru") + word_stems(m.group(0))):
            found.append((start, m.end()))
            if len(found) >= limit:
                break
    return found


def snippet(text: str | None, spans: Sequence[tuple[int, int]], chars: int = SNIPPET_CHARS) -> list[tuple[str, bool]]:
    """About ``chars`` characters of ``text`` around its first hit as (piece, is_hit) pairs, cut at
    spaces, '…' where it was cut."""
    text = text or ""
    first = spans[0][0] if spans else 0
    start = 0 if first < chars // 4 else text.find(" ", first - chars // 4, first) + 1
    end = len(text) if start + chars >= len(text) else text.rfind(" ", start, start + chars)
    if end <= start:
        end = min(len(text), start + chars)
    pieces: list[tuple[str, bool]] = [("…" if start > 0 else "", False)]
    pos = start
    for a, b in spans:
        if a < pos or b > end:
            continue
        pieces.append((_flat(text[pos:a]), False))
        pieces.append((text[a:b], True))
        pos = b
    pieces.append((_flat(text[pos:end]) + ("…" if end < len(text) else ""), False))
    return [(piece, hit) for piece, hit in pieces if piece]


def _flat(text: str) -> str:
    return _SPACES.sub(" ", text) if "\n" in text or "  " in text or "\t" in text else text


_SPACES = re.compile(r"\s+")
