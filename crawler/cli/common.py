"""What every command module shares: declaring a command, the database, the rules folder, the user."""

from __future__ import annotations

import argparse
from collections.abc import Callable
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    import sqlite_utils

Handler = Callable[[argparse.Namespace], int]


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
    """The outlets' names, without importing Scrapy or the spiders."""
    from crawler.outlets import outlet_names

    return outlet_names()
