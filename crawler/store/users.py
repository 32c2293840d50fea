"""Monitor accounts: names and password hashes (scrypt, through werkzeug's standard helpers)."""

from __future__ import annotations

import json
import re
import secrets
import sqlite3
from functools import cache

import sqlite_utils
from werkzeug.security import check_password_hash, generate_password_hash

from crawler.errors import NotFound, UsageError
from crawler.store.db import translate_errors, utcnow

NAME_PATTERN = re.compile(r"^[\w.-]{1,64}$")
MIN_PASSWORD = 8


@cache
def _dummy_hash() -> str:
    # Compared against when the name is unknown, so that a wrong name costs as long as a wrong
    # password and login timing does not tell which names exist.
    return generate_password_hash("not a password", method="scrypt")


def add_user(db: sqlite_utils.Database, name: str, password: str) -> None:
    """Create the account ``name``; the password is stored only as a salted scrypt hash."""
    if not NAME_PATTERN.match(name):
        raise UsageError(f"invalid user name {name!r}: use 1-64 letters, digits, '.', '_' or '-'")
    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password must have at least {MIN_PASSWORD} characters")
    try:
        with db.conn:
            if db.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone():
                raise UsageError(f"user {name!r} already exists")
            db.conn.execute(
                "INSERT INTO users (name, password_hash, created_at) VALUES (?, ?, ?)",
                [name, generate_password_hash(password, method="scrypt"), utcnow()],
            )
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc


def check_user(db: sqlite_utils.Database, name: str, password: str) -> bool:
    """True when ``name`` exists and ``password`` is its password."""
    row = db.execute("SELECT password_hash FROM users WHERE name = ?", [name]).fetchone()
    if row is None:
        check_password_hash(_dummy_hash(), password)
        return False
    return check_password_hash(row[0], password)


def user_exists(db: sqlite_utils.Database, name: str) -> bool:
    """True when the account ``name`` exists."""
    return db.execute("SELECT 1 FROM users WHERE name = ?", [name]).fetchone() is not None


def count_users(db: sqlite_utils.Database) -> int:
    """How many accounts exist (the server refuses to be exposed while there are none)."""
    return int(db.execute("SELECT count(*) FROM users").fetchone()[0])


def session_secret(db: sqlite_utils.Database) -> str:
    """The key that signs the review page's session cookies: made once, kept in the database, so a
    restart of the page does not log the monitors out (whoever can read the database reads more)."""
    with db.conn:  # one transaction: two pages starting at once agree on one key
        db.conn.execute(
            "INSERT OR IGNORE INTO ops_state (key, value, updated_at) VALUES ('session_secret', ?, ?)",
            [json.dumps(secrets.token_hex(32)), utcnow()],
        )
    return str(json.loads(db.execute("SELECT value FROM ops_state WHERE key = 'session_secret'").fetchone()[0]))


def change_password(db: sqlite_utils.Database, name: str, password: str) -> int:
    """Give ``name`` a new password; every session opened with the old one ends. Returns how many ended."""
    from crawler.store.sessions import end_sessions

    if len(password) < MIN_PASSWORD:
        raise UsageError(f"the password must have at least {MIN_PASSWORD} characters")
    try:
        with db.conn:
            cursor = db.conn.execute(
                "UPDATE users SET password_hash = ? WHERE name = ?",
                [generate_password_hash(password, method="scrypt"), name],
            )
            if not cursor.rowcount:
                raise NotFound(f"no user {name!r}")
            return end_sessions(db, name)
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc


def remove_user(db: sqlite_utils.Database, name: str) -> int:
    """Remove the account ``name`` and end its sessions (its decisions stay in the history). Returns
    how many sessions ended."""
    from crawler.store.sessions import end_sessions

    try:
        with db.conn:
            cursor = db.conn.execute("DELETE FROM users WHERE name = ?", [name])
            if not cursor.rowcount:
                raise NotFound(f"no user {name!r}")
            return end_sessions(db, name)
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc
