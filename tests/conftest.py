"""Shared fixtures: a fresh database file per test."""

from __future__ import annotations

from pathlib import Path

import pytest
import sqlite_utils

from crawler.store import open_db


@pytest.fixture
def db_path(tmp_path: Path) -> Path:
    return tmp_path / "crawler.db"


@pytest.fixture
def db(db_path: Path) -> sqlite_utils.Database:
    return open_db(db_path)
