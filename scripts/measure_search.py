"""Search speed at scale: N articles of sample-bulletin words in a fresh SQLite file, the stemmed
index built, then the server-side time of ``crawler.store.review.search`` (median of 5) per query.

    .venv/bin/python scripts/measure_search.py [N [DB]]   (default 100000; prints one line per query)

With DB, the database is built there once and reused by later runs (the build takes minutes).
"""

from __future__ import annotations

import random
import re
import statistics
import sys
import tempfile
import time
from pathlib import Path

import sqlite_utils

from crawler.store import open_db, review, search_index

SAMPLE = Path("/work/shared/reference/sample-bulletin.txt")
QUERIES = ["голодовка", "колония", "суд приговор", "Жаңаөзен", "журналист задержан", "свобода слова", "митинг"]


def main(n: int, keep: str | None = None) -> None:
    words = re.findall(r"\w+", SAMPLE.read_text(encoding="utf-8")) if SAMPLE.exists() else ["суд", "приговор"]
    words += ["голодовку", "колонии", "Жаңаөзенде", "сотта", "түрмеге"]
    rng = random.Random(7)
    with tempfile.TemporaryDirectory() as folder:
        path = Path(keep or Path(folder) / "crawler.db")
        built = path.exists()
        db = open_db(path)
        if built:
            measure(db)
            return
        start = time.perf_counter()
        with db.conn:
            db.conn.executemany(
                "INSERT INTO articles (key, url, outlet, title, lang, text, status, fetched_at)"
                " VALUES (?, ?, 'vlast', ?, ?, ?, 'ignored', '2025-11-12T00:00:00+00:00')",
                (
                    (
                        f"k{i}",
                        f"https://example.kz/{i}",
                        " ".join(rng.choices(words, k=8)),
                        "kk" if i % 10 == 0 else "ru",
                        " ".join(rng.choices(words, k=300)),
                    )
                    for i in range(n)
                ),
            )
        inserted = time.perf_counter() - start
        start = time.perf_counter()
        search_index.refresh(db)
        indexed = time.perf_counter() - start
        print(f"{n} articles: insert {inserted:.1f} s, stem index {indexed:.1f} s ({indexed / n * 1e3:.2f} ms/article)")
        measure(db)


def measure(db: sqlite_utils.Database) -> None:
    """The median server-side time of each query (5 runs), and how many articles match it."""
    for query in QUERIES:
        times = []
        for _ in range(5):
            start = time.perf_counter()
            results = review.search(db, query)
            times.append(time.perf_counter() - start)
        expression = search_index.match_expression(search_index.query_words(query))
        matching = db.execute("SELECT count(*) FROM articles_stem WHERE articles_stem MATCH ?", [expression])
        print(
            f"search {query!r}: {matching.fetchone()[0]} matching, {len(results)} shown,"
            f" median {statistics.median(times) * 1e3:.0f} ms"
        )


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 100_000, sys.argv[2] if len(sys.argv) > 2 else None)
