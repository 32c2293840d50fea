"""`make demo`: crawl the bundled offline snapshot into a fresh database and show what was found.

Runs `crawler run --replay` as a child process (one crawl per process), then prints a per-outlet
table from the database. Later steps (draft bulletin) reuse the same database.
"""

from __future__ import annotations

import argparse
import subprocess
import sys
from pathlib import Path

from crawler.store import open_db


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
    print(f"\nDatabase: {db_path.resolve()}")
    print(f"Next: .venv/bin/crawler --db {db_path} queue list")
    return 0 if crawl.returncode == 0 and rows else 1


if __name__ == "__main__":
    raise SystemExit(main())
