"""A crawl pass on Scrapyd nodes: one job per outlet, its items ingested into the one central store.

Shape (docs/operations.md, "Growing past one machine"):

- every outlet is assigned to one node by rendezvous hashing (stable: adding a node moves only the
  outlets it wins; ``scrapyd_pins`` overrides), and crawled there as a Scrapyd job;
- a node keeps its own fetch state (known keys, failed URLs) in its own SQLite (``crawler.addon``),
  and its items leave through the job's feed (Scrapyd's ``items_dir``, JSON Lines, ``crawler.wire``);
- this machine, the only writer of the central SQLite, schedules the jobs, waits for them, reads
  each finished job's feed over HTTP (``listjobs.json``, then the items URL) and stores it: classified,
  reprints linked, run records written. A job's lines are counted as they are read, so reading it
  again adds nothing; a node that stops answering fails its own outlets, and its jobs' feeds are read
  when it is back (``crawler ingest``).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import logging
import threading
import time
import uuid
from collections.abc import Mapping, Sequence
from dataclasses import asdict, dataclass, field
from typing import Any
from urllib.error import HTTPError, URLError
from urllib.parse import urlencode, urljoin
from urllib.request import Request, urlopen

import sqlite_utils

from crawler.errors import NodeError, UsageError
from crawler.store import jobs, runs

logger = logging.getLogger("crawler.cluster")
HTTP_TIMEOUT = 10.0  # seconds a node may take to answer one API call
DOWN_AFTER = 3  # consecutive unanswered polls after which a node counts as stopped


# --- nodes ------------------------------------------------------------------------------------------


class Node:
    """One Scrapyd, by its URL (e.g. ``http://10.0.0.5:6800/``)."""

    def __init__(self, url: str, *, timeout: float = HTTP_TIMEOUT) -> None:
        self.url = url.rstrip("/") + "/"
        self.timeout = timeout

    def __str__(self) -> str:
        return self.url.rstrip("/")

    def _open(self, path: str, data: Sequence[tuple[str, str]] | None = None) -> bytes:
        body = urlencode(list(data)).encode() if data is not None else None
        try:
            with urlopen(Request(urljoin(self.url, path), data=body), timeout=self.timeout) as answer:
                return bytes(answer.read())
        except HTTPError as exc:
            if exc.code == 404:
                raise FileNotFoundError(path) from None
            raise NodeError(f"node {self} answered HTTP {exc.code} to {path}") from None
        except (URLError, OSError) as exc:
            reason = getattr(exc, "reason", exc)
            raise NodeError(f"node {self} unreachable: {reason}") from None

    def call(self, endpoint: str, data: Sequence[tuple[str, str]] | None = None, **params: str) -> dict[str, Any]:
        """A Scrapyd API call; a refusal (``"status": "error"``) is a NodeError with Scrapyd's message."""
        path = endpoint + (f"?{urlencode(params)}" if params else "")
        try:
            answer = json.loads(self._open(path, data))
        except FileNotFoundError:
            raise NodeError(f"node {self} has no {endpoint}: is it a Scrapyd?") from None
        except ValueError:
            raise NodeError(f"node {self} answered {endpoint} with something that is not JSON") from None
        if answer.get("status") != "ok":
            raise NodeError(f"node {self} refused {endpoint}: {answer.get('message', answer)}")
        return dict(answer)

    def schedule(self, project: str, spider: str, job: str, settings: Mapping[str, Any]) -> None:
        data = [("project", project), ("spider", spider), ("jobid", job)]
        data += [("setting", f"{name}={value}") for name, value in settings.items()]
        self.call("schedule.json", data)

    def job_states(self, project: str) -> dict[str, dict[str, Any]]:
        """Every job Scrapyd knows in ``project``: id → {"state": pending|running|finished, "items_url": …}."""
        answer = self.call("listjobs.json", project=project)
        states: dict[str, dict[str, Any]] = {}
        for state in ("pending", "running", "finished"):
            for row in answer.get(state, []):
                states[row["id"]] = {"state": state, "items_url": row.get("items_url")}
        return states

    def cancel(self, project: str, job: str) -> None:
        self.call("cancel.json", [("project", project), ("job", job)])

    def items(self, project: str, spider: str, job: str, items_url: str | None = None) -> bytes | None:
        """The job's feed as written so far; None when it wrote none (or Scrapyd keeps no items)."""
        try:
            return self._open(items_url or f"items/{project}/{spider}/{job}.jl")
        except FileNotFoundError:
            return None


# --- assignment ---------------------------------------------------------------------------------


def parse_pins(pins: Sequence[str]) -> dict[str, str]:
    """``["vlast=http://node-eu:6800", …]`` → {outlet: node URL}."""
    pinned: dict[str, str] = {}
    for pin in pins:
        outlet, sep, node = pin.partition("=")
        if not sep or not outlet.strip() or "://" not in node:
            raise UsageError(f"scrapyd_pins: {pin!r} must look like 'OUTLET=http://node:6800'")
        pinned[outlet.strip()] = node.strip().rstrip("/")
    return pinned


def assign(outlets: Sequence[str], nodes: Sequence[str], pins: Mapping[str, str] | None = None) -> dict[str, str]:
    """Each outlet's node: its pin, else the node with the highest hash of (node, outlet) — rendezvous
    hashing, so adding or removing a node moves only the outlets that node wins or held."""
    if not nodes:
        raise UsageError("no Scrapyd node: give --scrapyd URL[,URL…] or set scrapyd_nodes")
    names = [node.rstrip("/") for node in nodes]
    pins = pins or {}
    return {
        outlet: pins.get(outlet) or max(names, key=lambda node: hashlib.sha256(f"{node}|{outlet}".encode()).digest())
        for outlet in outlets
    }


# --- ingesting ------------------------------------------------------------------------------------


@dataclass
class Ingested:
    """What reading one job's feed did."""

    job: str
    outlet: str
    node: str
    state: str  # running (not read yet), done (summary read), incomplete (ended without summary), down
    lines: int = 0
    new_articles: int = 0
    candidates: int = 0
    problem: str | None = None


class Ingester:
    """Reads finished jobs' feeds into the central store. Needs the rules and reprint settings once."""

    def __init__(self, db: sqlite_utils.Database, settings: Any, project: str) -> None:
        from crawler.reprints import ReprintRules
        from crawler.rules import load_rules

        self.db = db
        self.project = project
        self.rules = load_rules(settings.get("CRAWLER_RULES_DIR"))
        self.reprints = ReprintRules(
            distance=settings.getint("CRAWLER_DUPLICATE_DISTANCE"),
            window_days=settings.getint("CRAWLER_DUPLICATE_WINDOW_DAYS"),
            containment=settings.getfloat("CRAWLER_DUPLICATE_CONTAINMENT"),
        )
        self.retry_hours = settings.getfloat("CRAWLER_FAILED_RETRY_HOURS")
        self.max_attempts = settings.getint("CRAWLER_FAILED_MAX_ATTEMPTS")

    def pending(self, run_id: int | None = None) -> list[Ingested]:
        """Read every job not wholly read yet (of one run if given), node by node."""
        done: list[Ingested] = []
        by_node: dict[str, list[dict[str, Any]]] = {}
        for job in jobs.unfinished_jobs(self.db, run_id):
            by_node.setdefault(job["node"], []).append(job)
        for node_url, node_jobs in by_node.items():
            node = Node(node_url)
            try:
                states = node.job_states(self.project)
            except NodeError as exc:
                done += [Ingested(j["job"], j["outlet"], node_url, "down", problem=str(exc)) for j in node_jobs]
                continue
            for job in node_jobs:
                try:
                    done.append(self.job(node, job, states.get(job["job"])))
                except NodeError as exc:
                    done.append(Ingested(job["job"], job["outlet"], node_url, "down", problem=str(exc)))
        return done

    def job(self, node: Node, job: dict[str, Any], known: dict[str, Any] | None) -> Ingested:
        """Read one job's feed from where the last reading stopped. A job Scrapyd still runs is left alone;
        one it no longer knows (restarted) has ended, and its feed is read as far as it got."""
        report = Ingested(job["job"], job["outlet"], job["node"], "running")
        if known and known["state"] in ("pending", "running"):
            return report
        body = node.items(self.project, job["outlet"], job["job"], known and known.get("items_url")) or b""
        complete = body[: body.rfind(b"\n") + 1]  # a killed job may leave half a line
        summarized = False
        for number, raw in enumerate(complete.splitlines()[job["lines_read"] :], start=job["lines_read"] + 1):
            new, candidate, summarized = self._line(job, raw, number)
            jobs.add_ingested(
                self.db, job["job"], lines=1, new_articles=new, candidates=candidate, summarized=summarized
            )
            report.lines += 1
            report.new_articles += new
            report.candidates += candidate
        if summarized:
            report.state = "done"
            jobs.set_state(self.db, job["job"], "finished")
            return report
        report.state = "incomplete"
        report.problem = job["problem"] or f"job {job['job']} on node {job['node']} ended without its summary"
        jobs.set_state(self.db, job["job"], "incomplete", report.problem)
        if job["state"] == "lost":  # its pass already recorded the outlet as failed: count what arrived since
            runs.add_articles(
                self.db, job["run_outlet_id"], new_articles=report.new_articles, candidates=report.candidates
            )
        else:
            fail_outlet(self.db, jobs.get_job(self.db, job["job"]) or job, report.problem)
        return report

    def _line(self, job: dict[str, Any], raw: bytes, number: int) -> tuple[int, int, bool]:
        from crawler import wire
        from crawler.pipelines import classify
        from crawler.reprints import save_linking_reprints
        from crawler.store.articles import record_failure

        try:
            line = json.loads(raw)
            kind = line["kind"]
        except (ValueError, KeyError, TypeError):
            logger.warning("job %s line %d: not a feed line; skipped", job["job"], number)
            return 0, 0, False
        if kind == "article":
            item = classify(self.rules, wire.article_from(line))
            item.run_id = job["run_id"]
            if save_linking_reprints(self.db, item, self.reprints) is None:
                return 0, 0, False
            return 1, int(bool(item.rubric)), False
        if kind == "failure":
            failure = wire.failure_from(line)
            record_failure(self.db, **asdict(failure), retry_hours=self.retry_hours, max_attempts=self.max_attempts)
            return 0, 0, False
        if kind == "summary":
            row = jobs.get_job(self.db, job["job"]) or job
            counters = {**line["counters"], "new_articles": row["new_articles"], "candidates": row["candidates"]}
            runs.finish_outlet(
                self.db,
                job["run_outlet_id"],
                counters=counters,
                ok=bool(line["ok"]),
                finish_reason=line["finish_reason"],
                strategies=line.get("strategies") or {},
                http_statuses=line.get("http_statuses") or {},
                findings=line.get("findings") or {},
            )
            return 0, 0, True
        logger.warning("job %s line %d: unknown kind %r; skipped", job["job"], number, kind)
        return 0, 0, False


def fail_outlet(db: sqlite_utils.Database, job: dict[str, Any], problem: str) -> None:
    """Record the outlet of ``job`` as failed for its pass, naming the node."""
    counters = {"new_articles": job["new_articles"], "candidates": job["candidates"]}
    runs.finish_outlet(
        db, job["run_outlet_id"], counters=counters, ok=False, finish_reason=problem, strategies={}, http_statuses={}
    )


# --- one pass ---------------------------------------------------------------------------------------


@dataclass
class NodePass:
    """Options of a pass on Scrapyd nodes."""

    nodes: Sequence[str]
    project: str = "bulletin_crawler"
    pins: Mapping[str, str] = field(default_factory=dict)
    replay: bool = False
    timeout: float = 3600.0  # seconds until unfinished jobs are cancelled
    poll: float = 1.0  # seconds between listjobs.json polls
    job_settings: Mapping[str, Any] = field(default_factory=dict)  # extra -s for every job


def run_on_nodes(db_path: str, options: NodePass, *, outlets: Sequence[str] | None = None, stop: Any = None) -> Any:
    """One crawl pass as Scrapyd jobs; returns a ``crawler.run.RunResult`` like ``crawler run``'s."""
    from crawler.config import db_options, scrapy_settings
    from crawler.outlets import select_outlets
    from crawler.run import COUNTERS, RunResult, run_lock
    from crawler.store import open_db

    stop = stop or threading.Event()
    selected = select_outlets(outlets)
    plan = assign(selected, options.nodes, options.pins)
    settings = scrapy_settings()
    with run_lock(db_path):
        db = open_db(db_path, **db_options(settings))
        ingester = Ingester(db, settings, options.project)
        ingester.pending()  # what an earlier pass left on the nodes comes first (and is known next)
        run_id = runs.start_run(db, replay=options.replay)
        for outlet in selected:
            _dispatch(db, run_id, outlet, Node(plan[outlet]), options)
        _wait(db, run_id, ingester, options, stop)
        for job in jobs.run_jobs(db, run_id):
            if job["state"] == "lost":
                fail_outlet(db, job, job["problem"] or f"node {job['node']} stopped answering")
        rows = {row["outlet"]: row for row in runs.outlet_results(db, run_id)}
        result = RunResult(run_id=run_id)
        for outlet in selected:
            result.outlets[outlet] = rows.get(outlet) or {
                **dict.fromkeys(COUNTERS, 0),
                "ok": False,
                "finish_reason": "did not start",
                "strategies": {},
            }
        runs.finish_run(db, run_id, ok=result.ok)
        return result


def _dispatch(db: sqlite_utils.Database, run_id: int, outlet: str, node: Node, options: NodePass) -> None:
    job = f"r{run_id}-{outlet}-{uuid.uuid4().hex[:8]}"
    row_id = runs.start_outlet(db, run_id, outlet)
    settings = {"CRAWLER_NODE": str(node), "CRAWLER_RUN_ID": run_id, **options.job_settings}
    if options.replay:
        settings["CRAWLER_REPLAY"] = 1
    try:
        node.schedule(options.project, outlet, job, settings)
    except NodeError as exc:
        logger.error("outlet=%s not scheduled: %s", outlet, exc)
        jobs.add_job(
            db,
            job=job,
            run_id=run_id,
            run_outlet_id=row_id,
            outlet=outlet,
            node=str(node),
            state="failed",
            problem=str(exc),
        )
        fail_outlet(db, jobs.get_job(db, job) or {}, str(exc))
        return
    jobs.add_job(db, job=job, run_id=run_id, run_outlet_id=row_id, outlet=outlet, node=str(node))
    logger.info("outlet=%s scheduled on %s as job %s", outlet, node, job)


def _wait(db: sqlite_utils.Database, run_id: int, ingester: Ingester, options: NodePass, stop: Any) -> None:
    """Poll the nodes until every job of the run has ended (and is read), a node stops answering (its
    jobs are lost), the timeout passes (what still runs is cancelled) or ``stop`` is set."""
    deadline = time.monotonic() + options.timeout
    misses: dict[str, int] = {}
    unknown: dict[str, int] = {}  # a job the node does not list twice in a row has ended (node restarted)
    while True:
        open_jobs = [job for job in jobs.run_jobs(db, run_id) if job["state"] == "scheduled"]
        if not open_jobs:
            return
        if stop.is_set():
            logger.warning("stopped while %d job(s) still run; `crawler ingest` reads them later", len(open_jobs))
            return
        if time.monotonic() > deadline:
            for job in open_jobs:
                problem = f"job {job['job']} on node {job['node']} timed out after {options.timeout / 60:.0f} min"
                with contextlib.suppress(NodeError):  # a node that does not answer cannot cancel either
                    Node(job["node"]).cancel(options.project, job["job"])
                jobs.set_state(db, job["job"], "lost", problem)
            return
        for node_url in sorted({job["node"] for job in open_jobs}):
            node = Node(node_url, timeout=min(HTTP_TIMEOUT, max(options.poll * 2, 2.0)))
            try:
                states = node.job_states(options.project)
            except NodeError as exc:
                misses[node_url] = misses.get(node_url, 0) + 1
                if misses[node_url] >= DOWN_AFTER:
                    logger.error("%s: its outlets fail for this pass", exc)
                    for job in open_jobs:
                        if job["node"] == node_url:
                            jobs.set_state(db, job["job"], "lost", f"node {node_url} stopped answering ({exc})")
                continue
            misses[node_url] = 0
            for job in open_jobs:
                if job["node"] != node_url:
                    continue
                known = states.get(job["job"])
                if known is None:
                    unknown[job["job"]] = unknown.get(job["job"], 0) + 1
                if (known is None and unknown[job["job"]] >= 2) or (known and known["state"] == "finished"):
                    ingester.job(node, job, known)
        stop.wait(options.poll)
