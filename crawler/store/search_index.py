"""The stemmed search index: an FTS5 table of word stems (``crawler.stemming``) beside the articles.

SQLite cannot call the Python stemmer from a trigger without every connection registering it, so the
triggers (plain SQL, safe for any tool that opens the file) only queue a changed article's id in
``stem_pending``; ``refresh`` stems the queued articles. A crawl pass refreshes at its end, and every
search first refreshes what is still queued (a few rows: a monitor's edit, a crawl still running).

Search ranks by BM25 (a title hit weighs more than a body hit) and highlights in Python: the hits
are the words whose stems are the query's, so the highlight agrees with what matched."""

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
TITLE_WEIGHT = 5.0
SNIPPET_WORDS = 40

SCHEMA = """
CREATE VIRTUAL TABLE articles_stem USING fts5(title, body, tokenize = 'unicode61 remove_diacritics 0');
CREATE TABLE stem_pending (article_id INTEGER PRIMARY KEY);
CREATE TRIGGER articles_stem_insert AFTER INSERT ON articles BEGIN
    INSERT OR IGNORE INTO stem_pending (article_id) VALUES (new.id);
END;
CREATE TRIGGER articles_stem_update AFTER UPDATE OF title, text, edited_title, edited_text, lang ON articles BEGIN
    INSERT OR IGNORE INTO stem_pending (article_id) VALUES (new.id);
END;
CREATE TRIGGER articles_stem_delete AFTER DELETE ON articles BEGIN
    INSERT OR IGNORE INTO stem_pending (article_id) VALUES (old.id);
END;
"""


def create(db: sqlite_utils.Database) -> None:
    """The index's tables and triggers, with every stored article queued (the migration)."""
    db.executescript(SCHEMA)
    db.execute("INSERT INTO stem_pending (article_id) SELECT id FROM articles")


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
    clauses = ["articles_stem MATCH ?", *where]
    sql = (
        f"SELECT {columns} FROM articles_stem JOIN articles a ON a.id = articles_stem.rowid"
        f" WHERE {' AND '.join(clauses)} ORDER BY bm25(articles_stem, {TITLE_WEIGHT}, 1.0) LIMIT ?"
    )
    return db.execute(sql, [expression, *params, limit]).fetchall(), words


def hits(text: str | None, words: Sequence[tuple[str, ...]], lang: str | None) -> list[tuple[int, int]]:
    """Where in ``text`` the words whose stems the query has are (start, end), in order."""
    text = text or ""
    wanted = {stem for stems in words for stem in stems}
    if not wanted or not text:
        return []
    # a stem is (nearly always) the start of its word: find candidates by prefix in C, then check
    prefixes = sorted({re.escape(stem[:3]).replace("е", "[её]") for stem in wanted}, key=len, reverse=True)
    candidates = re.compile(r"(?<!\w)(?:" + "|".join(prefixes) + r")\w*", re.IGNORECASE)
    found = []
    for m in candidates.finditer(text):
        word = m.group(0)
        if WORD.fullmatch(word) and wanted.intersection(word_stems(word, lang or "ru") + word_stems(word)):
            found.append((m.start(), m.end()))
    return found


def snippet(text: str | None, spans: Sequence[tuple[int, int]], words: int = SNIPPET_WORDS) -> list[tuple[str, bool]]:
    """A passage of ``text`` around its first hits as (piece, is_hit) pairs, '…' where it was cut."""
    text = " ".join((text or "").split()) if not spans else text or ""
    if not spans:
        cut = _word_cut(text, 0, words)
        return [(text[:cut] + ("…" if cut < len(text) else ""), False)]
    start = _back_words(text, spans[0][0], words // 4)
    end = _word_cut(text, start, words)
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
    return re.sub(r"\s+", " ", text)


def _word_cut(text: str, start: int, words: int) -> int:
    end = len(text)
    for count, m in enumerate(re.finditer(r"\S+", text[start:]), 1):
        end = start + m.end()
        if count >= words:
            return end
    return len(text) if end == len(text) else end


def _back_words(text: str, at: int, words: int) -> int:
    starts = [m.start() for m in re.finditer(r"\S+", text[max(0, at - 400) : at])]
    if len(starts) <= words:
        return 0 if at <= 400 else max(0, at - 400) + (starts[0] if starts else 0)
    return max(0, at - 400) + starts[-words]


__all__ = ["create", "hits", "match_expression", "normalise", "refresh", "search", "snippet"]
