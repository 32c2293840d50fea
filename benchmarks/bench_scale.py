"""The scale table: one store grown to 1,000, 10,000 and 100,000 articles (bulk-written, see corpus.py),
and at each size what users wait for: the review queue, search, an article page (server time through
Flask's test client), the crawl's cost per article (bench_pipeline's path, chrome pages, reprint check
and store included), and ``crawler rules apply`` (time and peak memory, in its own process).

Also the crawl-cost bar: the per-article cost when the store holds 10,000 articles ÷ when it holds 100
(target ≤ 1.5). ``BENCH_SCALE_SIZES=1000,10000`` runs fewer sizes; ``BENCH_APPLY_MAX`` (default 10000)
is the largest size at which ``rules apply`` is timed: it re-classifies every undecided article, which
at 100,000 alone takes longer than the whole benchmark should (its memory stays that of one batch).
"""

from __future__ import annotations

import os
import random
import re
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_pipeline import Path_, article_pages
from benchmarks.corpus import fill
from crawler.store import open_db, users
from crawler.web import create_app

ROOT = Path(__file__).resolve().parent.parent
PASSWORD = "benchmark password"
RUNS = 5
APPLY_PROBE = """
import resource, sys, time
from crawler.cli import main
started = time.perf_counter()
code = main(["--db", sys.argv[1], "rules", "apply"])
print(f"{time.perf_counter() - started:.3f} {resource.getrusage(resource.RUSAGE_SELF).ru_maxrss}", file=sys.stderr)
raise SystemExit(code)
"""


def _server_ms(client: Any, path: str) -> float:
    """Median time of GET ``path`` (after one warm-up), in milliseconds."""
    response = client.get(path)
    assert response.status_code == 200, (path, response.status_code)
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        client.get(path).get_data()
        times.append((time.perf_counter() - started) * 1000)
    return round(statistics.median(times), 1)


def _crawl_ms(path: Path_, pages: list[tuple[str, str, bytes]]) -> float:
    """Per-article CPU cost of the crawl's path over the chrome pages (median of three passes). CPU
    time, not wall time: the comparison between store sizes must not depend on the machine's load."""
    times = []
    for _ in range(3):
        started = time.process_time()
        for outlet, url, body in pages:
            path.one(outlet, url, body)
        times.append((time.process_time() - started) * 1000 / len(pages))
    return round(statistics.median(times), 2)


def _rules_apply(db_path: Path) -> tuple[float, float]:
    result = subprocess.run(
        [sys.executable, "-c", APPLY_PROBE, str(db_path)],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    if result.returncode:
        raise RuntimeError(f"rules apply failed: {result.stderr[-2000:]}")
    seconds, max_rss_kib = result.stderr.strip().splitlines()[-1].split()
    return float(seconds), round(int(max_rss_kib) / 1024, 1)


def _login(app: Any) -> Any:
    client = app.test_client()
    page = client.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf_token": token})
    return client


def run() -> dict[str, Any]:
    sizes = [int(s) for s in os.environ.get("BENCH_SCALE_SIZES", "1000,10000,100000").split(",") if s]
    apply_max = int(os.environ.get("BENCH_APPLY_MAX", "10000"))
    pages = article_pages()
    rng = random.Random(3)
    rows: dict[str, Any] = {}
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "scale.db"
        db = open_db(db_path)
        users.add_user(db, "bench", PASSWORD)
        fill(db, 100, seed=0)
        crawl = Path_(db)
        crawl_at_100 = _crawl_ms(crawl, pages)
        rows["crawl_ms_per_article_at_100"] = crawl_at_100
        print(f"  (crawl at 100 stored: {crawl_at_100} ms per article)", file=sys.stderr, flush=True)
        app = create_app(db_path, rules_dir="rules", secret_key="bench")
        client = _login(app)
        stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
        for size in sizes:
            started = time.perf_counter()
            fill(db, size - stored, seed=size)
            stored = size
            generated = time.perf_counter() - started
            some_id = rng.randrange(1, size)
            row: dict[str, Any] = {
                "generate_s": round(generated, 1),
                "queue_ms": _server_ms(client, "/"),
                "queue_all_statuses_ms": _server_ms(client, "/?status=all"),
                "search_ms": _server_ms(client, "/search?q=суд приговор"),
                "article_ms": _server_ms(client, f"/article/{some_id}"),
                "crawl_ms_per_article": _crawl_ms(crawl, pages),
            }
            stored = db.execute("SELECT count(*) FROM articles").fetchone()[0]
            if size <= apply_max:
                row["rules_apply_s"], row["rules_apply_max_rss_mib"] = _rules_apply(db_path)
            rows[f"{size:>6}"] = row
            print(f"  (scale {size}: {row})", file=sys.stderr, flush=True)  # partial results as they come
        db.close()
    if "  10000" in rows or " 10000" in rows:
        at_10k = next(v for k, v in rows.items() if k.strip() == "10000")
        rows["crawl_cost_10000th_vs_100th"] = round(at_10k["crawl_ms_per_article"] / crawl_at_100, 2)
        rows["crawl_cost_target"] = "≤ 1.5"
    rows["targets"] = "queue ≤ 300 ms, search ≤ 150 ms, article ≤ 50 ms at 100,000"
    return rows


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
