"""Exporting a bulletin: build it from the store, render it, write the file atomically, then record it.

The order matters: the file is complete on disk (written to a temporary name, then renamed) before a
single item is marked exported, so a failed write loses nothing.
"""

from __future__ import annotations

import importlib
import os
import stat
import tempfile
from collections.abc import Collection
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path
from types import ModuleType

import sqlite_utils

from crawler import settings
from crawler.bulletin import FORMATS
from crawler.bulletin.model import Bulletin, build_bulletin, fill, rubric_order
from crawler.dates import ALMATY
from crawler.errors import ExportError, NothingToExport, UsageError
from crawler.store import bulletins

DEFAULT_FILENAME = "bulletin-{number}-{date}.{ext}"  # setting CRAWLER_BULLETIN_FILENAME
DRAFT_SUFFIX = "-draft"  # a draft never takes the name the real bulletin will have


@dataclass(frozen=True)
class ExportResult:
    """What an export did."""

    path: Path
    bulletin: Bulletin
    recorded: bool  # False for a draft or a re-render


def renderer(fmt: str) -> ModuleType:
    """The module rendering ``fmt`` (``crawler.bulletin.<fmt>``, with ``render(bulletin) -> bytes``)."""
    if fmt not in FORMATS:
        raise UsageError(f"unknown format {fmt!r}: use one of {', '.join(FORMATS)}")
    return importlib.import_module(f"crawler.bulletin.{fmt}")


def export_bulletin(
    db: sqlite_utils.Database,
    fmt: str,
    *,
    user: str,
    out: str | Path | None = None,
    draft: bool = False,
    number: int | None = None,
    rules_dir: str = settings.CRAWLER_RULES_DIR,
    heading: str = "",
    filename: str = DEFAULT_FILENAME,
    today: date | None = None,
    bare_url_outlets: Collection[str] = (),
) -> ExportResult:
    """Export the next bulletin (or re-render bulletin ``number``) as ``fmt`` to ``out``.

    Without ``draft`` the items are recorded under the new number and leave the approved list, once
    the file is written. Raises ExportError when there is nothing to export or the file can't be written."""
    module = renderer(fmt)
    if number is not None:
        record = bulletins.get_bulletin(db, number)
        created = datetime.fromisoformat(record["created_at"]).astimezone(ALMATY).date()
        bulletin = build_bulletin(
            bulletins.bulletin_items(db, number),
            number=number,
            on=created,
            heading_template=heading,
            bare_url_outlets=bare_url_outlets,
        )
    else:
        rows = bulletins.approved_items(db)
        if not rows:
            raise NothingToExport("nothing to export: no approved items (approve some with `crawler queue approve ID`)")
        bulletin = build_bulletin(
            rows,
            number=bulletins.next_number(db),
            on=today or datetime.now(UTC).astimezone(ALMATY).date(),
            order=rubric_order(rules_dir),
            heading_template=heading,
            draft=draft,
            bare_url_outlets=bare_url_outlets,
        )
    content = module.render(bulletin)
    path = output_path(out, bulletin, module.EXTENSION, filename=filename, draft=draft and number is None)
    write_atomically(path, content)
    recorded = False
    if number is None and not draft:
        bulletins.record_bulletin(db, bulletin.number, [item.id for item in bulletin.items], user=user)
        recorded = True
    return ExportResult(path=path, bulletin=bulletin, recorded=recorded)


def output_path(
    out: str | Path | None, bulletin: Bulletin, ext: str, *, filename: str = DEFAULT_FILENAME, draft: bool = False
) -> Path:
    """``out`` itself when it names a file; otherwise the configured file name inside ``out`` (or here)."""
    name = fill(filename, number=bulletin.number, date=bulletin.date.isoformat(), ext=ext)
    if draft:
        stem, dot, suffix = name.rpartition(".")
        name = f"{stem}{DRAFT_SUFFIX}{dot}{suffix}" if dot else name + DRAFT_SUFFIX
    if out is None:
        return Path.cwd() / name
    text = str(out)
    path = Path(out)
    if path.is_dir() or text.endswith(("/", os.sep)):
        return path / name
    return path


def write_atomically(path: Path, content: bytes) -> None:
    """Write ``content`` to ``path`` through a temporary file in the same folder, then rename over it.

    A symlink is followed: its target is written (the link stays a link). Anything that exists and is
    not a regular file (a device, a pipe, a socket) is refused. The new file gets the mode the user's
    umask gives (0666 minus the umask) — a file it replaces keeps its own mode."""
    if path.is_symlink():
        path = Path(os.path.realpath(path))
    if path.exists() and not path.is_file():
        raise ExportError(f"refusing to write {path}: it is not a regular file (a device, pipe or socket?)")
    folder = path.parent
    if not folder.is_dir():
        raise ExportError(f"cannot write {path}: the folder {folder} does not exist")
    mode = stat.S_IMODE(path.stat().st_mode) if path.exists() else 0o666 & ~_umask()
    tmp = None
    try:
        with tempfile.NamedTemporaryFile(dir=folder, prefix=f".{path.name}.", suffix=".part", delete=False) as handle:
            tmp = Path(handle.name)
            handle.write(content)
            handle.flush()
            os.fchmod(handle.fileno(), mode)  # mkstemp makes it 0600 whatever the umask says
            os.fsync(handle.fileno())
        os.replace(tmp, path)
    except OSError as exc:
        if tmp is not None:
            tmp.unlink(missing_ok=True)
        raise ExportError(f"cannot write {path}: {exc.strerror or exc}") from exc


def _umask() -> int:
    """The process's umask: from /proc on Linux (no change to the process), else read by setting it
    and putting it straight back."""
    try:
        for line in Path("/proc/self/status").read_text().splitlines():
            if line.startswith("Umask:"):
                return int(line.split()[1], 8)
    except (OSError, ValueError, IndexError):
        pass
    mask = os.umask(0o022)
    os.umask(mask)
    return mask
