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


def open_db(path: str) -> sqlite_utils.Database:
    """The database with the busy timeout (and test page limit) of crawler/settings.py or the environment."""
    from crawler.config import db_options
    from crawler.store import open_db as open_store

    return open_store(path, **db_options())


def rules_dir() -> str:
    from crawler import settings

    return settings.CRAWLER_RULES_DIR


def ops_config(args: argparse.Namespace) -> dict:
    """The effective settings, with the database as the command line resolved it (--db, then
    $CRAWLER_DB, then the settings file's ``db``)."""
    from crawler.config import load_config

    return {**load_config(), "db": args.db}


def outlet_list() -> list[str]:
    from crawler.outlets import load_outlets

    return list(load_outlets())
