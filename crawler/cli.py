"""The ``crawler`` command. Each command is a thin adapter: parse, call a plain function, print.

Errors from ``crawler.errors`` become one line on stderr and a non-zero exit; a traceback means a bug.
"""

from __future__ import annotations

import argparse
import json
import os
import sqlite3
import sys
from collections.abc import Callable, Sequence
from typing import TYPE_CHECKING

from crawler import __version__
from crawler.errors import CrawlerError

if TYPE_CHECKING:
    import sqlite_utils

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
    _add_run(sub)
    _add_queue(sub)
    _add_classify(sub)
    _add_rules(sub)
    _add_export(sub)
    _add_config(parser)
    _add_status(sub)
    _add_backup(sub)
    _add_schedule(sub)
    _add_doctor(sub)
    _add_review(sub)
    _add_user(sub)
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
    _add_queue_decisions(qsub)


def _queue_list(args: argparse.Namespace) -> int:
    from crawler.store import articles

    db = _open_db(args.db)
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


# --- crawler classify / crawler rules --------------------------------------------------------------


def _add_classify(sub: argparse._SubParsersAction) -> None:
    p = _command(
        sub,
        "classify",
        _classify,
        "Classify JSON Lines from stdin ({id, title, text, lang?}) into rubrics, JSON Lines on stdout.",
    )
    p.add_argument("--rules", default=_rules_dir(), metavar="DIR", help="rules folder (default: %(default)s)")
    p.epilog = "A bad line is reported on stderr with its number; the others are still classified (exit 1)."


