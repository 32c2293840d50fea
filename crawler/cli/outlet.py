"""crawler outlet add: a new outlet's declaration written from what its site shows."""

from __future__ import annotations

import argparse
import json
import sys

from crawler.cli.common import add_snapshot_option, command, wants_replay


def add_outlet_group(sub: argparse._SubParsersAction) -> None:
    outlet = sub.add_parser("outlet", help="Add an outlet.", description="Add an outlet without writing code.")
    osub = outlet.add_subparsers(title="outlet commands", metavar="OUTLET_COMMAND")
    outlet.set_defaults(handler=lambda _args: outlet.print_help() or 2)
    p = command(
        osub,
        "add",
        _outlet_add,
        "Probe a site with the crawler's own discovery, infer its article pattern and page rules from samples, "
        "and write spiders/NAME.py.",
    )
    p.add_argument("home", metavar="HOME_URL", help="the site's home page, e.g. https://example.kz/")
    p.add_argument("--name", required=True, help="outlet name = spider name = file name (lower case, e.g. irtysh)")
    p.add_argument("--credit", metavar="TEXT", help="the bulletin's byline credit (default: from the site's name)")
    p.add_argument("--replay", action="store_true", help="probe an offline snapshot over loopback (see --snapshot)")
    add_snapshot_option(p)
    p.add_argument("--samples", type=int, default=8, metavar="N", help="sample articles test-extracted (default: 8)")
    p.add_argument("--dry-run", action="store_true", help="print the file and the report, write nothing")
    p.add_argument("--force", action="store_true", help="overwrite an existing spiders/NAME.py")
    p.add_argument("--json", action="store_true", help="the report (and the file's text) as JSON on stdout")
    p.epilog = (
        "Exit status: 0 written (or printed with --dry-run); 2 nothing written: bad usage, a name that exists, "
        "an unreachable home page, robots.txt forbids it, no article found, or a pattern that would also take "
        "the home or tag pages."
    )


def _outlet_add(args: argparse.Namespace) -> int:
    from crawler.errors import UsageError
    from crawler.outlet_add import add_outlet

    if args.samples < 2:
        raise UsageError("--samples must be at least 2")
    outcome = add_outlet(
        args.home,
        args.name,
        credit=args.credit,
        replay=wants_replay(args),
        snapshot=args.snapshot,
        dry_run=args.dry_run,
        force=args.force,
        sample_size=args.samples,
    )
    if args.json:
        print(json.dumps({**outcome.as_json(), "source": outcome.source}, ensure_ascii=False, indent=2))
    else:
        if args.dry_run:
            print(outcome.source)
        print(outcome.text(), file=sys.stderr if args.dry_run else sys.stdout)
    return 0
