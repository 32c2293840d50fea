"""What every command module shares: declaring a command, the database, the rules folder, the user."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

Handler = Callable[[argparse.Namespace], int]

SQLITE_MAX = 2**63 - 1  # SQLite's largest integer: an id or count beyond it cannot be stored or looked up


def whole_number(text: str) -> int:
    """An argparse type: a whole number from 0 that SQLite can hold (ids, limits, bulletin numbers)."""
    try:
        value = int(text.strip())
    except ValueError:
        shown = text if len(text) <= 40 else text[:40] + "…"
        raise argparse.ArgumentTypeError(f"expected a whole number, not {shown!r}") from None
    if not 0 <= value <= SQLITE_MAX:
        shown = text if len(text) <= 40 else f"{text[:20]}… ({len(text.strip())} digits)"
        raise argparse.ArgumentTypeError(f"{shown} is out of range (0 to {SQLITE_MAX})")
    return value


def port_number(text: str) -> int:
    """An argparse type: a TCP port."""
    value = whole_number(text)
    if value > 65535:
        raise argparse.ArgumentTypeError(f"{value} is not a port (0 to 65535)")
    return value


def not_utf8(argv: list[str]) -> str | None:
    """The first argument that was not valid UTF-8 on the command line (Python keeps such bytes as
    lone surrogates, which the database and every output refuse), shown with the bad bytes escaped."""
    for arg in argv:
        try:
            arg.encode("utf-8")
        except UnicodeEncodeError:
            return arg.encode("utf-8", "surrogateescape").decode("utf-8", "backslashreplace")
    return None


def command(sub: argparse._SubParsersAction, name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help, description=help)
    parser.set_defaults(handler=handler)
    return parser


def cli_user(args: argparse.Namespace) -> str:
    import getpass

    if getattr(args, "user", None):
        return str(args.user)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return "cli"


def open_db(path: str, *, write: bool, create: bool | None = None) -> sqlite_utils.Database:
    """The database with the busy timeout (and test page limit) of crawler/settings.py or the environment.

    A command that writes (``write``) says on stderr which database it used, and that it created it
    when the file was new. A command that only reads — or that changes what must already be there
    (``create=False``: a decision, an export) — never creates a database or its folder: a path with no
    database there is one clear line (a mistyped --db, or CRAWLER_DB pointing elsewhere)."""
    from crawler.config import db_options
    from crawler.store import open_db as open_store

    options = db_options()  # a bad CRAWLER_BUSY_TIMEOUT_SECONDS is named before anything else
    existed = db_exists(path)
    if not (write if create is None else create) and not existed:
        from crawler.errors import StoreError

        raise StoreError(
            f"no database at {_shown(path)}: check --db, $CRAWLER_DB or the settings' db"
            " (a command that only reads creates none)"
        )
    db = open_store(path, **options)
    if write:
        say_db(path, created=not existed)
    return db


_NOTES: list[str] = []


def say_db(path: str, *, created: bool = False) -> None:
    """Note which database a writing command used; ``main`` prints it on stderr once the command has
    done its work (a wrong --db shows at once), and drops it when the command fails with one line."""
    _NOTES.append(f"crawler: database {_shown(path)}{' (new: created now)' if created else ''}")


def flush_db_notes(*, show: bool = True) -> None:
    """Print (or drop) the noted database lines; a long-running command calls it before it settles."""
    import sys

    for line in dict.fromkeys(_NOTES):
        if show:
            print(line, file=sys.stderr)
    _NOTES.clear()


def db_exists(path: str) -> bool:
    from pathlib import Path

    return str(path) == ":memory:" or Path(path).is_file()


def _shown(path: str) -> str:
    import os

    return os.path.abspath(path) if str(path) != ":memory:" else str(path)


def rules_dir() -> str:
    from crawler import settings

    return settings.CRAWLER_RULES_DIR


def ops_config(args: argparse.Namespace) -> dict:
    """The effective settings, with the database as the command line resolved it (--db, then
    $CRAWLER_DB, then the settings file's ``db``)."""
    from crawler.config import load_config

    return {**load_config(), "db": args.db}


def outlet_list() -> list[str]:
    """The outlets' names, without importing Scrapy or the spiders."""
    from crawler.outlets import outlet_names

    return outlet_names()


SNAPSHOT_HELP = (
    "replay this snapshot folder (implies --replay; default: $CRAWLER_SNAPSHOT, else the bundled one;"
    " format: crawler/snapshot/README.md)"
)


def add_snapshot_option(parser: argparse.ArgumentParser) -> None:
    """``--snapshot DIR``: which snapshot a replay serves. Naming one implies ``--replay``."""
    parser.add_argument("--snapshot", metavar="DIR", help=SNAPSHOT_HELP)


def wants_replay(args: argparse.Namespace) -> bool:
    return bool(args.replay or args.snapshot)
