"""Review-page sessions, kept in the database: the cookie carries only a random token.

A session ends at logout (its row is deleted, so the same cookie replayed later finds nothing), when
the account's password changes (each session is tied to the password hash it was opened under) and
when the account is removed (no user row, no session). Rows store the token's SHA-256, never the
token itself. A session also ends by itself after ``MAX_AGE``.
"""

from __future__ import annotations

import hashlib
import hmac
import secrets
import sqlite3
from datetime import UTC, datetime, timedelta

import sqlite_utils

from crawler.errors import NotFound
from crawler.store.db import translate_errors

MAX_AGE = timedelta(days=30)  # a monitor logs in again at least monthly


def open_session(
    db: sqlite_utils.Database, user: str, *, address: str | None = None, now: datetime | None = None
) -> str:
    """A new session for ``user`` (who must exist); returns the token for the cookie."""
    token = secrets.token_urlsafe(32)
    now = now or datetime.now(UTC)
    try:
        with db.conn:
            row = db.execute("SELECT password_hash FROM users WHERE name = ?", [user]).fetchone()
            if row is None:  # removed between the password check and now
                raise NotFound(f"no user {user!r}")
            db.conn.execute(
                "INSERT INTO sessions (id, user, password_tag, created_at, address) VALUES (?, ?, ?, ?, ?)",
                [_digest(token), user, password_tag(row[0]), _iso(now), address],
            )
            # expired rows go as new ones come: the table stays as small as the monitors are few
            db.conn.execute("DELETE FROM sessions WHERE created_at < ?", [_iso(now - MAX_AGE)])
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc
    return token


def session_user(db: sqlite_utils.Database, token: str | None, *, now: datetime | None = None) -> str | None:
    """The account a cookie's token logs in, or None (no such session, ended, expired, password changed,
    account gone)."""
    if not token or not isinstance(token, str):
        return None
    row = db.execute(
        "SELECT s.user, s.password_tag, s.created_at, u.password_hash FROM sessions s"
        " JOIN users u ON u.name = s.user WHERE s.id = ?",
        [_digest(token)],
    ).fetchone()
    if row is None:
        return None
    user, tag, created_at, password_hash = row
    if not hmac.compare_digest(tag, password_tag(password_hash)):
        return None
    if datetime.fromisoformat(created_at) < (now or datetime.now(UTC)) - MAX_AGE:
        return None
    return str(user)


def end_session(db: sqlite_utils.Database, token: str | None) -> None:
    """End the session of this token (logout); an unknown token is already ended."""
    if not token or not isinstance(token, str):
        return
    try:
        with db.conn:
            db.conn.execute("DELETE FROM sessions WHERE id = ?", [_digest(token)])
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc


def end_sessions(db: sqlite_utils.Database, user: str) -> int:
    """End every session of ``user`` (password changed, account removed, "log out everywhere");
    returns how many were open. Call it inside the caller's transaction or on its own."""
    inside = db.conn.in_transaction
    try:
        cursor = db.conn.execute("DELETE FROM sessions WHERE user = ?", [user])
        if not inside:
            db.conn.commit()
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc
    return int(cursor.rowcount or 0)


def count_sessions(db: sqlite_utils.Database, user: str) -> int:
    """How many sessions ``user`` has open."""
    return int(db.execute("SELECT count(*) FROM sessions WHERE user = ?", [user]).fetchone()[0])


def password_tag(password_hash: str) -> str:
    """A short fingerprint of a password hash: a session stays valid only while it matches."""
    return hashlib.sha256(password_hash.encode("utf-8")).hexdigest()[:32]


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8", "surrogatepass")).hexdigest()


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="seconds")
