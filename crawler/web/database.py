"""The request's database connection: opened on first use, closed when the request ends."""

from __future__ import annotations

import sqlite_utils
from flask import current_app, g

from crawler.store import open_db


def get_db() -> sqlite_utils.Database:
    """This request's connection. WAL mode: reads never wait for a crawl that is writing."""
    if "db" not in g:
        g.db = open_db(current_app.config["DB_PATH"], migrate=False)
    return g.db


def close_db(_exc: BaseException | None = None) -> None:
    """Close the request's connection, if one was opened."""
    db = g.pop("db", None)
    if db is not None:
        db.close()
