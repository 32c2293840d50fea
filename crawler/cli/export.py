"""crawler export: the next bulletin."""

from __future__ import annotations

import argparse
import sys

from crawler.cli.common import cli_user, command, open_db, rules_dir, whole_number


def add_export(sub: argparse._SubParsersAction) -> None:
    from crawler.bulletin import FORMATS

    p = command(sub, "export", _export, "The next bulletin from the approved items (marks them exported).")
    p.add_argument("--format", required=True, choices=FORMATS, help="txt (the sample's layout), docx, html or md")
    p.add_argument("--out", metavar="PATH", help="file, or folder for bulletin-<N>-<date>.<ext> (default: here)")
    p.add_argument("--draft", action="store_true", help="render the next bulletin without marking anything")
    p.add_argument("--bulletin", type=whole_number, metavar="N", help="re-render bulletin N as it went out")
    p.add_argument("--heading", help="a heading line, e.g. 'Бюллетень № {number} от {date}' (default: none)")
    p.add_argument("--user", help="who exports (default: the login name)")


def _export(args: argparse.Namespace) -> int:
    from crawler.bulletin.export import DEFAULT_FILENAME, export_bulletin
    from crawler.config import scrapy_settings

    settings = scrapy_settings()
    heading = args.heading if args.heading is not None else settings.get("CRAWLER_BULLETIN_HEADING", "")
    result = export_bulletin(
        open_db(args.db, write=not args.draft and args.bulletin is None, create=False),
        args.format,
        user=cli_user(args),
        out=args.out,
        draft=args.draft,
        number=args.bulletin,
        rules_dir=rules_dir(),
        heading=heading or "",
        filename=settings.get("CRAWLER_BULLETIN_FILENAME", DEFAULT_FILENAME),
        bare_url_outlets=settings.getlist("CRAWLER_BULLETIN_BARE_URL_OUTLETS"),
    )
    for warning in result.bulletin.warnings:
        print(f"crawler: warning: {warning}", file=sys.stderr)
    count = len(result.bulletin.items)
    if result.recorded:
        what = f"bulletin {result.bulletin.number}: {count} item(s) exported"
    elif args.bulletin is not None:
        what = f"bulletin {result.bulletin.number} re-rendered ({count} item(s))"
    else:
        what = f"draft of bulletin {result.bulletin.number}: {count} item(s), nothing marked"
    print(f"{what} -> {result.path}")
    return 0