def _classify(args: argparse.Namespace) -> int:
    from crawler.rules import load_rules

    rules = load_rules(args.rules)
    bad = 0
    for number, line in enumerate(sys.stdin, 1):
        if not line.strip():
            continue
        try:
            obj = json.loads(line)
        except json.JSONDecodeError as exc:
            print(f"crawler: line {number}: not valid JSON ({exc.msg}, column {exc.colno})", file=sys.stderr)
            bad += 1
            continue
        problem = _classify_problem(obj)
        if problem:
            print(f"crawler: line {number}: {problem}", file=sys.stderr)
            bad += 1
            continue
        result = rules.classify(obj.get("title") or "", obj["text"], obj.get("lang"))
        sys.stdout.write(json.dumps({"id": obj.get("id"), **result.as_json()}, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    if bad:
        print(f"crawler: {bad} line(s) could not be classified", file=sys.stderr)
    return 1 if bad else 0


def _classify_problem(obj: object) -> str | None:
    if not isinstance(obj, dict):
        return "expected a JSON object {id, title, text}"
    if "text" not in obj or obj["text"] is None:
        return 'missing "text"'
    for key in ("text", "title", "lang"):
        if obj.get(key) is not None and not isinstance(obj[key], str):
            return f'"{key}" must be a string'
    return None


def _add_rules(sub: argparse._SubParsersAction) -> None:
    rules = sub.add_parser(
        "rules", help="Lint, evaluate and re-apply the rubric rules.", description="The rubric rules."
    )
    rsub = rules.add_subparsers(title="rules commands", metavar="RULES_COMMAND")
    rules.set_defaults(handler=lambda _args: rules.print_help() or 2)
    p = _command(rsub, "check", _rules_check, "Lint the rules: every problem with file, line and rubric.")
    p.add_argument(
        "dir",
        nargs="?",
        default=_rules_dir(),
        metavar="DIR",
        help="rules folder (default: %(default)s)",
    )
    p = _command(
        rsub,
        "eval",
        _rules_eval,
        "Precision, recall, F1 per rubric and a confusion table on a labelled file.",
    )
    p.add_argument("file", metavar="FILE.jsonl", help='labelled JSON Lines: {"title","text","rubric"(or null),...}')
    p.add_argument("--rules", default=_rules_dir(), metavar="DIR", help="rules folder (default: %(default)s)")
    p.add_argument("--errors", action="store_true", help="also list every wrong suggestion")
    p.add_argument("--json", action="store_true", help="the figures as one JSON object")
    p = _command(rsub, "apply", _rules_apply, "Re-classify stored candidate/ignored articles with the current rules.")
    p.add_argument("--since", metavar="DATE", help="only articles fetched on or after DATE (ISO 8601, e.g. 2025-11-01)")
    p.add_argument("--rules", default=_rules_dir(), metavar="DIR", help="rules folder (default: %(default)s)")
    p.epilog = "Approved, rejected and exported articles are never touched."


def _rules_check(args: argparse.Namespace) -> int:
    from crawler.rules import check_rules, load_rules

    problems = check_rules(args.dir)
    for problem in problems:
        print(problem, file=sys.stderr)
    if problems:
        print(f"crawler: {len(problems)} problem(s) in {args.dir}", file=sys.stderr)
        return 1
    rules = load_rules(args.dir)
    print(f"{args.dir}: ok, {len(rules.rubrics)} rubrics, {rules.term_count} terms")
    return 0


def _rules_eval(args: argparse.Namespace) -> int:
    from crawler.rules import evaluate, load_rules, read_labelled

    rules = load_rules(args.rules)
    result = evaluate(rules, read_labelled(args.file))
    if args.json:
        print(json.dumps(result.as_json(), ensure_ascii=False, indent=2))
    else:
        print(result.report(show_errors=args.errors))
    return 0


def _rules_apply(args: argparse.Namespace) -> int:
    from datetime import date

    from crawler.errors import UsageError
    from crawler.rules import load_rules
    from crawler.store.classifications import reclassify

    if args.since:
        try:
            date.fromisoformat(args.since[:10])
        except ValueError:
            raise UsageError(f"--since {args.since!r}: expected a date like 2025-11-01") from None
    rules = load_rules(args.rules)
    counts = reclassify(_open_db(args.db), rules.classify, since=args.since)
    print(
        f"re-classified {counts['seen']} article(s): {counts['candidate']} candidate,"
        f" {counts['ignored']} ignored ({counts['promoted']} promoted, {counts['demoted']} demoted,"
        f" {counts['skipped']} decided meanwhile)"
    )
    return 0


# --- crawler queue approve / reject / edit / move ---------------------------------------------------


def _add_queue_decisions(qsub: argparse._SubParsersAction) -> None:
    p = _command(qsub, "approve", _queue_approve, "Approve an article for the next bulletin.")
    p.add_argument("id", type=int, help="article id")
    p.add_argument("--rubric", help="the rubric to file it under (default: the suggested one)")
    _decision_options(p)
    p = _command(qsub, "reject", _queue_reject, "Reject an article (it leaves the queue).")
    p.add_argument("id", type=int, help="article id")
    p.add_argument("--reason", help="why, for the other monitors")
    _decision_options(p)
    p = _command(qsub, "edit", _queue_edit, "Replace an article's title and/or text in the bulletin.")
    p.add_argument("id", type=int, help="article id")
    p.add_argument("--title", help="the new title ('' drops the edit)")
    p.add_argument("--text-file", metavar="F", help="UTF-8 file with the new text, paragraphs separated by blank lines")
    _decision_options(p)
    p = _command(qsub, "move", _queue_move, "Reorder an approved article inside its rubric, or move it to another.")
    p.add_argument("id", type=int, help="article id")
    p.add_argument("direction", nargs="?", choices=("up", "down"), help="one place up or down inside its rubric")
    p.add_argument("--rubric", help="move it (last) into this rubric instead")
    _decision_options(p)


def _decision_options(p: argparse.ArgumentParser) -> None:
    p.add_argument("--user", help="who decides (default: the login name)")
    p.add_argument("--expect", metavar="STATUS", help="fail unless the article is still in this state")


def _decision_context(args: argparse.Namespace) -> tuple[object, str, str]:
    from crawler.errors import NotFound
    from crawler.store.articles import get_article

    db = _open_db(args.db)
    row = get_article(db, args.id)
    if row is None:
        raise NotFound(f"no article with id {args.id}")
    return db, _cli_user(args), args.expect or row["status"]


def _cli_user(args: argparse.Namespace) -> str:
    import getpass

    if getattr(args, "user", None):
        return str(args.user)
    try:
        return getpass.getuser()
    except (KeyError, OSError):  # no login name in a bare container
        return "cli"


def _open_db(path: str) -> sqlite_utils.Database:
    """The database with the busy timeout (and test page limit) of crawler/settings.py or the environment."""
    from crawler.config import db_options
    from crawler.store import open_db

    return open_db(path, **db_options())


def _rules_dir() -> str:
    from crawler import settings

    return settings.CRAWLER_RULES_DIR


def _print_decision(row: dict) -> None:
    rubric = row["approved_rubric"] or row["rubric"] or "—"
    place = f" #{row['position']}" if row["status"] == "approved" and row["position"] else ""
    print(f"{row['id']}  {row['status']}  {rubric}{place}  {row['edited_title'] or row['title'] or ''}")


def _queue_approve(args: argparse.Namespace) -> int:
    from crawler.bulletin.model import rubric_order
    from crawler.store import decisions

    db, user, expected = _decision_context(args)
    row = decisions.approve(
        db, args.id, user=user, expected=expected, rubric=args.rubric, rubrics=rubric_order(_rules_dir())
    )
    _print_decision(row)
    return 0


def _queue_reject(args: argparse.Namespace) -> int:
    from crawler.store import decisions

    db, user, expected = _decision_context(args)
    _print_decision(decisions.reject(db, args.id, user=user, expected=expected, reason=args.reason))
    return 0


def _queue_edit(args: argparse.Namespace) -> int:
    from pathlib import Path

    from crawler.errors import UsageError
    from crawler.store import decisions

    text = None
    if args.text_file:
        try:
            text = sys.stdin.read() if args.text_file == "-" else Path(args.text_file).read_text("utf-8")
        except (OSError, UnicodeDecodeError) as exc:
            raise UsageError(f"cannot read {args.text_file}: {getattr(exc, 'strerror', None) or exc}") from exc
    db, user, expected = _decision_context(args)
    _print_decision(decisions.edit(db, args.id, user=user, expected=expected, title=args.title, text=text))
    return 0


def _queue_move(args: argparse.Namespace) -> int:
    from crawler.bulletin.model import rubric_order
    from crawler.errors import UsageError
    from crawler.store import decisions

    if bool(args.direction) == bool(args.rubric):
        raise UsageError("say where to: up, down or --rubric NAME")
    db, user, expected = _decision_context(args)
    if args.rubric:
        row = decisions.change_rubric(
            db, args.id, args.rubric, user=user, expected=expected, rubrics=rubric_order(_rules_dir())
        )
    else:
        row = decisions.move(db, args.id, -1 if args.direction == "up" else 1, user=user, expected=expected)
    _print_decision(row)
    return 0


# --- crawler export -------------------------------------------------------------------------------


def _add_export(sub: argparse._SubParsersAction) -> None:
    from crawler.bulletin.export import FORMATS

    p = _command(sub, "export", _export, "The next bulletin from the approved items (marks them exported).")
    p.add_argument("--format", required=True, choices=FORMATS, help="txt (the sample's layout), docx, html or md")
    p.add_argument("--out", metavar="PATH", help="file, or folder for bulletin-<N>-<date>.<ext> (default: here)")
    p.add_argument("--draft", action="store_true", help="render the next bulletin without marking anything")
    p.add_argument("--bulletin", type=int, metavar="N", help="re-render bulletin N as it went out")
    p.add_argument("--heading", help="a heading line, e.g. 'Бюллетень № {number} от {date}' (default: none)")
    p.add_argument("--user", help="who exports (default: the login name)")


def _export(args: argparse.Namespace) -> int:
    from crawler.bulletin.export import DEFAULT_FILENAME, export_bulletin
    from crawler.config import scrapy_settings

    settings = scrapy_settings()
    heading = args.heading if args.heading is not None else settings.get("CRAWLER_BULLETIN_HEADING", "")
    result = export_bulletin(
        _open_db(args.db),
        args.format,
        user=_cli_user(args),
        out=args.out,
        draft=args.draft,
        number=args.bulletin,
        rules_dir=_rules_dir(),
        heading=heading or "",
        filename=settings.get("CRAWLER_BULLETIN_FILENAME", DEFAULT_FILENAME),
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


# --- operations: settings file, status, backup, schedule, doctor ------------------------------------


class _ConfigAction(argparse.Action):
    """``--config FILE``: checked at once (a broken file stops the command before it starts) and handed
    to every later reader, including the scheduler's child passes, through ``CRAWLER_CONFIG``."""

    def __call__(
        self, parser: argparse.ArgumentParser, namespace: argparse.Namespace, values: object, *_: object
    ) -> None:
        from crawler.config import CONFIG_ENV, load_config
        from crawler.errors import ConfigError

        path = os.path.abspath(str(values))
        try:
            config = load_config(path)
        except ConfigError as exc:
            parser.exit(ConfigError.exit_code, f"crawler: error: {exc}\n")
        os.environ[CONFIG_ENV] = path
        setattr(namespace, self.dest, path)
        if namespace.db == parser.get_default("db") and not os.environ.get("CRAWLER_DB"):
            namespace.db = config["db"]


def _add_config(parser: argparse.ArgumentParser) -> None:
    import contextlib

    from crawler.config import CONFIG_ENV, load_config
    from crawler.errors import ConfigError

    parser.add_argument(
        "--config",
        action=_ConfigAction,
        metavar="FILE",
        help="settings file overriding crawler/defaults.toml key by key (default: $CRAWLER_CONFIG)",
    )
    if os.environ.get(CONFIG_ENV) and not os.environ.get("CRAWLER_DB"):
        # the file named by the environment may name the database too, for every command; a broken
        # file is reported, with key and line, by the command itself before it does anything
        with contextlib.suppress(ConfigError):
            parser.set_defaults(db=load_config()["db"])


def _ops_config(args: argparse.Namespace) -> dict:
    """The effective settings, with the database as the command line resolved it (--db, then
    $CRAWLER_DB, then the settings file's ``db``)."""
    from crawler.config import load_config

    return {**load_config(), "db": args.db}


# --- crawler status -------------------------------------------------------------------------------


def _add_status(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "status", _status, "Per-outlet health from the run history, with warnings.")
    p.add_argument("--json", action="store_true", help="the whole report as JSON on stdout")
    p.add_argument("--notify", action="store_true", help="send an alert if health changed (for cron; schedule does it)")
    p.epilog = "Exit status: 0 healthy (no warning), 1 unhealthy, 2 the database or settings cannot be used."


def _status(args: argparse.Namespace) -> int:
    from crawler import health

    config = _ops_config(args)
    db = _open_db(config["db"])
    report = health.status(db, _outlet_list(), config=config)
    if args.notify:
        from crawler.alerts import notify_change

        notify_change(db, report, config)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(report.text())
    return 0 if report.healthy else 1


def _outlet_list() -> list[str]:
    from crawler.outlets import load_outlets

    return list(load_outlets())


# --- crawler backup -------------------------------------------------------------------------------


def _add_backup(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "backup", _backup, "A consistent copy of the database, safe while the crawler runs.")
    p.add_argument("path", metavar="PATH", help="the backup file, or a folder to put a dated one in")
    p.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    p.epilog = "Restore: stop the crawler, copy the backup over the database, delete its -wal and -shm files."


def _backup(args: argparse.Namespace) -> int:
    from crawler.backup import backup_database
    from crawler.config import db_options

    config = _ops_config(args)
    result = backup_database(config["db"], args.path, overwrite=args.force, busy_timeout=db_options()["busy_timeout"])
    size = result.bytes / 1_000_000
    print(f"backed up {config['db']} to {result.path} ({size:.1f} MB, integrity ok, {result.seconds:.1f} s)")
    return 0


# --- crawler schedule -----------------------------------------------------------------------------


def _add_schedule(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "schedule", _schedule, "Run a crawl pass every N minutes until stopped (SIGTERM or Ctrl-C).")
    p.add_argument(
        "--interval", type=float, metavar="MINUTES", help="minutes between passes (settings: interval_minutes)"
    )
    p.add_argument("--quiet-hours", metavar="HH:MM-HH:MM", help="local hours with no pass (settings: quiet_hours)")
    p.add_argument("--outlet", action="append", metavar="NAME", help="crawl only this outlet (repeatable)")
    p.add_argument("--replay", action="store_true", help="crawl the bundled offline snapshot (for trying it out)")
    p.add_argument("--passes", type=int, default=0, metavar="N", help="stop after N passes (default: never)")
    p.epilog = "Exit status: 0 stopped cleanly, 2 the settings or database cannot be used."


def _schedule(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from crawler.config import QUIET_HOURS
    from crawler.errors import UsageError
    from crawler.schedule import Scheduler, setup_logging

    config = _ops_config(args)
    if args.interval is not None and args.interval <= 0:
        raise UsageError("--interval must be greater than 0 minutes")
    if args.quiet_hours is not None:
        if args.quiet_hours and not QUIET_HOURS.match(args.quiet_hours):
            raise UsageError('--quiet-hours must look like "23:00-06:00"')
        config["quiet_hours"] = args.quiet_hours
    _open_db(config["db"])  # a database that cannot be used stops us now, not at every pass
    setup_logging(config)
    interval = timedelta(minutes=args.interval) if args.interval is not None else None
    scheduler = Scheduler(
        config, interval=interval, replay=args.replay, outlets=args.outlet or (), max_passes=args.passes
    )
    return scheduler.run()


# --- crawler doctor -------------------------------------------------------------------------------


def _add_doctor(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "doctor", _doctor, "Probe every outlet's discovery strategies and say which work today.")
    p.add_argument("--outlet", action="append", metavar="NAME", help="probe only this outlet (repeatable)")
    p.add_argument("--replay", action="store_true", help="probe the bundled offline snapshot instead of the live sites")
    p.add_argument("--json", action="store_true", help="one JSON object per strategy on stdout")
    p.epilog = "Exit status: 0 every outlet has a working strategy, 1 an outlet has none, 2 no network or bad usage."


def _doctor(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from crawler.config import load_config
    from crawler.doctor import probe, table

    load_config()  # a broken settings file is reported before anything is fetched
    rows = probe(args.outlet, replay=args.replay)
    if args.json:
        for row in rows:
            print(json.dumps(asdict(row), ensure_ascii=False))
    else:
        print(table(rows))
    broken = {row.outlet for row in rows} - {row.outlet for row in rows if row.ok}
    return 1 if broken else 0


# --- crawler review / crawler user ------------------------------------------------------------------


def _add_review(sub: argparse._SubParsersAction) -> None:
    p = _command(sub, "review", _review, "The monitors' web page (binds 127.0.0.1 unless told otherwise).")
    p.add_argument("--host", default="127.0.0.1", help="address to bind (default: %(default)s)")
    p.add_argument("--port", type=int, default=8080, help="port (default: %(default)s)")


def _review(args: argparse.Namespace) -> int:
    from werkzeug.serving import make_server

    from crawler.errors import UsageError
    from crawler.store import users
    from crawler.web import create_app

    # Exposed beyond this machine, the page must never run without accounts: it changes the bulletin.
    if not _is_loopback(args.host) and users.count_users(_open_db(args.db)) == 0:
        raise UsageError(
            f"refusing to listen on {args.host}: no account exists yet; create one with `crawler user add NAME`"
            " or bind 127.0.0.1"
        )
    app = create_app(args.db, rules_dir=_rules_dir())
    try:
        server = make_server(args.host, args.port, app, threaded=True)
    except OSError as exc:
        raise UsageError(f"cannot listen on {args.host}:{args.port}: {exc.strerror or exc}") from exc
    print(f"review page on http://{args.host}:{args.port}/ (Ctrl-C stops it)", file=sys.stderr)
    server.serve_forever()
    return 0


def _is_loopback(host: str) -> bool:
    import ipaddress

    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def _add_user(sub: argparse._SubParsersAction) -> None:
    user = sub.add_parser("user", help="Monitor accounts.", description="Monitor accounts for the review page.")
    usub = user.add_subparsers(title="user commands", metavar="USER_COMMAND")
    user.set_defaults(handler=lambda _args: user.print_help() or 2)
    p = _command(usub, "add", _user_add, "Create a monitor account (password from stdin when it is not a terminal).")
    p.add_argument("name", help="login name")


def _user_add(args: argparse.Namespace) -> int:
    import getpass

    from crawler.errors import UsageError
    from crawler.store import users

    if sys.stdin.isatty():
        password = getpass.getpass("Password: ")
        if getpass.getpass("Again: ") != password:
            raise UsageError("the passwords differ")
    else:
        password = sys.stdin.readline().rstrip("\r\n")
    users.add_user(_open_db(args.db), args.name, password)
    print(f"user {args.name} added")
    return 0
