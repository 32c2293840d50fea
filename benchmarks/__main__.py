"""`make bench`: every benchmark, each reported against a baseline measured in the same process.

Takes some ten minutes (most of it writing the 100,000-article store and re-classifying it); set
``BENCH_SCALE_SIZES=1000,10000`` for a quicker run of the scale table."""

from __future__ import annotations

import importlib

BENCHMARKS = {
    "pipeline": "per-article cost (trafilatura doing the body, chrome pages, store into 10,000 articles)"
    " ÷ trafilatura.extract(with_metadata=True) (target ≤ 1.3)",
    "classify": "classification with unseen names and numbers (target ≥ 1,000 articles/s on one core)",
    "replay": "replay crawl of the snapshot; the second run must make 0 article requests",
    "startup": "start of commands that crawl nothing (target ≤ 0.25 s)",
    "scale": "1k / 10k / 100k stored articles: queue ≤ 300 ms, search ≤ 150 ms, article ≤ 50 ms,"
    " crawl cost of the 10,000th ≤ 1.5 × the 100th, rules apply time and memory",
}


def main() -> int:
    for name, what in BENCHMARKS.items():
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
        except ModuleNotFoundError as exc:
            print(f"[{name}] skipped: {exc}")
            continue
        print(f"[{name}] {what}", flush=True)
        for key, value in module.run().items():
            print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
