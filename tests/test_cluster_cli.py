"""The Scrapyd commands without Scrapyd: assignment, bad input, a node that is not there."""

from __future__ import annotations

import json
import socket
from pathlib import Path

import sqlite_utils

from crawler.cluster import assign
from tests.conftest import run_crawler

OUTLETS = ["azattyq", "bureau", "orda", "ulysmedia", "vlast"]


def closed_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])  # nobody listens once it is closed


def test_rendezvous_assignment_is_stable_and_moves_little() -> None:
    two = assign(OUTLETS, ["http://a:6800", "http://b:6800"])
    assert two == assign(list(reversed(OUTLETS)), ["http://b:6800/", "http://a:6800"])  # order and slash
    three = assign(OUTLETS, ["http://a:6800", "http://b:6800", "http://c:6800"])
    assert all(three[o] in (two[o], "http://c:6800") for o in OUTLETS)  # only what the new node wins moves
    pinned = assign(OUTLETS, ["http://a:6800", "http://b:6800"], {"vlast": "http://c:6800"})
    assert pinned["vlast"] == "http://c:6800"


def test_a_node_that_does_not_answer_fails_its_outlets_and_status_names_it(db_path: Path) -> None:
    node = f"http://127.0.0.1:{closed_port()}"
    result = run_crawler(db_path, "schedule", "--passes", "1", "--replay", "--scrapyd", node, "--outlet", "vlast")
    assert result.returncode == 0, result.stderr  # the loop goes on; the pass is recorded as failed
    assert f"node {node} unreachable" in result.stderr
    status = run_crawler(db_path, "status", "--json")
    job = json.loads(status.stdout)["scrapyd"]["vlast"]
    assert (job["node"], job["state"]) == (node, "failed")
    text = run_crawler(db_path, "status").stdout
    assert f"vlast      node {node}  job r1-vlast-" in text and "unreachable" in text


def test_ingest_with_no_job_says_so(db: sqlite_utils.Database, db_path: Path) -> None:
    result = run_crawler(db_path, "ingest")
    assert (result.returncode, result.stdout.strip()) == (0, "nothing to ingest")


def test_ingest_without_a_database_is_one_line(tmp_path: Path) -> None:
    result = run_crawler(tmp_path / "nowhere.db", "ingest")
    assert result.returncode == 2
    assert "no database at" in result.stderr and "Traceback" not in result.stderr
    assert not (tmp_path / "nowhere.db").exists()


def test_bad_scrapyd_input_is_one_line(db_path: Path) -> None:
    cases = [
        (("schedule", "--scrapyd", "node1:6800"), "--scrapyd: 'node1:6800' is not an http(s) URL"),
        (("schedule", "--scrapyd", ","), "--scrapyd needs at least one URL"),
        (("schedule", "--scrapyd", "http://a:6800", "--job-setting", "DELAY"), "must look like NAME=VALUE"),
        (("schedule", "--job-setting", "A=1"), "--job-setting is for Scrapyd jobs"),
    ]
    for args, message in cases:
        result = run_crawler(db_path, *args)
        assert result.returncode == 2, args
        assert message in result.stderr and "Traceback" not in result.stderr, result.stderr
    pins = run_crawler(db_path, "status", CRAWLER_SCRAPYD_PINS="vlast")
    assert pins.returncode == 2
    assert "scrapyd_pins 'vlast' must look like 'OUTLET=http://node:6800'" in pins.stderr
    nodes = run_crawler(db_path, "status", CRAWLER_SCRAPYD_NODES="node1")
    assert nodes.returncode == 2 and "not a URL: 'node1'" in nodes.stderr
