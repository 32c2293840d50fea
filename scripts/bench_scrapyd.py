"""Pages per second of a crawl pass on Scrapyd: one node, then two, over the replay snapshot, politeness off.

    .venv/bin/python scripts/bench_scrapyd.py [--repeat N]

Starts real ``scrapyd`` processes on 127.0.0.1 (the harness of tests/test_scrapyd_cluster.py), deploys
the egg with ``scrapyd-deploy``, and runs one pass of every outlet with fresh node databases through
``crawler.cluster.run_on_nodes`` (what ``crawler schedule --scrapyd`` runs), jobs with no download
delay, no AutoThrottle and 16 requests in flight. Reports, per setup:

- pass pages/s: every request of every job ÷ the pass's wall time, scheduling, job start-up and
  ingest included (what a pass costs);
- crawl pages/s: the same requests ÷ the longest job's crawl time (spider opened → closed), start-up
  excluded (what the nodes download).

Both "machines" share this machine's cores: two nodes here show the overhead of the split, not the
gain of a second computer.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from crawler.cluster import NodePass, run_on_nodes  # noqa: E402  # after the checkout is on the path
from tests.scrapyd_nodes import ScrapydNode, build_egg, dependencies_only_python, deploy  # noqa: E402  # same

POLITENESS_OFF = {"CONCURRENT_REQUESTS": 16, "CONCURRENT_REQUESTS_PER_DOMAIN": 16, "DOWNLOAD_DELAY": 0}
SPLIT = {"azattyq": 0, "bureau": 1, "orda": 0, "ulysmedia": 1, "vlast": 0}  # two nodes: 3 and 2 outlets


def one_pass(base: Path, python: Path, egg: Path, count: int, label: str) -> dict[str, float]:
    nodes = [ScrapydNode(python, base / f"{label}-node{n}") for n in range(count)]
    try:
        for node in nodes:
            node.launch()
        for node in nodes:
            node.wait_ready()
        deploy(egg, nodes, base / f"{label}-deploy")
        pins = {outlet: nodes[n % count].url for outlet, n in SPLIT.items()}
        options = NodePass(
            nodes=[node.url for node in nodes],
            pins=pins,
            replay=True,
            timeout=600,
            poll=0.2,
            job_settings=POLITENESS_OFF,
        )
        started = time.perf_counter()
        result = run_on_nodes(str(base / f"{label}.db"), options)
        wall = time.perf_counter() - started
    finally:
        for node in nodes:
            node.stop()
    assert result.ok, result.table()
    pages = sum(row["requests"] for row in result.outlets.values())
    crawl = max(summary["seconds"] for node in nodes for summary in summaries(node))
    return {"pages": pages, "pass_seconds": wall, "pass_pages_per_s": pages / wall, "crawl_pages_per_s": pages / crawl}


def summaries(node: ScrapydNode) -> list[dict[str, object]]:
    lines = []
    for feed in (node.folder / "items").rglob("*.jl"):
        lines += [json.loads(raw) for raw in feed.read_bytes().splitlines()]
    return [line for line in lines if line["kind"] == "summary"]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeat", type=int, default=2, help="passes per setup (the median is reported)")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="bench-scrapyd-") as tmp:
        base = Path(tmp)
        python = dependencies_only_python(base / "node-python")
        egg = build_egg(base / "bulletin_crawler.egg")
        for count in (1, 2):
            runs = [one_pass(base, python, egg, count, f"n{count}r{n}") for n in range(args.repeat)]
            keys = ("pass_pages_per_s", "crawl_pages_per_s", "pass_seconds")
            median = {key: statistics.median(run[key] for run in runs) for key in keys}
            print(
                f"{count} node(s): {runs[0]['pages']:.0f} pages; pass {median['pass_pages_per_s']:.1f} pages/s"
                f" ({median['pass_seconds']:.1f} s); crawl {median['crawl_pages_per_s']:.1f} pages/s"
                f" [median of {args.repeat}]"
            )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
