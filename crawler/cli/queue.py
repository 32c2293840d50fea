"""crawler queue: list, approve, reject, edit, move from the shell."""

from __future__ import annotations

import argparse
import json
import sys

from crawler.cli.common import cli_user, command, open_db, rules_dir, whole_number

MAX_TEXT_BYTES = 2_000_000  # `queue edit --text-file`: an article's text is a few tens of kilobytes


def add_queue(sub: argparse._SubParsersAction) -> None:
    queue = sub.add_parser("queue", help="The review queue from the shell.", description="The review queue.")
    qsub = queue.add_subparsers(title="queue commands", metavar="QUEUE_COMMAND")
    queue.set_defaults(handler=lambda _args: queue.print_help() or 2)
    p = command(qsub, "list", _queue_list, "List articles in the queue (candidates by default).")
    p.add_argument("--status", default="candidate", help="candidate, ignored, approved, rejected, exported or all")
    p.add_argument("--outlet", help="only this outlet")
    p.add_argument("--limit", type=whole_number, default=0, help="at most this many (0: all)")
    p.add_argument("--json", action="store_true", help="one JSON object per line")
    _add_queue_decisions(qsub)


def _queue_list(args: argparse.Namespace) -> int:
    from crawler.store import articles

    db = open_db(args.db, write=False)
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


def _add_queue_decisions(qsub: argparse._SubParsersAction) -> None:
    p = command(qsub, "approve", _queue_approve, "Approve an article for the next bulletin.")
    p.add_argument("id", type=whole_number, help="article id")
    p.add_argument("--rubric", help="the rubric to file it under (default: the suggested one)")
    _decision_options(p)
    p = command(qsub, "reject", _queue_reject, "Reject an article (it leaves the queue).")
    p.add_argument("id", type=whole_number, help="article id")
    p.add_argument("--reason", help="why, for the other monitors")
    _decision_options(p)
    p = command(qsub, "edit", _queue_edit, "Replace an article's title and/or text in the bulletin.")
    p.add_argument("id", type=whole_number, help="article id")
    p.add_argument("--title", help="the new title ('' drops the edit)")
    p.add_argument("--text-file", metavar="F", help="UTF-8 file with the new text, paragraphs separated by blank lines")
    p.add_argument(
        "--expect-version",
        type=whole_number,
        metavar="N",
        help="fail unless the article is still at this version (`queue list --json` shows it)",
    )
    _decision_options(p)
    p = command(qsub, "move", _queue_move, "Reorder an approved article inside its rubric, or move it to another.")
    p.add_argument("id", type=whole_number, help="article id")
    p.add_argument("direction", nargs="?", choices=("up", "down"), help="one place up or down inside its rubric")
    p.add_argument("--rubric", help="move it (last) into this rubric instead")
    _decision_options(p)


def _decision_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", help="who decides (default: the login name)")
    p.add_argument("--expect", metavar="STATUS", help="fail unless the article is still in this state")


def _decision_context(args: argparse.Namespace) -> tuple[object, str, str]:
    from crawler.errors import NotFound
    from crawler.store.articles import get_article

    db = open_db(args.db, write=True, create=False)
    row = get_article(db, args.id)
    if row is None:
        raise NotFound(f"no article with id {args.id}")
    return db, cli_user(args), args.expect or row["status"]


def _print_decision(row: dict) -> None:
    rubric = row["approved_rubric"] or row["rubric"] or "—"
    place = f" #{row['position']}" if row["status"] == "approved" and row["position"] else ""
    print(f"{row['id']}  {row['status']}  {rubric}{place}  {row['edited_title'] or row['title'] or ''}")


def _queue_approve(args: argparse.Namespace) -> int:
    from crawler.bulletin.model import rubric_order
    from crawler.store import decisions

    db, user, expected = _decision_context(args)
    row = decisions.approve(
        db, args.id, user=user, expected=expected, rubric=args.rubric, rubrics=rubric_order(rules_dir())
    )
    _print_decision(row)
    return 0


def _queue_reject(args: argparse.Namespace) -> int:
    from crawler.store import decisions

    db, user, expected = _decision_context(args)
    _print_decision(decisions.reject(db, args.id, user=user, expected=expected, reason=args.reason))
    return 0


def _queue_edit(args: argparse.Namespace) -> int:
    from crawler.store import decisions

    text = _read_text_file(args.text_file) if args.text_file else None
    db, user, expected = _decision_context(args)
    row = decisions.edit(
        db, args.id, user=user, expected=expected, title=args.title, text=text, version=args.expect_version
    )
    _print_decision(row)
    return 0


def _read_text_file(name: str) -> str:
    """The new text from ``name`` ('-': stdin): only a regular file (or stdin) of at most MAX_TEXT_BYTES
    of UTF-8 — a device such as /dev/zero, a folder or a FIFO is refused at once, not read forever."""
    import os
    import stat

    from crawler.errors import UsageError

    try:
        if name == "-":
            data = sys.stdin.buffer.read(MAX_TEXT_BYTES + 1)
        else:
            descriptor = os.open(name, os.O_RDONLY | os.O_NONBLOCK)  # a FIFO must not block the open
            with os.fdopen(descriptor, "rb", buffering=0) as handle:
                if not stat.S_ISREG(os.fstat(descriptor).st_mode):
                    raise UsageError(f"--text-file {name}: not a regular file")
                data = handle.read(MAX_TEXT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {name}: {exc.strerror or exc}") from exc
    if len(data) > MAX_TEXT_BYTES:
        raise UsageError(
            f"--text-file {name}: larger than {MAX_TEXT_BYTES // 1_000_000} MB; an article text is far smaller"
        )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise UsageError(f"--text-file {name}: not UTF-8 text (byte {exc.start})") from exc


def _queue_move(args: argparse.Namespace) -> int:
    from crawler.bulletin.model import rubric_order
    from crawler.errors import UsageError
    from crawler.store import decisions

    if bool(args.direction) == bool(args.rubric):
        raise UsageError("say where to: up, down or --rubric NAME")
    db, user, expected = _decision_context(args)
    if args.rubric:
        row = decisions.change_rubric(
            db, args.id, args.rubric, user=user, expected=expected, rubrics=rubric_order(rules_dir())
        )
    else:
        row = decisions.move(db, args.id, -1 if args.direction == "up" else 1, user=user, expected=expected)
    _print_decision(row)
    return 0
