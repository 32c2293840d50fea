"""crawler run: one crawl pass."""

from __future__ import annotations

import argparse
import json

from crawler.cli.common import add_snapshot_option, command, db_exists, wants_replay


def add_run(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "run", _run, "One crawl pass over all (or the named) outlets, then exit.")
    p.add_argument("--outlet", action="append", metavar="NAME", help="crawl only this outlet (repeatable)")
    p.add_argument("--replay", action="store_true", help="crawl an offline snapshot over loopback (see --snapshot)")
    add_snapshot_option(p)
    p.add_argument("--json", action="store_true", help="per-outlet statistics as JSON on stdout")
    p.epilog = "Exit status: 0 every outlet succeeded, 1 an outlet failed, 3 another run holds the lock."


def _run(args: argparse.Namespace) -> int:
    from crawler.cli.common import say_db
    from crawler.run import run_pass

    say_db(args.db, created=not db_exists(args.db))
    result = run_pass(
        args.db, outlets=args.outlet, replay=wants_replay(args), snapshot=args.snapshot, progress=not args.json
    )
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(result.table())
    return 0 if result.ok else 1
