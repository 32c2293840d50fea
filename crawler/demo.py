"""`make demo`: offline snapshot → queue → draft bulletin, in a fresh database.

Runs `crawler run --replay` as a child process (one crawl per process), prints a per-outlet table,
approves the best candidate of each rubric as user "demo" (what a monitor would do on the review
page) and writes a draft bulletin in the sample's plain-text format beside the database.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

import sqlite_utils

from crawler.bulletin.export import export_bulletin
from crawler.store import decisions, open_db
from crawler.store.articles import get_article, list_articles


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m crawler.demo", description=__doc__)
    parser.add_argument("--db", default="state/demo.db", help="database to (re)create (default %(default)s)")
    args = parser.parse_args(argv)
    db_path = Path(args.db)
    for suffix in ("", "-wal", "-shm"):
        Path(f"{db_path}{suffix}").unlink(missing_ok=True)

    print(f"Crawling the offline snapshot of the five outlets into {db_path} …", flush=True)
    crawl = subprocess.run(
        [sys.executable, "-m", "crawler", "--db", str(db_path), "run", "--replay"],
        stdout=subprocess.PIPE,
        stderr=subprocess.DEVNULL,
        text=True,
        check=False,
    )
    print(crawl.stdout)
    db = open_db(db_path)
    rows = db.execute(
        "SELECT outlet, count(*), sum(status = 'candidate'), sum(lang = 'kk'), sum(skip_reason IS NOT NULL),"
        " sum(duplicate_of IS NOT NULL) FROM articles GROUP BY outlet ORDER BY outlet"
    ).fetchall()
    print(f"{'outlet':<10} {'stored':>6} {'candid.':>7} {'kazakh':>6} {'skipped':>7} {'reprints':>8}")
    for outlet, stored, candidates, kazakh, skipped, reprints in rows:
        print(f"{outlet:<10} {stored:>6} {candidates or 0:>7} {kazakh or 0:>6} {skipped or 0:>7} {reprints or 0:>8}")
    draft = draft_bulletin(db, db_path.parent)
    print(f"\nDatabase: {db_path.resolve()}")
    print(f"Draft bulletin ({draft.count} items, the best candidate of each rubric): {draft.path.resolve()}")
    print(f"Next: .venv/bin/crawler --db {db_path} queue list   ·   .venv/bin/crawler --db {db_path} review")
    return 0 if crawl.returncode == 0 and rows else 1


@dataclass
class Draft:
    path: Path
    count: int


def draft_bulletin(db: sqlite_utils.Database, folder: Path) -> Draft:
    """Approve the best original candidate of each rubric, then export a draft (nothing marked exported)."""
    best: dict[str, int] = {}
    for row in list_articles(db, status="candidate"):  # best score first
        if row["rubric"] and row["rubric"] not in best and not get_article(db, row["id"])["duplicate_of"]:
            best[row["rubric"]] = row["id"]
    for article_id in best.values():
        decisions.approve(db, article_id, user="demo", expected="candidate")
    result = export_bulletin(db, "txt", user="demo", out=folder, draft=True)
    return Draft(result.path, len(result.bulletin.items))


if __name__ == "__main__":
    raise SystemExit(main())
