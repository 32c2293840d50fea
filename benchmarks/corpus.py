"""A store of many articles, written in bulk straight into the database (not by crawling): the scale
benchmarks need 1,000 to 100,000 stored articles in seconds, shaped like a real store.

Each article has ~4,000 characters of text (words of the labelled sets plus unseen names and numbers),
a gzipped raw page, its key, its first history line, and a status mix like a store after months of
use: most ignored, some candidates with matches, a few decided. Fingerprints are random 64-bit values,
as unrelated texts' SimHashes are; ``fetched_at`` spreads over the last 20 days (inside the reprint window).
"""

from __future__ import annotations

import gzip
import json
import random
from datetime import UTC, datetime, timedelta
from pathlib import Path

import sqlite_utils

ROOT = Path(__file__).resolve().parent.parent
OUTLETS = ("azattyq", "bureau", "orda", "ulysmedia", "vlast")
TEXT_CHARS = 4_000
STATUSES = ("candidate", "approved", "rejected", "ignored")
STATUS_WEIGHTS = (8, 4, 2, 86)  # per cent: what a store looks like after months of review
PAGE = gzip.compress(b"<html><body>" + b"<p>stored page</p>" * 400 + b"</body></html>")


def vocabulary() -> list[str]:
    """Words of the labelled sets (real Russian and Kazakh news vocabulary, rubric terms included)."""
    words: list[str] = []
    for name in ("dev.jsonl", "holdout.jsonl"):
        for line in (ROOT / "tests/data" / name).read_text("utf-8").splitlines():
            if line.strip():
                item = json.loads(line)
                words.extend(f"{item.get('title') or ''} {item['text']}".split())
    return words


def fake_text(rng: random.Random, words: list[str], chars: int = TEXT_CHARS) -> str:
    """~``chars`` characters of paragraphs; each brings names and numbers no other article has."""
    parts: list[str] = []
    size = 0
    while size < chars:
        sentence = rng.choices(words, k=14)
        sentence.insert(rng.randrange(14), f"Нурлан{rng.randrange(10**6)}ов")
        sentence.insert(rng.randrange(14), str(rng.randrange(10**7)))
        paragraph = " ".join(sentence) + "."
        parts.append(paragraph)
        size += len(paragraph) + 1
    return "\n".join(parts)


def fill(db: sqlite_utils.Database, count: int, *, seed: int = 1, rubrics: list[str] | None = None) -> None:
    """Add ``count`` articles to ``db`` (after whatever it holds), in transactions of a few thousand.

    The full-text index is filled once at the end (its triggers are set aside meanwhile and put back):
    one rebuild is several times faster than one trigger call per row."""
    triggers = db.execute(
        "SELECT name, sql FROM sqlite_master WHERE type = 'trigger' AND tbl_name = 'articles'"
    ).fetchall()
    for name, _ in triggers:
        db.execute(f"DROP TRIGGER [{name}]")
    try:
        _fill(db, count, seed=seed, rubrics=rubrics)
    finally:
        for _, sql in triggers:
            db.execute(sql)
        for (table,) in db.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND sql LIKE 'CREATE VIRTUAL TABLE%content=%articles%'"
        ).fetchall():
            db.execute(f"INSERT INTO [{table}]([{table}]) VALUES ('rebuild')")
        db.conn.commit()


def _fill(db: sqlite_utils.Database, count: int, *, seed: int, rubrics: list[str] | None) -> None:
    rng = random.Random(seed)
    words = vocabulary()
    rubrics = rubrics or ["Политзаключенные", "Свобода слова", "Пытки", "Право на справедливый суд"]
    first = (db.execute("SELECT max(id) FROM articles").fetchone()[0] or 0) + 1
    now = datetime.now(UTC)
    batch = 2_000
    for start in range(first, first + count, batch):
        articles, keys, pages, transitions = [], [], [], []
        for n in range(start, min(start + batch, first + count)):
            text = fake_text(rng, words)
            title = " ".join(rng.choices(words, k=8))
            status = rng.choices(STATUSES, weights=STATUS_WEIGHTS)[0]
            rubric = rng.choice(rubrics) if status != "ignored" else None
            matches = (
                [
                    {"term": "приговор*", "field": "text", "start": s, "end": s + 8, "rubric": rubric}
                    for s in sorted(rng.sample(range(TEXT_CHARS - 10), 6))
                ]
                if rubric
                else []
            )
            fetched = now - timedelta(seconds=rng.randrange(20 * 86_400))
            published = (fetched - timedelta(hours=rng.randrange(48))).astimezone(UTC).isoformat(timespec="seconds")
            outlet = OUTLETS[n % len(OUTLETS)]
            key = f"{outlet}.bench/{n}"
            fingerprint = rng.getrandbits(64) - (1 << 63)
            articles.append(
                (
                    n,
                    key,
                    f"https://{outlet}.kz/news/{n}",
                    outlet,
                    title,
                    published,
                    "ru" if n % 7 else "kk",
                    text,
                    status,
                    rubric,
                    round(rng.uniform(3, 12), 2) if rubric else round(rng.uniform(0, 2), 2),
                    json.dumps([{"rubric": rubric, "score": 5.0}] if rubric else [], ensure_ascii=False),
                    json.dumps(matches, ensure_ascii=False),
                    len(matches),
                    fetched.isoformat(timespec="seconds"),
                    rubric if status in ("approved",) else None,
                    fingerprint,
                    fetched.isoformat(timespec="seconds"),
                )
            )
            keys.append((key, n))
            pages.append((n, PAGE, 200, "text/html", "utf-8", f"https://{outlet}.kz/news/{n}"))
            transitions.append((n, fetched.isoformat(timespec="seconds"), "crawler", status, rubric))
        with db.conn:
            db.conn.executemany(
                "INSERT INTO articles (id, key, url, outlet, title, published, lang, text, status, rubric, score,"
                " rubrics, matches, match_count, classified_at, approved_rubric, fingerprint, fetched_at)"
                " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                articles,
            )
            db.conn.executemany("INSERT INTO url_keys (key, article_id) VALUES (?, ?)", keys)
            db.conn.executemany(
                "INSERT INTO pages (article_id, html_gz, http_status, content_type, encoding, fetched_url)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                pages,
            )
            db.conn.executemany(
                "INSERT INTO transitions (article_id, at, user, from_status, to_status, rubric)"
                " VALUES (?, ?, ?, NULL, ?, ?)",
                transitions,
            )
