"""The ``crawler`` command. Each command is a thin adapter: parse, call a plain function, print.

One module per command group (run, queue, rules, export, ops, scrapyd, users, snapshot, outlet);
this one builds the parser.

Errors from ``crawler.errors`` become one line on stderr and a non-zero exit; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import os
import sqlite3
import sys
from collections.abc import Sequence

from crawler import __version__
from crawler.cli.common import flush_db_notes, not_utf8
from crawler.cli.export import add_export
from crawler.cli.ops import add_backup, add_config, add_doctor, add_schedule, add_status
from crawler.cli.outlet import add_outlet_group
from crawler.cli.queue import add_queue
from crawler.cli.rules import add_classify, add_rules
from crawler.cli.run import add_run
from crawler.cli.scrapyd import add_ingest
from crawler.cli.snapshot import add_snapshot
from crawler.cli.users import add_review, add_user
from crawler.errors import CrawlerError

DEFAULT_DB = "state/crawler.db"


def main(argv: Sequence[str] | None = None) -> int:
    argv = list(sys.argv[1:] if argv is None else argv)
    bad = not_utf8(argv)
    if bad is not None:
        print(f'crawler: error: argument "{bad}" is not valid UTF-8 text', file=sys.stderr)
        return 2
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        code = int(args.handler(args) or 0)
        flush_db_notes()  # which database a writing command used, after its own output
        return code
    except CrawlerError as exc:
        flush_db_notes(show=False)  # the error line is the one line
        print(f"crawler: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except sqlite3.DatabaseError as exc:  # a database fault the store did not translate: still one line
        from crawler.store.db import translate_errors

        error = translate_errors(exc, args.db)
        print(f"crawler: error: {error}", file=sys.stderr)
        return error.exit_code
    except KeyboardInterrupt:
        print("crawler: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:  # `crawler queue list | head` closes our stdout early: not an error
        return 0


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="crawler",
        description="Find human-rights news on Kazakh outlets, review it, export the bulletin.",
    )
    parser.add_argument("--version", action="version", version=f"crawler {__version__}")
    parser.add_argument(
        "--db",
        default=os.environ.get("CRAWLER_DB", DEFAULT_DB),
        help="SQLite database (default: $CRAWLER_DB or %(default)s)",
    )
    sub = parser.add_subparsers(title="commands", metavar="COMMAND")
    add_run(sub)
    add_queue(sub)
    add_classify(sub)
    add_rules(sub)
    add_export(sub)
    add_config(parser)
    add_status(sub)
    add_backup(sub)
    add_schedule(sub)
    add_ingest(sub)
    add_doctor(sub)
    add_snapshot(sub)
    add_outlet_group(sub)
    add_review(sub)
    add_user(sub)
    return parser
