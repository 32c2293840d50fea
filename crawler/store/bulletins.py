"""Bulletin records: which items went out in which numbered bulletin, when, and who exported it.

The export writes the file first and only then calls ``record_bulletin``: a failed write leaves
every item approved.
"""

from __future__ import annotations

import json
import sqlite3
from typing import Any

import sqlite_utils

from crawler.errors import BulletinTaken, ItemsChanged, NotFound
from crawler.store.db import translate_errors, utcnow

ITEM_COLUMNS = (
    "id",
    "url",
    "outlet",
    "title",
    "edited_title",
    "author",
    "published",
    "text",
    "edited_text",
    "status",
    "rubric",
    "approved_rubric",
    "position",
    "bulletin",
    "decided_at",
    "lang",
)


def approved_items(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """The approved, not yet exported items: per rubric in the editor's order (position, then approval)."""
    rows = db.execute(
        f"SELECT {', '.join(ITEM_COLUMNS)} FROM articles WHERE status = 'approved'"
        " ORDER BY approved_rubric, position, decided_at, id"
    ).fetchall()
    return [dict(zip(ITEM_COLUMNS, row, strict=True)) for row in rows]


def next_number(db: sqlite_utils.Database) -> int:
    """The number the next bulletin will get."""
    return int(db.execute("SELECT coalesce(max(number), 0) + 1 FROM bulletins").fetchone()[0])


def get_bulletin(db: sqlite_utils.Database, number: int) -> dict[str, Any]:
    """A bulletin record: number, created_at, created_by, items (article ids in bulletin order)."""
    rows = list(db["bulletins"].rows_where("number = ?", [number]))
    if not rows:
        raise NotFound(f"no bulletin number {number} (the last one is {next_number(db) - 1 or 'none yet'})")
    record = rows[0]
    record["items"] = json.loads(record["items"])
    return record


def bulletin_items(db: sqlite_utils.Database, number: int) -> list[dict[str, Any]]:
    """The items of an exported bulletin, in the order they were published."""
    ids = get_bulletin(db, number)["items"]
    if not ids:
        return []
    rows = db.execute(
        f"SELECT {', '.join(ITEM_COLUMNS)} FROM articles WHERE id IN ({', '.join('?' * len(ids))})", ids
    ).fetchall()
    by_id = {row[0]: dict(zip(ITEM_COLUMNS, row, strict=True)) for row in rows}
    return [by_id[i] for i in ids if i in by_id]


def list_bulletins(db: sqlite_utils.Database) -> list[dict[str, Any]]:
    """Every bulletin record, newest first."""
    records = list(db["bulletins"].rows_where(order_by="number DESC"))
    for record in records:
        record["items"] = json.loads(record["items"])
    return records


def record_bulletin(db: sqlite_utils.Database, number: int, item_ids: list[int], *, user: str) -> dict[str, Any]:
    """Record bulletin ``number`` and mark its items exported, all or nothing.

    Refuses (and changes nothing) when the number is taken or an item is no longer approved — someone
    exported or unapproved meanwhile; the caller's file then names items that are not recorded."""
    now = utcnow()
    try:
        db.conn.execute("BEGIN IMMEDIATE")
        try:
            if db.execute("SELECT 1 FROM bulletins WHERE number = ?", [number]).fetchone():
                raise BulletinTaken(f"bulletin {number} was recorded meanwhile by another export; export again", number)
            db.conn.execute(
                "INSERT INTO bulletins (number, created_at, created_by, items) VALUES (?, ?, ?, ?)",
                [number, now, user, json.dumps(item_ids)],
            )
            for article_id in item_ids:
                cursor = db.conn.execute(
                    "UPDATE articles SET status = 'exported', bulletin = ? WHERE id = ? AND status = 'approved'",
                    [number, article_id],
                )
                if cursor.rowcount != 1:
                    raise ItemsChanged(
                        f"article {article_id} is no longer approved (changed during the export);"
                        f" bulletin {number} was not recorded: export again"
                    )
                db.conn.execute(
                    "INSERT INTO transitions (article_id, at, user, from_status, to_status, rubric, note)"
                    " SELECT id, ?, ?, 'approved', 'exported', approved_rubric, ? FROM articles WHERE id = ?",
                    [now, user, f"bulletin {number}", article_id],
                )
        except BaseException:
            db.conn.rollback()
            raise
        db.conn.commit()
    except sqlite3.DatabaseError as exc:
        raise translate_errors(exc, db) from exc
    return get_bulletin(db, number)
