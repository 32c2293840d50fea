"""Monitors' decisions on articles: approve, reject, restore, unapprove, edit, reorder, re-rubric.

The CLI and the review page call these same functions. Each one:

- takes the status the caller saw (``expected``) and refuses with ``AlreadyDecided`` — naming who
  changed the row and when — if the row is no longer in that state (two monitors on one item);
- refuses a change the current state does not allow with ``InvalidTransition``;
- writes the change and its ``transitions`` row (who, when, from, to) in one transaction, taken
  with ``BEGIN IMMEDIATE`` so the check and the write see the same row.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import Any

import sqlite_utils

from crawler.errors import AlreadyDecided, InvalidTransition, NotFound, UsageError
from crawler.store.db import translate_errors, utcnow
from crawler.store.migrations import status_for

APPROVABLE = ("candidate", "ignored", "rejected")
REJECTABLE = ("candidate", "ignored", "approved")
EDITABLE = ("candidate", "ignored", "approved", "rejected")  # an exported item is frozen: its bulletin re-renders


def approve(
    db: sqlite_utils.Database,
    article_id: int,
    *,
    user: str,
    expected: str,
    rubric: str | None = None,
    rubrics: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Approve under ``rubric`` (default: the suggested one); the item goes last in that rubric.
    ``rubrics``, when given, is the list of known rubric names the choice must come from."""
    with _write(db):
        row = _current(db, article_id, expected)
        _allowed(row, APPROVABLE, "approve")
        final = (rubric or row["rubric"] or "").strip()
        if not final:
            raise InvalidTransition(f"article {article_id} has no suggested rubric: name one to approve it under")
        _check_rubric(final, rubrics)
        now = utcnow()
        db.conn.execute(
            "UPDATE articles SET status = 'approved', approved_rubric = ?, position = ?, reject_reason = NULL,"
            " decided_by = ?, decided_at = ? WHERE id = ?",
            [final, _next_position(db, final), user, now, article_id],
        )
        _record(db, article_id, now, user, row["status"], "approved", final, None)
    return _row(db, article_id)


def reject(
    db: sqlite_utils.Database, article_id: int, *, user: str, expected: str, reason: str | None = None
) -> dict[str, Any]:
    """Reject, with an optional reason; an approved item leaves the next bulletin."""
    with _write(db):
        row = _current(db, article_id, expected)
        _allowed(row, REJECTABLE, "reject")
        now = utcnow()
        db.conn.execute(
            "UPDATE articles SET status = 'rejected', reject_reason = ?, approved_rubric = NULL, position = NULL,"
            " decided_by = ?, decided_at = ? WHERE id = ?",
            [reason or None, user, now, article_id],
        )
        _record(db, article_id, now, user, row["status"], "rejected", row["rubric"], reason or None)
    return _row(db, article_id)


def restore(db: sqlite_utils.Database, article_id: int, *, user: str, expected: str) -> dict[str, Any]:
    """Take back a rejection: the item returns to the queue (candidate, or ignored with no suggestion)."""
    return _back_to_queue(db, article_id, user=user, expected=expected, source="rejected", verb="restore")


def unapprove(db: sqlite_utils.Database, article_id: int, *, user: str, expected: str) -> dict[str, Any]:
    """Take back an approval: the item leaves the next bulletin and returns to the queue."""
    return _back_to_queue(db, article_id, user=user, expected=expected, source="approved", verb="unapprove")


