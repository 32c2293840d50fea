"""Scrapyd: ``crawler ingest`` (and the helpers ``schedule --scrapyd`` and ``status`` share)."""

from __future__ import annotations

import argparse
import json
from collections.abc import Mapping, Sequence
from typing import Any

from crawler.cli.common import command, open_db, ops_config
from crawler.errors import UsageError


def add_ingest(sub: argparse._SubParsersAction) -> None:
    p = command(
        sub,
        "ingest",
        _ingest,
        "Store the items of Scrapyd jobs not read yet (finished, or lost with a node that is back).",
    )
    p.add_argument("--json", action="store_true", help="one JSON object per job on stdout")
    p.epilog = (
        "A job's feed is read once: ingesting again adds nothing. `schedule --scrapyd` ingests as jobs finish;"
        " this command is for what a stopped node or an interrupted pass left behind."
        " Exit status: 0 every job read, 1 a node did not answer (its jobs wait), 3 a pass holds the lock."
    )


def _ingest(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from crawler.cluster import Ingester
    from crawler.config import scrapy_settings
    from crawler.run import run_lock

    config = ops_config(args)
    db = open_db(config["db"], write=True, create=False)  # jobs are recorded in an existing database
    with run_lock(config["db"]):
        reports = Ingester(db, scrapy_settings(config), config["scrapyd_project"]).pending()
    if args.json:
        for report in reports:
            print(json.dumps(asdict(report), ensure_ascii=False))
    elif not reports:
        print("nothing to ingest")
    else:
        print(f"{'job':<28} {'node':<26} {'lines':>5} {'new':>4}  state")
        for r in reports:
            print(f"{r.job:<28} {r.node:<26} {r.lines:>5} {r.new_articles:>4}  {r.state}{_why(r.problem)}")
    return 1 if any(report.state == "down" for report in reports) else 0


def _why(problem: str | None) -> str:
    return f" ({problem})" if problem else ""


def node_urls(option: str | None, config: Mapping[str, Any]) -> list[str]:
    """``--scrapyd URL[,URL…]``, else the settings' ``scrapyd_nodes``; every one must be a URL."""
    urls = [url.strip() for url in option.split(",") if url.strip()] if option else list(config["scrapyd_nodes"])
    if option is not None and not urls:
        raise UsageError("--scrapyd needs at least one URL, e.g. http://10.0.0.5:6800")
    bad = [url for url in urls if not url.startswith(("http://", "https://"))]
    if bad:
        raise UsageError(f"--scrapyd: {bad[0]!r} is not an http(s) URL")
    return urls


def job_settings(pairs: Sequence[str]) -> dict[str, str]:
    settings: dict[str, str] = {}
    for pair in pairs:
        name, sep, value = pair.partition("=")
        if not sep or not name.strip().isidentifier():
            raise UsageError(f"--job-setting {pair!r} must look like NAME=VALUE")
        settings[name.strip()] = value
    return settings


def last_jobs_text(rows: Sequence[Mapping[str, Any]]) -> str:
    """For ``crawler status``: the node and job of each outlet's last pass on Scrapyd (empty if none)."""
    if not rows:
        return ""
    lines = ["", "", "last pass on Scrapyd:"]
    for row in rows:
        lines.append(
            f"  {row['outlet']:<10} node {row['node']}  job {row['job']}  {row['state']}{_why(row['problem'])}"
        )
    return "\n".join(lines)


def last_jobs_json(rows: Sequence[Mapping[str, Any]]) -> dict[str, Any]:
    if not rows:
        return {}
    keep = ("node", "job", "state", "problem", "run_id", "new_articles")
    return {"scrapyd": {row["outlet"]: {key: row[key] for key in keep} for row in rows}}
