"""``crawler doctor``: probe every discovery strategy of every outlet and say which work today.

A discover-only crawl (``CRAWLER_DISCOVER_ONLY``): feeds, sitemaps, APIs and listings are fetched and
parsed as in a real pass, no article is requested, nothing is written to the database. Live by
default; ``replay=True`` probes an offline snapshot instead.
"""

from __future__ import annotations

import socket
import tempfile
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from crawler.errors import NoNetwork

PROBE_TIMEOUT = 5.0  # seconds to reach an outlet before the network counts as absent


@dataclass
class Probe:
    outlet: str
    kind: str
    url: str
    ok: bool
    status: int | None
    links: int
    articles: int
    sample: str | None
    problem: str | None
    redirect_host: str | None = None  # the undeclared host its pages redirect to (has the site moved?)
    declared: str | None = None  # where the spider declares it ("spiders/vlast.py line 14"); None: discovered


def check_network(hosts: Sequence[str]) -> None:
    """Raise ``NoNetwork`` when none of ``hosts`` can be reached on port 443."""
    reasons = []
    for host in hosts:
        try:
            socket.create_connection((host, 443), timeout=PROBE_TIMEOUT).close()
            return
        except OSError as exc:
            reasons.append(f"{host}: {exc.strerror or exc.__class__.__name__}")
    raise NoNetwork(f"no network: cannot reach any outlet ({'; '.join(reasons[:2])}); try `crawler doctor --replay`")


def probe(
    outlets: Sequence[str] | None = None, *, replay: bool = False, snapshot: str | Path | None = None
) -> list[Probe]:
    """Run every selected outlet's discovery once and return one row per strategy. ``replay`` probes
    ``snapshot`` (else ``$CRAWLER_SNAPSHOT``, else the bundled one)."""
    from scrapy.crawler import CrawlerProcess

    from crawler.config import scrapy_settings
    from crawler.outlets import load_outlets, select_outlets
    from crawler.replay import SnapshotServer, resolve_snapshot

    settings = scrapy_settings()
    selected = select_outlets(outlets)
    snapshot_dir = resolve_snapshot(snapshot) if replay else None
    if not replay:
        check_network([load_outlets()[name].hosts[0] for name in selected])

    with tempfile.TemporaryDirectory(prefix="crawler-doctor-") as scratch:
        settings.set("CRAWLER_DB", str(Path(scratch) / "doctor.db"), priority="cmdline")  # never the real one
        settings.set("CRAWLER_DISCOVER_ONLY", True, priority="cmdline")
        settings.set("ITEM_PIPELINES", {}, priority="cmdline")
        settings.set("LOG_LEVEL", "ERROR", priority="cmdline")
        server = None
        if snapshot_dir is not None:
            server = SnapshotServer(snapshot_dir).start()
            for name, value in settings.getdict("REPLAY_SETTINGS").items():
                settings.set(name, value, priority="cmdline")
            settings.set("CRAWLER_REPLAY_ADDRESS", server.address, priority="cmdline")
            settings.set("CRAWLER_NOW", server.recorded_at, priority="cmdline")  # as `run --replay`: its moment
        try:
            process = CrawlerProcess(settings)
            crawlers = [process.create_crawler(name) for name in selected]
            for crawler in crawlers:
                process.crawl(crawler)
            process.start()
        finally:
            if server is not None:
                server.stop()
        rows: list[Probe] = []
        for crawler in crawlers:
            results: dict[str, dict[str, Any]] = getattr(crawler.spider, "strategy_results", {})
            rows.extend(
                Probe(
                    outlet=crawler.spider.name,
                    kind=result.get("kind", "?"),
                    url=url,
                    ok=bool(result.get("ok")),
                    status=result.get("status"),
                    links=int(result.get("links") or 0),
                    articles=int(result.get("articles") or 0),
                    sample=result.get("sample"),
                    problem=result.get("problem"),
                    redirect_host=result.get("redirect_host"),
                    declared=result.get("declared"),
                )
                for url, result in results.items()
            )
    return rows


def table(rows: Sequence[Probe]) -> str:
    """The probes as a fixed-width table, grouped by outlet, then a one-line verdict per outlet."""
    header = f"{'outlet':<10} {'strategy':<20} {'status':>6} {'items':>5}  {'result':<28} url / sample article"
    lines = [header, "-" * len(header)]
    for row in rows:
        result = "ok" if row.ok else (row.problem or "no answer")
        status = str(row.status) if row.status is not None else "-"
        lines.append(f"{row.outlet:<10} {row.kind[:20]:<20} {status:>6} {row.articles:>5}  {result[:28]:<28} {row.url}")
        if row.redirect_host:
            lines.append(f"{'':<10} {'':<20} {'':>6} {'':>5}  {'':<28} → redirects to {row.redirect_host}")
        if row.sample:
            lines.append(f"{'':<10} {'':<20} {'':>6} {'':>5}  {'':<28} e.g. {row.sample}")
    lines.append("")
    for outlet in dict.fromkeys(row.outlet for row in rows):
        mine = [row for row in rows if row.outlet == outlet]
        working = sum(row.ok for row in mine)
        finding = sum(row.articles > 0 for row in mine)
        verdict = "OK" if finding else "BROKEN: no strategy finds an article link"
        moved = sorted({row.redirect_host for row in mine if row.redirect_host})
        if moved:
            verdict += f"; pages redirect to {', '.join(moved)} — has the site moved?"
        lines.append(f"{outlet}: {working}/{len(mine)} strategies answer, {finding} find articles — {verdict}")
    return "\n".join(lines)
