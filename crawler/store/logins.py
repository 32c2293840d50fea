"""Login throttling: wrong passwords in a row, counted per account and per address.

The first few failures cost nothing; each further one makes the next attempt wait twice as long
(1 s, 2 s, 4 s, ... up to a minute), and after ``lock_after`` failures in a row the account (or
address) is locked for ``lock_minutes``. While blocked, an attempt is refused before its password is
even checked — guessing in parallel gains nothing. A success clears the account's and the address's
count; a quiet day clears it too. The address gets a more generous allowance than the account,
since one office can sit behind one address.
"""

from __future__ import annotations

import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import sqlite_utils

from crawler import settings
from crawler.store.db import translate_errors

FORGET_AFTER = timedelta(hours=24)  # failures older than this no longer count
ADDRESS_FACTOR = 3  # an address may fail this many times as often as one account


@dataclass(frozen=True)
class Throttle:
    free_attempts: int = settings.CRAWLER_LOGIN_FREE_ATTEMPTS
    delay_seconds: float = settings.CRAWLER_LOGIN_DELAY_SECONDS
    max_delay_seconds: float = settings.CRAWLER_LOGIN_MAX_DELAY_SECONDS
    lock_after: int = settings.CRAWLER_LOGIN_LOCK_AFTER
    lock_minutes: float = settings.CRAWLER_LOGIN_LOCK_MINUTES

    def wait_after(self, failures: int, *, factor: int = 1) -> tuple[timedelta, bool]:
        """How long the next attempt must wait after ``failures`` in a row, and whether that is a lock."""
        if failures >= self.lock_after * factor:
            return timedelta(minutes=self.lock_minutes), True
        extra = failures - self.free_attempts * factor
        if extra <= 0:
            return timedelta(0), False
        return timedelta(seconds=min(self.delay_seconds * 2 ** min(extra - 1, 30), self.max_delay_seconds)), False


@dataclass(frozen=True)
class Block:
    """Why an attempt is refused: the account's or the address's block, and until when."""

    kind: str  # 'user' or 'address'
    until: datetime
    locked: bool  # a lock (many failures), not just the growing delay

    def seconds_left(self, now: datetime) -> int:
        return max(1, int((self.until - now).total_seconds() + 0.999))


def blocked(
    db: sqlite_utils.Database, user: str, address: str, *, now: datetime, throttle: Throttle | None = None
) -> Block | None:
    """The block (the later one, account or address) that stops an attempt now, or None."""
    throttle = throttle or Throttle()
    found = None
    for kind, subject in (("user", user), ("address", address)):
        row = db.execute(
            "SELECT blocked_until, failures FROM login_failures WHERE kind = ? AND subject = ?", [kind, subject]
        ).fetchone()
        if row and row[0]:
            until = datetime.fromisoformat(row[0])
            if until > now and (found is None or until > found.until):
                found = Block(kind, until, locked=_is_lock(row[1], kind, throttle))
    return found


def record_failure(
    db: sqlite_utils.Database, user: str, address: str, *, now: datetime, throttle: Throttle | None = None
) -> Block | None:
    """Count a wrong password for ``user`` from ``address``; returns the block it starts, if any."""
    throttle = throttle or Throttle()
    stamp, forget = _iso(now), _iso(now - FORGET_AFTER)
    found = None
    try:
        with db.conn:
            # counts nobody added to for a day are gone: guessing random names cannot grow the table for good
            db.conn.execute("DELETE FROM login_failures WHERE last_at < ?", [forget])
            for kind, subject, factor in (("user", user, 1), ("address", address, ADDRESS_FACTOR)):
                db.conn.execute(
                    "INSERT INTO login_failures (kind, subject, failures, first_at, last_at) VALUES (?, ?, 1, ?, ?)"
                    " ON CONFLICT (kind, subject) DO UPDATE SET"
                    " failures = CASE WHEN last_at < ? THEN 1 ELSE failures + 1 END,"
                    " first_at = CASE WHEN last_at < ? THEN excluded.first_at ELSE first_at END,"
                    " last_at = excluded.last_at",
                    [kind, subject, stamp, stamp, forget, forget],
                )
                failures = db.execute(
                    "SELECT failures FROM login_failures WHERE kind = ? AND subject = ?", [kind, subject]
                ).fetchone()[0]
                wait, locked = throttle.wait_after(failures, factor=factor)
                until = now + wait if wait else None
                db.conn.execute(
                    "UPDATE login_failures SET blocked_until = ? WHERE kind = ? AND subject = ?",
                    [_iso(until) if until else None, kind, subject],
                )
                if until and (found is None or until > found.until):
                    found = Block(kind, until, locked)
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc
    return found


def record_success(db: sqlite_utils.Database, user: str, address: str) -> tuple[int, str | None]:
    """Clear the counts after a right password; returns the account's failures in a row before it
    (and when the last one was), for telling the monitor."""
    row = db.execute(
        "SELECT failures, last_at FROM login_failures WHERE kind = 'user' AND subject = ?", [user]
    ).fetchone()
    try:
        with db.conn:
            db.conn.execute(
                "DELETE FROM login_failures"
                " WHERE (kind = 'user' AND subject = ?) OR (kind = 'address' AND subject = ?)",
                [user, address],
            )
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc
    return (int(row[0]), str(row[1])) if row else (0, None)


def _is_lock(failures: int, kind: str, throttle: Throttle) -> bool:
    return failures >= throttle.lock_after * (ADDRESS_FACTOR if kind == "address" else 1)


def _iso(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="milliseconds")
