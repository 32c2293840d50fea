"""`make bench`: every benchmark, each reported against a baseline measured in the same process."""

from __future__ import annotations

import importlib

BENCHMARKS = {
    "pipeline": "per-article cost of extract+language+classify+store ÷ trafilatura.extract alone (target ≤ 1.3)",
    "classify": "classification throughput with the shipped rules (target ≥ 1,000 articles/s on one core)",
    "replay": "replay crawl of the snapshot; the second run must make 0 article requests",
    "review": "server time to render the review queue with 1,000 candidates (target ≤ 300 ms)",
}


def main() -> int:
    for name, what in BENCHMARKS.items():
        try:
            module = importlib.import_module(f"benchmarks.bench_{name}")
        except ModuleNotFoundError as exc:
            print(f"[{name}] skipped: {exc}")
            continue
        print(f"[{name}] {what}")
        for key, value in module.run().items():
            print(f"  {key}: {value:.3f}" if isinstance(value, float) else f"  {key}: {value}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