def edit(
    db: sqlite_utils.Database,
    article_id: int,
    *,
    user: str,
    expected: str,
    title: str | None = None,
    text: str | None = None,
    version: int | None = None,
) -> dict[str, Any]:
    """Replace the title and/or text shown in the bulletin (the crawled originals are kept).
    ``None`` leaves a field alone; an empty string drops the edit and shows the original again.
    ``version`` is the article's version the edit was made from: if anyone changed the article since
    (another edit, a decision), the edit is refused like a stale decision, not saved over theirs."""
    if title is None and text is None:
        raise UsageError("nothing to edit: give a title, a text or both")
    with _write(db):
        row = _current(db, article_id, expected)
        _allowed(row, EDITABLE, "edit")
        if version is not None and row["version"] != version:
            raise _stale(db, article_id, row, f"version {row['version']}, not version {version} as you saw it")
        changes, notes = {}, []
        if title is not None:
            changes["edited_title"] = " ".join(title.split()) or None
            notes.append("title edited" if changes["edited_title"] else "title edit dropped")
        if text is not None:
            changes["edited_text"] = _normalise_text(text) or None
            notes.append("text edited" if changes["edited_text"] else "text edit dropped")
        db.conn.execute(
            f"UPDATE articles SET {', '.join(f'{column} = ?' for column in changes)} WHERE id = ?",
            [*changes.values(), article_id],
        )
        status = row["status"]
        _record(db, article_id, utcnow(), user, status, status, row["approved_rubric"], "; ".join(notes))
    return _row(db, article_id)


def move(db: sqlite_utils.Database, article_id: int, steps: int, *, user: str, expected: str) -> dict[str, Any]:
    """Move an approved item ``steps`` places inside its rubric (negative: up). Stops at either end."""
    with _write(db):
        row = _current(db, article_id, expected)
        _allowed(row, ("approved",), "move")
        ids = [
            r[0]
            for r in db.execute(
                "SELECT id FROM articles WHERE status = 'approved' AND approved_rubric = ?"
                " ORDER BY position, decided_at, id",
                [row["approved_rubric"]],
            ).fetchall()
        ]
        old = ids.index(article_id)
        new = max(0, min(len(ids) - 1, old + steps))
        if new == old:
            return _row(db, article_id)
        ids.insert(new, ids.pop(old))
        db.conn.executemany("UPDATE articles SET position = ? WHERE id = ?", [(i + 1, a) for i, a in enumerate(ids)])
        note = f"moved from place {old + 1} to {new + 1}"
        _record(db, article_id, utcnow(), user, "approved", "approved", row["approved_rubric"], note)
    return _row(db, article_id)


def move_up(db: sqlite_utils.Database, article_id: int, *, user: str, expected: str = "approved") -> dict[str, Any]:
    """One place up inside its rubric."""
    return move(db, article_id, -1, user=user, expected=expected)


def move_down(db: sqlite_utils.Database, article_id: int, *, user: str, expected: str = "approved") -> dict[str, Any]:
    """One place down inside its rubric."""
    return move(db, article_id, 1, user=user, expected=expected)


def change_rubric(
    db: sqlite_utils.Database,
    article_id: int,
    rubric: str,
    *,
    user: str,
    expected: str = "approved",
    rubrics: Sequence[str] | None = None,
) -> dict[str, Any]:
    """Move an approved item to another rubric; it goes last there."""
    rubric = rubric.strip()
    if not rubric:
        raise UsageError("name the rubric to move the item to")
    _check_rubric(rubric, rubrics)
    with _write(db):
        row = _current(db, article_id, expected)
        _allowed(row, ("approved",), "move to another rubric")
        if rubric == row["approved_rubric"]:
            return _row(db, article_id)
        now = utcnow()
        db.conn.execute(
            "UPDATE articles SET approved_rubric = ?, position = ?, decided_by = ?, decided_at = ? WHERE id = ?",
            [rubric, _next_position(db, rubric), user, now, article_id],
        )
        _record(db, article_id, now, user, "approved", "approved", rubric, f"rubric was {row['approved_rubric']}")
    return _row(db, article_id)


def history(db: sqlite_utils.Database, article_id: int) -> list[dict[str, Any]]:
    """Every recorded change of the article, oldest first."""
    return list(db["transitions"].rows_where("article_id = ?", [article_id], order_by="id"))


# --- helpers ------------------------------------------------------------------------------------


@contextmanager
def _write(db: sqlite_utils.Database) -> Iterator[None]:
    """One immediate transaction: the state check and the write happen under the same write lock."""
    try:
        db.conn.execute("BEGIN IMMEDIATE")
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc
    try:
        yield
    except BaseException:
        db.conn.rollback()
        raise
    try:
        db.conn.commit()
    except sqlite3.DatabaseError as exc:
        db.conn.rollback()
        raise translate_errors(exc, db) from exc


