"""Two real Scrapyd processes on 127.0.0.1 standing for two crawl machines, one central SQLite.

One scenario, built once (module fixture), asserted piece by piece:
deploy the egg with scrapyd-deploy → pass 1 on both nodes (jobs slowed down) with node B killed as soon
as its first item is in a feed → B restarted, ``crawler ingest`` → pass 2 → ingest again. Beside it, the
same snapshot crawled by ``crawler run --replay`` on one machine is the reference.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any
from urllib.request import urlopen

import pytest
import yaml

from tests.conftest import LEAKY_ENV, ROOT, run_crawler
from tests.scrapyd_nodes import ScrapydNode, build_egg, dependencies_only_python, deploy

pytestmark = pytest.mark.slow

OUTLETS = ["azattyq", "bureau", "orda", "ulysmedia", "vlast"]
ON_A = ("orda",)  # pinned to node A
ON_B = ("ulysmedia", "vlast")  # pinned to node B, which is stopped mid-pass; the others are hashed over A and B
EXPECTED = yaml.safe_load((ROOT / "crawler/snapshot/expected.yml").read_text(encoding="utf-8"))
FIELDS = "key, url, outlet, title, author, published, published_raw, lang, skip_reason, text, rubric, score, status"
WAIT = 120.0  # seconds: the bound on every wait below


@dataclass
class Scenario:
    nodes: list[ScrapydNode]
    deploy_output: str
    central: Path
    single: Path
    single_stats: dict[str, Any]
    killed_feed_keys: set[str]
    remembered_keys: set[str]
    status_after_kill: dict[str, Any]
    status_text_after_kill: str
    ingest_after_restart: list[dict[str, Any]]
    dump_after_pass2: dict[str, list[tuple[Any, ...]]]
    ingest_again: str
    dump_after_second_ingest: dict[str, list[tuple[Any, ...]]]
    reread_articles: list[tuple[Any, ...]]
    status_text_final: str


def rows(db: Path, sql: str, params: tuple[Any, ...] = ()) -> list[tuple[Any, ...]]:
    conn = sqlite3.connect(db)
    try:
        return conn.execute(sql, params).fetchall()
    finally:
        conn.close()


def dump(db: Path) -> dict[str, list[tuple[Any, ...]]]:
    tables = ("articles", "url_keys", "pages", "failures", "runs", "run_outlets", "scrapyd_jobs")
    return {table: rows(db, f"SELECT * FROM {table} ORDER BY 1") for table in tables}


def feed_lines(node: ScrapydNode) -> list[dict[str, Any]]:
    lines = []
    for feed in sorted((node.folder / "items").rglob("*.jl")):
        for raw in feed.read_bytes().splitlines(keepends=True):
            if raw.endswith(b"\n"):
                lines.append({**json.loads(raw), "job": feed.stem})
    return lines


def crawler_env(nodes: list[ScrapydNode]) -> dict[str, str]:
    pins = [f"{outlet}={nodes[0].url}" for outlet in ON_A] + [f"{outlet}={nodes[1].url}" for outlet in ON_B]
    return {"CRAWLER_SCRAPYD_PINS": ",".join(pins), "CRAWLER_LOG_LEVEL": "INFO"}


@pytest.fixture(scope="module")
def scenario(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Scenario]:
    base = tmp_path_factory.mktemp("cluster")
    single_db = base / "single.db"
    environ = {key: value for key, value in os.environ.items() if key not in LEAKY_ENV}
    single = subprocess.Popen(  # the reference: the same snapshot crawled on one machine, meanwhile
        [sys.executable, "-m", "crawler", "--db", str(single_db), "run", "--replay", "--json"],
        cwd=ROOT,
        env={**environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
    )
    python = dependencies_only_python(base / "node-python")
    nodes = [ScrapydNode(python, base / "node-a"), ScrapydNode(python, base / "node-b")]
    try:
        egg = build_egg(base / "bulletin_crawler.egg")
        for node in nodes:
            node.launch()
        for node in nodes:
            node.wait_ready()
        deploy_output = deploy(egg, nodes, base / "deploy")
        central = base / "central.db"
        urls = ",".join(node.url for node in nodes)
        env = crawler_env(nodes)

        # pass 1, politeness back on so that it lasts; node B goes down once a feed of its has two articles
        # (the first one's key is then surely in B's database: a key is remembered right after its line)
        first = subprocess.Popen(
            [
                *(sys.executable, "-m", "crawler", "--db", str(central), "schedule", "--passes", "1", "--replay"),
                *("--scrapyd", urls, "--job-setting", "DOWNLOAD_DELAY=0.3", "--job-setting", "CONCURRENT_REQUESTS=1"),
            ],
            cwd=ROOT,
            env={**environ, "PYTHONPATH": str(ROOT), **env},
            stdout=subprocess.DEVNULL,
            stderr=subprocess.PIPE,
            text=True,
        )
        deadline = time.monotonic() + WAIT
        while (
            max(Counter(line["job"] for line in feed_lines(nodes[1]) if line["kind"] == "article").values(), default=0)
            < 2
        ):
            assert first.poll() is None and time.monotonic() < deadline, "node B exported nothing"
            time.sleep(0.05)
        nodes[1].stop()
        killed_feed_keys = {line["key"] for line in feed_lines(nodes[1]) if line["kind"] == "article"}
        remembered = {key for (key,) in rows(nodes[1].db, "SELECT key FROM url_keys")}
        first.communicate(timeout=WAIT)
        status = run_crawler(central, "status", "--json", **env)
        status_text = run_crawler(central, "status", **env).stdout

        nodes[1].start()  # back, same port and folder: its feeds are still there
        ingested = run_crawler(central, "ingest", "--json", **env)
        assert ingested.returncode == 0, ingested.stderr

        # pass 2: the outlets that were on B, and one that completed on A (fewer jobs: a shorter test)
        was_on_b = {o for (o,) in rows(central, "SELECT outlet FROM scrapyd_jobs WHERE node = ?", (nodes[1].url,))}
        again = sorted(was_on_b) + sorted(set(OUTLETS) - was_on_b)[:1]
        outlet_args = [arg for outlet in again for arg in ("--outlet", outlet)]
        second = run_crawler(
            central, "schedule", "--passes", "1", "--replay", "--scrapyd", urls, *outlet_args, timeout=WAIT, **env
        )
        assert second.returncode == 0, second.stderr[-3000:]
        dump_after_pass2 = dump(central)
        again = run_crawler(central, "ingest", **env)
        assert again.returncode == 0, again.stderr
        dump_again = dump(central)

        # a job's feed read from its first line again (as if its progress had not been recorded)
        reread = base / "reread.db"
        shutil.copy(central, reread)
        conn = sqlite3.connect(reread)
        with conn:
            conn.execute("UPDATE scrapyd_jobs SET lines_read = 0, summarized = 0, state = 'lost'")
        conn.close()
        forced = run_crawler(reread, "ingest", **env)
        assert forced.returncode == 0, forced.stderr
        final_status = run_crawler(central, "status", **env).stdout

        single_out, _ = single.communicate(timeout=WAIT)
        assert single.returncode == 0
        yield Scenario(
            nodes=nodes,
            deploy_output=deploy_output,
            central=central,
            single=single_db,
            single_stats=json.loads(single_out),
            killed_feed_keys=killed_feed_keys,
            remembered_keys=remembered,
            status_after_kill=json.loads(status.stdout),
            status_text_after_kill=status_text,
            ingest_after_restart=[json.loads(line) for line in ingested.stdout.splitlines()],
            dump_after_pass2=dump_after_pass2,
            ingest_again=again.stdout,
            dump_after_second_ingest=dump_again,
            reread_articles=rows(reread, f"SELECT {FIELDS} FROM articles ORDER BY key"),
            status_text_final=final_status,
        )
    finally:
        for node in nodes:
            node.stop()
        if single.poll() is None:
            single.kill()
            single.wait()


def run_rows(db: Path, run_id: int) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        found = conn.execute("SELECT * FROM run_outlets WHERE run_id = ?", [run_id]).fetchall()
        return {row["outlet"]: dict(row) for row in found}
    finally:
        conn.close()


def jobs_of(db: Path, run_id: int) -> dict[str, tuple[str, str]]:
    return {
        outlet: (node, state)
        for outlet, node, state in rows(db, "SELECT outlet, node, state FROM scrapyd_jobs WHERE run_id = ?", (run_id,))
    }


# --- deploy ---------------------------------------------------------------------------------------------


def test_scrapyd_deploy_puts_the_egg_with_every_outlet_on_both_nodes(scenario: Scenario) -> None:
    assert scenario.deploy_output.count('"spiders": 5') == 2
    for node in scenario.nodes:
        with urlopen(f"{node.url}/listspiders.json?project=bulletin_crawler", timeout=10) as answer:
            assert json.loads(answer.read())["spiders"] == OUTLETS


# --- a node stopped mid-pass ------------------------------------------------------------------------------


def test_a_stopped_node_fails_its_outlets_alone_and_status_names_it(scenario: Scenario) -> None:
    a, b = (node.url for node in scenario.nodes)
    first = run_rows(scenario.central, 1)
    placed = jobs_of(scenario.central, 1)
    on_b = {outlet for outlet, (node, _) in placed.items() if node == b}
    assert on_b >= set(ON_B) and on_b != set(OUTLETS)
    for outlet in OUTLETS:
        if outlet in on_b:
            assert not first[outlet]["ok"]
            assert f"node {b} stopped answering" in first[outlet]["finish_reason"]
        else:
            assert first[outlet]["ok"], first[outlet]["finish_reason"]
            assert placed[outlet] == (a, "finished")
    assert rows(scenario.central, "SELECT status FROM runs WHERE id = 1") == [("failed",)]
    report = scenario.status_after_kill["scrapyd"]
    assert {outlet for outlet, job in report.items() if job["node"] == b and job["state"] == "lost"} == on_b
    for outlet in on_b:
        assert f"{outlet:<10} node {b}  job r1-{outlet}-" in scenario.status_text_after_kill
        assert "lost" in scenario.status_text_after_kill


def test_what_the_stopped_node_had_exported_is_ingested_when_it_is_back(scenario: Scenario) -> None:
    b = scenario.nodes[1].url
    read = [job for job in scenario.ingest_after_restart if job["node"] == b]
    assert read and all(job["state"] == "incomplete" for job in read)
    assert sum(job["new_articles"] for job in read) >= 1
    stored = {key for (key,) in rows(scenario.central, "SELECT key FROM url_keys")}
    assert scenario.killed_feed_keys and scenario.killed_feed_keys <= stored


def test_the_next_pass_requests_no_article_a_node_already_exported(scenario: Scenario) -> None:
    b = scenario.nodes[1]
    second = run_rows(scenario.central, 2)
    assert all(row["ok"] for row in second.values()), {o: r["finish_reason"] for o, r in second.items()}
    first = jobs_of(scenario.central, 1)
    done_on_a = [outlet for outlet in second if first[outlet] == (scenario.nodes[0].url, "finished")]
    assert done_on_a
    for outlet in done_on_a:
        assert second[outlet]["article_requests"] == 0, outlet  # crawled wholly in pass 1: now it requests none
    again = {line["key"] for line in feed_lines(b) if line["kind"] == "article" and line["job"].startswith("r2-")}
    assert again and scenario.remembered_keys  # B's outlets had articles left, and B had remembered some
    assert not again & scenario.remembered_keys  # B's own fetch state survived its stop


# --- one store, exactly once --------------------------------------------------------------------------


def test_every_article_is_stored_once_as_on_one_machine(scenario: Scenario) -> None:
    assert rows(scenario.central, "SELECT key FROM articles GROUP BY key HAVING count(*) > 1") == []
    assert rows(scenario.central, "SELECT url FROM articles GROUP BY url HAVING count(*) > 1") == []
    sql = f"SELECT {FIELDS} FROM articles ORDER BY key"
    assert rows(scenario.central, sql) == rows(scenario.single, sql)
    keys = "SELECT key, (SELECT key FROM articles o WHERE o.id = a.article_id) FROM url_keys a ORDER BY 1"
    assert rows(scenario.central, keys) == rows(scenario.single, keys)
    pairs = "SELECT a.outlet, o.outlet FROM articles a JOIN articles o ON a.duplicate_of = o.id ORDER BY 1"
    assert rows(scenario.central, pairs) == rows(scenario.single, pairs) == [("bureau", "azattyq")]
    assert rows(scenario.central, "SELECT count(*) FROM pages") == rows(
        scenario.central, "SELECT count(*) FROM articles"
    )


@pytest.mark.parametrize("outlet", OUTLETS)
def test_the_articles_the_snapshot_holds_arrive_with_their_fields(scenario: Scenario, outlet: str) -> None:
    expected = EXPECTED[outlet]["articles"]
    assert expected
    for item in expected:
        sql = "SELECT title, author, published, lang, outlet FROM articles WHERE url = ?"
        found = rows(scenario.central, sql, (item["url"],))
        assert len(found) == 1, item["url"]
        title, author, published, lang, stored_outlet = found[0]
        assert (title, author, lang, stored_outlet) == (item["title"], item["author"], item["lang"], outlet)
        assert (published or "")[:16] == (item["published"] or "")[:16], item["url"]


def test_run_records_carry_what_the_jobs_found(scenario: Scenario) -> None:
    second = run_rows(scenario.central, 2)
    for outlet, row in second.items():
        assert json.loads(row["strategies"]), outlet
        assert json.loads(row["findings"] or "{}").get("article_links"), outlet  # as `crawler run` records them


def test_run_records_count_what_the_central_store_got(scenario: Scenario) -> None:
    total = rows(scenario.central, "SELECT count(*) FROM articles")[0][0]
    counted = rows(scenario.central, "SELECT sum(new_articles) FROM run_outlets")[0][0]
    assert counted == total == sum(stats["new_articles"] for stats in scenario.single_stats.values())


def test_ingesting_again_changes_nothing(scenario: Scenario) -> None:
    assert scenario.ingest_again.strip() == "nothing to ingest"
    assert scenario.dump_after_second_ingest == scenario.dump_after_pass2
    # even read from the first line again, a feed adds no article and changes none
    assert scenario.reread_articles == rows(scenario.central, f"SELECT {FIELDS} FROM articles ORDER BY key")


def test_status_names_the_node_and_job_of_each_outlets_last_pass(scenario: Scenario) -> None:
    latest = {**{o: (1, *job) for o, job in jobs_of(scenario.central, 1).items()}}
    latest.update({o: (2, *job) for o, job in jobs_of(scenario.central, 2).items()})
    assert sorted(latest) == OUTLETS
    for outlet, (run, node, state) in latest.items():
        assert state == "finished"
        assert f"{outlet:<10} node {node}  job r{run}-{outlet}-" in scenario.status_text_final
