"""How long commands that crawl nothing take to start: `crawler --help` and `crawler status` (target
≤ 0.25 s each), best of several runs, next to a bare `python -c pass` on the same machine."""

from __future__ import annotations

import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
RUNS = 7


def _best(args: list[str]) -> float:
    times = []
    for _ in range(RUNS):
        started = time.perf_counter()
        subprocess.run(args, cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=False)
        times.append(time.perf_counter() - started)
    return round(min(times), 3)


def run() -> dict[str, object]:
    with tempfile.TemporaryDirectory() as folder:
        db = str(Path(folder) / "startup.db")
        subprocess.run([sys.executable, "-m", "crawler", "--db", db, "queue", "list"], cwd=ROOT, capture_output=True)
        return {
            "python_bare_s": _best([sys.executable, "-c", "pass"]),
            "help_s": _best([sys.executable, "-m", "crawler", "--help"]),
            "status_s": _best([sys.executable, "-m", "crawler", "--db", db, "status"]),
            "target": "≤ 0.25 s each",
        }


if __name__ == "__main__":
    for key, value in run().items():
        print(f"{key}: {value}")
