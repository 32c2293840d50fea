"""Replay crawl throughput (articles/s) and the second run's article requests (target 0)."""

from __future__ import annotations

import json
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any


def run() -> dict[str, Any]:
    with tempfile.TemporaryDirectory() as tmp:
        db = Path(tmp) / "bench.db"
        command = [sys.executable, "-m", "crawler", "--db", str(db), "run", "--replay", "--json"]
        started = time.perf_counter()
        first = subprocess.run(command, capture_output=True, text=True, check=True)
        elapsed = time.perf_counter() - started
        second = subprocess.run(command, capture_output=True, text=True, check=True)
    stats, again = json.loads(first.stdout), json.loads(second.stdout)
    new = sum(s["new_articles"] for s in stats.values())
    return {
        "replay_seconds": elapsed,
        "new_articles": new,
        "articles_per_second": new / elapsed,
        "second_run_article_requests": sum(s["article_requests"] for s in again.values()),
    }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value:.2f}" if isinstance(value, float) else f"{key}: {value}")
