"""Shared fixtures: a fresh database file per test, the review app logged in, and the ``crawler``
command as a child process (one crawl per process, as in production)."""

from __future__ import annotations

import os
import subprocess
import sys
from datetime import timedelta
from pathlib import Path

import pytest
import sqlite_utils
from flask import Flask
from flask.testing import FlaskClient
from hypothesis import settings

from crawler.store import open_db
from tests.test_web_support import login, make_app

ROOT = Path(__file__).resolve().parent.parent

# Property tests (tests/test_properties.py): the same examples on every run and machine (derandomize),
# few of them, no example database written to disk, and a generous per-example deadline — CI's 2 shared
# cores are slow, the budget is kept by max_examples. HYPOTHESIS_PROFILE=deep explores more, locally.
settings.register_profile(
    "ci", derandomize=True, max_examples=40, deadline=timedelta(seconds=5), database=None, print_blob=True
)
settings.register_profile("deep", max_examples=2000, deadline=None, database=None)
settings.load_profile(os.environ.get("HYPOTHESIS_PROFILE", "ci"))
# settings a developer's shell may carry that would point a test at the wrong database or snapshot
LEAKY_ENV = (
    "CRAWLER_DB",
    "CRAWLER_CONFIG",
    "CRAWLER_SNAPSHOT",
    "CRAWLER_SNAPSHOT_DIR",
    "CRAWLER_MAX_PAGE_COUNT",
    "CRAWLER_RECORDED_SNAPSHOTS",
)


def run_crawler(db: Path | str, *args: str, timeout: float = 180, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m crawler --db DB ARGS...`` from the checkout, with ``env`` added to a clean environment."""
    environ = {key: value for key, value in os.environ.items() if key not in LEAKY_ENV}
    environ.update(PYTHONPATH=str(ROOT), **env)
    return subprocess.run(
        [sys.executable, "-m", "crawler", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=ROOT,
        env=environ,
        check=False,
    )


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "crawler.db"


@pytest.fixture
def db(db_path: Path) -> sqlite_utils.Database:
    return open_db(db_path)


@pytest.fixture
def app_ids(tmp_path: Path) -> tuple[Flask, dict[str, int]]:
    return make_app(tmp_path)


@pytest.fixture
def client(app_ids: tuple[Flask, dict[str, int]]) -> FlaskClient:
    return app_ids[0].test_client()


@pytest.fixture
def ids(app_ids: tuple[Flask, dict[str, int]]) -> dict[str, int]:
    return app_ids[1]


@pytest.fixture
def token(client: FlaskClient) -> str:
    return login(client)
