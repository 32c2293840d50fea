import sqlite3
from pathlib import Path

import pytest
import sqlite_utils

from crawler.errors import DatabaseCorrupt, UsageError
from crawler.store import open_db
from crawler.store.articles import (
    NewArticle,
    known_keys,
    list_articles,
    mark_duplicate,
    near_duplicate_candidates,
    raw_page,
    record_failure,
    save_article,
)
from crawler.store.migrations import migrations


def article(key: str = "vlast.kz/1", **fields: object) -> NewArticle:
    base = {"url": f"https://{key}.html", "outlet": "vlast", "text": "Текст статьи.", "html": b"<html>raw</html>"}
    base.update(fields)
    return NewArticle(key=key, **base)  # type: ignore[arg-type]  # fields come from a plain dict in tests


def test_schema_is_migrated_and_wal_is_on(db: sqlite_utils.Database) -> None:
    assert {"articles", "pages", "failures", "transitions", "runs", "run_outlets", "bulletins", "users"} <= set(
        db.table_names()
    )
    assert db.execute("PRAGMA journal_mode").fetchone()[0] == "wal"


def test_reopening_does_not_migrate_twice(db_path: Path) -> None:
    open_db(db_path)
    db = open_db(db_path)
    names = [row[0] for row in db.execute("SELECT name FROM _sqlite_migrations")]
    assert names == [m.name for m in migrations._migrations]  # each applied once, in order


def test_saved_article_keeps_gzipped_raw_page_and_a_transition(db: sqlite_utils.Database) -> None:
    article_id = save_article(db, article(title="Заголовок"))
    assert article_id
    assert raw_page(db, article_id) == b"<html>raw</html>"
    row = db["articles"].get(article_id)
    assert row["status"] == "ignored"
    history = list(db["transitions"].rows_where("article_id = ?", [article_id]))
    assert [(h["user"], h["from_status"], h["to_status"]) for h in history] == [("crawler", None, "ignored")]


def test_a_rubric_makes_a_candidate(db: sqlite_utils.Database) -> None:
    article_id = save_article(db, article(rubric="Пытки", score=3.0, classified=True))
    assert db["articles"].get(article_id)["status"] == "candidate"


def test_same_key_twice_stores_one_row_and_remembers_the_alias(db: sqlite_utils.Database) -> None:
    assert save_article(db, article()) is not None
    assert save_article(db, article(aliases=("bureau.kz/?p=1",))) is None
    assert db["articles"].count == 1
    assert {"vlast.kz/1", "bureau.kz/?p=1"} <= known_keys(db)


def test_failures_are_skipped_until_due_and_404_never_retried(db: sqlite_utils.Database) -> None:
    record_failure(db, key="k500", url="u", outlet="o", status=500, error="HTTP 500", retry_hours=6, max_attempts=3)
    record_failure(db, key="k404", url="u", outlet="o", status=404, error="HTTP 404", retry_hours=6, max_attempts=3)
    assert {"k500", "k404"} <= known_keys(db)
    db.execute("UPDATE failures SET next_attempt_at = '2000-01-01T00:00:00+00:00' WHERE key = 'k500'")
    keys = known_keys(db)
    assert "k500" not in keys and "k404" in keys


def test_storing_an_article_clears_its_failure(db: sqlite_utils.Database) -> None:
    record_failure(db, key="vlast.kz/1", url="u", outlet="vlast", status=500, error="x", retry_hours=0, max_attempts=3)
    save_article(db, article())
    assert db["failures"].count == 0


def test_near_duplicate_candidates_are_found_by_fingerprint(db: sqlite_utils.Database) -> None:
    first = save_article(db, article(fingerprint=0b1011_0000, text="оригинал"))
    assert near_duplicate_candidates(db, 0b1011_0011, max_distance=3, window_days=30) == [
        (first, "оригинал", None, "vlast")
    ]
    assert near_duplicate_candidates(db, 0b0100_1111, max_distance=3, window_days=30) == []


def test_an_earlier_original_stored_later_takes_over_the_reprints(db: sqlite_utils.Database) -> None:
    reprint = save_article(db, article("bureau.kz/r"))
    other = save_article(db, article("bureau.kz/o"), duplicate_of=reprint)
    original = save_article(db, article("rus.azattyq.org/1"))
    assert reprint and other and original
    mark_duplicate(db, reprint, original)
    assert db["articles"].get(reprint)["duplicate_of"] == original
    assert db["articles"].get(other)["duplicate_of"] == original


def test_list_rejects_an_unknown_status(db: sqlite_utils.Database) -> None:
    with pytest.raises(UsageError, match="unknown status 'pending'"):
        list_articles(db, status="pending")


def test_a_file_that_is_not_a_database_is_reported(tmp_path: Path) -> None:
    bad = tmp_path / "bad.db"
    bad.write_bytes(b"this is not sqlite" * 100)
    with pytest.raises(DatabaseCorrupt, match="not a usable SQLite database"):
        open_db(bad)


def test_readers_do_not_block_a_writer(db_path: Path) -> None:
    writer = open_db(db_path)
    reader = sqlite3.connect(db_path)
    reader.execute("BEGIN")
    reader.execute("SELECT count(*) FROM articles").fetchone()
    save_article(writer, article())  # WAL: the open read transaction does not block this commit
    reader.rollback()
    assert writer["articles"].count == 1
