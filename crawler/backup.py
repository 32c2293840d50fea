"""A consistent copy of the database while the crawler keeps writing: SQLite's online backup.

The database runs in WAL mode, so the backup's one read transaction sees a single committed state
and never blocks the crawl's writes (nor they it). The copy is written beside its destination under
a temporary name, checked with ``PRAGMA integrity_check``, and only then renamed into place: a
backup that fails half-way (disk full, killed) never leaves a file that looks like a good backup.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

from crawler.errors import StoreError, UsageError
from crawler.progress import bar
from crawler.settings import CRAWLER_BUSY_TIMEOUT_SECONDS


@dataclass
class BackupResult:
    path: Path
    bytes: int
    pages: int
    seconds: float


def backup_database(
    db_path: str | Path,
    dest: str | Path,
    *,
    overwrite: bool = False,
    busy_timeout: float = CRAWLER_BUSY_TIMEOUT_SECONDS,
    quiet: bool = False,
) -> BackupResult:
    """Copy the live database at ``db_path`` to ``dest`` (a file, or a folder to put a dated file in)."""
    source_path = Path(db_path)
    if not source_path.is_file():
        raise StoreError(f"no database at {source_path}")
    target = Path(dest)
    if target.is_dir():
        target = target / f"crawler-{datetime.now(UTC):%Y%m%d-%H%M%S}.db"
    if target.exists() and target.resolve() == source_path.resolve():
        raise UsageError(f"the backup would overwrite the database itself ({target})")
    if target.exists() and not overwrite:
        raise UsageError(f"{target} already exists; choose another name or pass --force")
    if target.parent.exists() and not target.parent.is_dir():
        raise UsageError(f"cannot write the backup {target}: {target.parent} is a file, not a folder")
    partial = target.with_name(f".{target.name}.partial")
    started = datetime.now(UTC)
    try:
        target.parent.mkdir(parents=True, exist_ok=True)
        partial.unlink(missing_ok=True)
        open(partial, "xb").close()  # a read-only or unwritable folder fails here, with its reason
        source = sqlite3.connect(source_path, timeout=busy_timeout)  # only reads
        copy = sqlite3.connect(partial)
        total = source.execute("PRAGMA page_count").fetchone()[0]
        # on a terminal: copy, check, sync as one bar (the copy is one step, so it moves by phases)
        with bar(3 * total, "backup: copying", unit="page", quiet=quiet) as shown:
            try:
                source.backup(copy)  # all pages in one step: one read transaction, one consistent state
                shown.update(total)
                shown.set_description("backup: checking")
                copy.execute("PRAGMA journal_mode = DELETE")  # a backup is one self-contained file
                verdict = copy.execute("PRAGMA integrity_check").fetchone()[0]
                pages = copy.execute("PRAGMA page_count").fetchone()[0]
                shown.update(total)
                shown.set_description("backup: syncing")
            finally:
                copy.close()
                source.close()
            if verdict != "ok":
                raise StoreError(f"the copy failed its integrity check ({verdict}); {source_path} may be damaged")
            with open(partial, "rb") as handle:
                os.fsync(handle.fileno())
            shown.update(total)
        os.replace(partial, target)
    except sqlite3.DatabaseError as exc:
        _discard(partial)
        raise StoreError(f"backup of {source_path} to {target} failed: {exc}") from exc
    except OSError as exc:
        _discard(partial)
        raise StoreError(f"cannot write the backup {target}: {exc.strerror or exc}") from exc
    except BaseException:
        _discard(partial)
        raise
    seconds = (datetime.now(UTC) - started).total_seconds()
    return BackupResult(path=target, bytes=target.stat().st_size, pages=int(pages), seconds=seconds)


def _discard(partial: Path) -> None:
    """Remove a half-written copy; where nothing could be written (read-only, not a folder) there is none."""
    with contextlib.suppress(OSError):
        partial.unlink(missing_ok=True)