def _current(db: sqlite_utils.Database, article_id: int, expected: str) -> dict[str, Any]:
    columns = ("id", "status", "rubric", "approved_rubric", "decided_by", "decided_at", "version")
    row = db.execute(f"SELECT {', '.join(columns)} FROM articles WHERE id = ?", [article_id]).fetchone()
    if row is None:
        raise NotFound(f"no article with id {article_id}")
    current = dict(zip(columns, row, strict=True))
    if current["status"] != expected:
        raise _stale(db, article_id, current, f"{current['status']}, not {expected} as you saw it")
    return current


def _stale(db: sqlite_utils.Database, article_id: int, current: dict[str, Any], what: str) -> AlreadyDecided:
    """The one conflict message for a decision or an edit made from an out-of-date page."""
    last = db.execute(
        "SELECT user, at FROM transitions WHERE article_id = ? ORDER BY id DESC LIMIT 1", [article_id]
    ).fetchone()
    who, when = last if last else (current["decided_by"] or "someone", current["decided_at"] or "an unknown time")
    return AlreadyDecided(
        f"article {article_id} was already decided by {who} at {when}: it is now {what}; reload and decide again"
    )


def _allowed(row: dict[str, Any], sources: Sequence[str], verb: str) -> None:
    if row["status"] not in sources:
        raise InvalidTransition(
            f"cannot {verb} article {row['id']}: it is {row['status']} (only {', '.join(sources)} articles can be)"
        )


def _back_to_queue(
    db: sqlite_utils.Database, article_id: int, *, user: str, expected: str, source: str, verb: str
) -> dict[str, Any]:
    with _write(db):
        row = _current(db, article_id, expected)
        _allowed(row, (source,), verb)
        target = status_for(row["rubric"])
        now = utcnow()
        db.conn.execute(
            "UPDATE articles SET status = ?, approved_rubric = NULL, position = NULL, reject_reason = NULL,"
            " decided_by = ?, decided_at = ? WHERE id = ?",
            [target, user, now, article_id],
        )
        _record(db, article_id, now, user, source, target, row["rubric"], f"{verb}d")
    return _row(db, article_id)


def _check_rubric(rubric: str, rubrics: Sequence[str] | None) -> None:
    if rubrics is not None and rubric not in rubrics:
        raise UsageError(f"unknown rubric {rubric!r}: use one of {', '.join(rubrics)}")


def _next_position(db: sqlite_utils.Database, rubric: str) -> int:
    row = db.execute(
        "SELECT coalesce(max(position), 0) + 1 FROM articles WHERE status = 'approved' AND approved_rubric = ?",
        [rubric],
    ).fetchone()
    return int(row[0])


def _record(
    db: sqlite_utils.Database,
    article_id: int,
    at: str,
    user: str,
    from_status: str | None,
    to_status: str,
    rubric: str | None,
    note: str | None,
) -> None:
    db.conn.execute(
        "INSERT INTO transitions (article_id, at, user, from_status, to_status, rubric, note)"
        " VALUES (?, ?, ?, ?, ?, ?, ?)",
        [article_id, at, user, from_status, to_status, rubric, note],
    )
    db.conn.execute("UPDATE articles SET version = version + 1 WHERE id = ?", [article_id])  # every change counts


def _row(db: sqlite_utils.Database, article_id: int) -> dict[str, Any]:
    return next(iter(db["articles"].rows_where("id = ?", [article_id])))


def _normalise_text(text: str) -> str:
    """Paragraphs separated by one blank line, each line stripped of trailing blanks (as the crawl stores text)."""
    lines = [line.rstrip() for line in text.replace("\r\n", "\n").replace("\r", "\n").split("\n")]
    paragraphs, current = [], []
    for line in [*lines, ""]:
        if line.strip():
            current.append(line)
        elif current:
            paragraphs.append("\n".join(current))
            current = []
    return "\n\n".join(paragraphs)
