"""The ``crawler`` command. Each command is a thin adapter: parse, call a plain function, print.

Errors from ``crawler.errors`` become one line on stderr and a non-zero exit; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import json
import os
import sys
from collections.abc import Callable, Sequence

from crawler import __version__
from crawler.errors import CrawlerError

DEFAULT_DB = "state/crawler.db"

Handler = Callable[[argparse.Namespace], int]


def main(argv: Sequence[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    if not getattr(args, "handler", None):
        parser.print_help()
        return 2
    try:
        return int(args.handler(args) or 0)
    except CrawlerError as exc:
        print(f"crawler: error: {exc}", file=sys.stderr)
        return exc.exit_code
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
    _add_run(sub)
    _add_queue(sub)
    return parser


def _command(sub: argparse._SubParsersAction, name: str, handler: Handler, help: str) -> argparse.ArgumentParser:
    parser = sub.add_parser(name, help=help, description=help)
    parser.set_defaults(handler=handler)
    return parser


# --- crawler run ----------------------------------------------------------------------------------


def _add_run(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "run", _run, "One crawl pass over all (or the named) outlets, then exit.")
    p.add_argument("--outlet", action="append", metavar="NAME", help="crawl only this outlet (repeatable)")
    p.add_argument("--replay", action="store_true", help="crawl the bundled offline snapshot over loopback")
    p.add_argument("--json", action="store_true", help="per-outlet statistics as JSON on stdout")
    p.epilog = "Exit status: 0 every outlet succeeded, 1 an outlet failed, 3 another run holds the lock."


def _run(args: argparse.Namespace) -> int:
    from crawler.run import run_pass

    result = run_pass(args.db, outlets=args.outlet, replay=args.replay, progress=not args.json)
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(result.table())
    return 0 if result.ok else 1


# --- crawler queue --------------------------------------------------------------------------------


def _add_queue(sub: argparse._SubParsersAction) -> None:
    queue = sub.add_parser("queue", help="The review queue from the shell.", description="The review queue.")
    qsub = queue.add_subparsers(title="queue commands", metavar="QUEUE_COMMAND")
    queue.set_defaults(handler=lambda _args: queue.print_help() or 2)
    p = _command(qsub, "list", _queue_list, "List articles in the queue (candidates by default).")
    p.add_argument("--status", default="candidate", help="candidate, ignored, approved, rejected, exported or all")
    p.add_argument("--outlet", help="only this outlet")
    p.add_argument("--limit", type=int, default=0, help="at most this many (0: all)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")


def _queue_list(args: argparse.Namespace) -> int:
    from crawler.store import articles, open_db

    db = open_db(args.db)
    rows = articles.list_articles(db, status=args.status, outlet=args.outlet, limit=args.limit)
    if args.json:
        for row in rows:
            print(json.dumps(row, ensure_ascii=False))
        return 0
    if not rows:
        print(f"no {args.status} articles" if args.status != "all" else "no articles")
        return 0
    for row in rows:
        score = f"{row['score']:.1f}" if row["score"] is not None else "  - "
        day = (row["published"] or "")[:10] or "    ?     "
        rubric = row["rubric"] or "—"
        head = f"{row['id']:>6}  {row['status']:<9} {score:>5}  {day}  {row['outlet']:<9} {rubric[:24]:<24}"
        print(f"{head}  {row['title'] or ''}")
    return 0
