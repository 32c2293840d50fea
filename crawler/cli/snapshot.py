"""crawler snapshot: record the live sites as a snapshot folder, and check what a snapshot yields."""

from __future__ import annotations

import argparse
import json

from crawler.cli.common import command

MB = 1_000_000


def add_snapshot(sub: argparse._SubParsersAction) -> None:
    snapshot = sub.add_parser(
        "snapshot",
        help="Record the live sites as an offline snapshot; check what a snapshot yields.",
        description="Record the live sites as an offline snapshot (format: crawler/snapshot/README.md); check it.",
    )
    ssub = snapshot.add_subparsers(title="snapshot commands", metavar="SNAPSHOT_COMMAND")
    snapshot.set_defaults(handler=lambda _args: snapshot.print_help() or 2)

    p = command(
        ssub, "record", _record, "One live pass (robots.txt obeyed), every answer written to DIR as a snapshot."
    )
    p.add_argument("dir", metavar="DIR", help="the folder to write (created; must be empty unless --force)")
    p.add_argument("--outlet", action="append", metavar="NAME", help="record only this outlet (repeatable)")
    p.add_argument(
        "--max-pages",
        type=int,
        default=0,
        metavar="N",
        help="at most N requests per outlet besides robots.txt: feeds, sitemaps, listings, articles (0: no cap)",
    )
    p.add_argument(
        "--max-page-mb", type=float, default=5.0, metavar="MB", help="bigger bodies are not kept (%(default)s)"
    )
    p.add_argument("--max-total-mb", type=float, default=200.0, metavar="MB", help="stop recording here (%(default)s)")
    p.add_argument("--force", action="store_true", help="replace an earlier recording in DIR")
    p.add_argument("--json", action="store_true", help="the summary as JSON on stdout")
    # for tests and trying it offline: record a replay of a snapshot (--snapshot SRC, $CRAWLER_SNAPSHOT or
    # the bundled one) instead of the live sites
    p.add_argument("--replay", action="store_true", help=argparse.SUPPRESS)
    p.add_argument("--snapshot", metavar="SRC", help=argparse.SUPPRESS)
    p.epilog = (
        "Nothing is written to the database: the pass uses a temporary one. No cookie is stored. "
        "Exit status: 0 every outlet recorded something, 1 an outlet recorded nothing, 2 bad DIR or usage."
    )

    p = command(ssub, "check", _check, "Replay the snapshot in DIR and show each article it yields, per outlet.")
    p.add_argument("dir", metavar="DIR", help="a snapshot folder (a recording, or crawler/snapshot)")
    p.add_argument("--outlet", action="append", metavar="NAME", help="check only this outlet (repeatable)")
    p.add_argument("--json", action="store_true", help="per outlet, the articles and failures as JSON on stdout")
    p.epilog = (
        "Each article: title, date, author, length, first line, and '!' lines for what the golden checks "
        "flag (no title, no date, a body under 200 characters, page chrome). "
        "Exit status: 0 every outlet stored an article, 1 an outlet stored nothing, 2 DIR is not a usable snapshot."
    )


def _record(args: argparse.Namespace) -> int:
    from crawler.errors import UsageError
    from crawler.recording import record

    if args.max_page_mb <= 0 or args.max_total_mb <= 0:
        raise UsageError("--max-page-mb and --max-total-mb must be greater than 0")
    if args.max_pages < 0:
        raise UsageError("--max-pages must be 0 (no cap) or more")
    result = record(
        args.dir,
        outlets=args.outlet,
        max_pages=args.max_pages,
        page_bytes=int(args.max_page_mb * MB),
        total_bytes=int(args.max_total_mb * MB),
        force=args.force,
        replay=bool(args.replay or args.snapshot),
        source=args.snapshot,
        progress=not args.json,
    )
    print(json.dumps(result.as_json(), ensure_ascii=False, indent=2) if args.json else result.text())
    return 0 if result.ok else 1


def _check(args: argparse.Namespace) -> int:
    from crawler import snapshot_check

    checks = snapshot_check.check_snapshot(args.dir, args.outlet)
    if args.json:
        print(json.dumps(snapshot_check.as_json(checks), ensure_ascii=False, indent=2))
    else:
        print(snapshot_check.text(checks))
    return 0 if all(check.stored for check in checks) else 1
