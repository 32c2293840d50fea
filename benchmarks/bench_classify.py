"""Classification speed: articles per second on one core with the shipped rules.

Articles of ~4,000 characters are assembled from the development set's texts (real vocabulary), and
every article brings names and numbers no other article has, as real news does: each is a token the
engine has never seen (its cache cannot help). The rules are compiled once, outside the timing.
"""

from __future__ import annotations

import json
import random
import time
from pathlib import Path

from crawler.rules import load_rules

ROOT = Path(__file__).resolve().parent.parent
ARTICLE_CHARS = 4_000


def _articles(count: int, seed: int = 7) -> list[tuple[str, str]]:
    items = [json.loads(line) for line in (ROOT / "tests/data/dev.jsonl").read_text("utf-8").splitlines() if line]
    paragraphs = [p for item in items for p in item["text"].split("\n") if len(p) > 40]
    rng = random.Random(seed)
    out = []
    for _ in range(count):
        parts: list[str] = []
        size = 0
        while size < ARTICLE_CHARS:
            paragraph = rng.choice(paragraphs)
            parts.append(paragraph)
            size += len(paragraph) + 1
        words = "\n".join(parts).split(" ")
        for at in range(0, len(words), 10):  # one word in ten: a name or a number never seen before
            words[at] = rng.choice(
                (f"Ержан{rng.randrange(10**9)}ов", str(rng.randrange(10**9)), f"№{rng.randrange(10**9)}")
            )
        out.append((rng.choice(items)["title"], " ".join(words)[:ARTICLE_CHARS]))
    return out


def run(count: int = 2_000, repeat: int = 3) -> dict:
    """Classify ``count`` ~4,000-character articles, best of ``repeat`` passes (as timeit does: the
    fastest pass is the one least disturbed by other processes); articles/s and the term count."""
    rules = load_rules(ROOT / "rules")
    articles = _articles(count)
    rules.classify(*_articles(1, seed=99)[0])  # warm-up
    elapsed = cpu = float("inf")
    for attempt in range(repeat):
        batch = articles if attempt == 0 else _articles(count, seed=7 + attempt)  # unseen words every pass
        start, start_cpu = time.perf_counter(), time.process_time()
        for title, text in batch:
            rules.classify(title, text, "ru")
        elapsed = min(elapsed, time.perf_counter() - start)
        cpu = min(cpu, time.process_time() - start_cpu)
    return {
        "articles_per_second": round(count / elapsed, 1),
        "articles_per_cpu_second": round(count / cpu, 1),  # what one core does when not shared
        "terms": rules.term_count,
        "rubrics": len(rules.rubrics),
        "article_chars": round(sum(len(t) for _, t in articles) / count),
        "ms_per_article": round(1000 * elapsed / count, 3),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
