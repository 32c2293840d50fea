"""Operations: the settings file, status, backup, schedule, doctor."""

from __future__ import annotations

import argparse
import json
import os

from crawler.cli.common import (
    add_snapshot_option,
    command,
    db_exists,
    flush_db_notes,
    open_db,
    ops_config,
    outlet_list,
    wants_replay,
    whole_number,
)


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


def add_config(parser: argparse.ArgumentParser) -> None:
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


def add_status(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "status", _status, "Per-outlet health from the run history, with warnings.")
    p.add_argument("--json", action="store_true", help="the whole report as JSON on stdout")
    p.add_argument("--notify", action="store_true", help="send an alert if health changed (for cron; schedule does it)")
    p.epilog = "Exit status: 0 healthy (no warning), 1 unhealthy, 2 the database or settings cannot be used."


def _status(args: argparse.Namespace) -> int:
    from crawler import health

    config = ops_config(args)
    if args.notify or not db_exists(config["db"]):  # one line for a missing database; --notify writes
        db = open_db(config["db"], write=False)
    else:  # only reads: without sqlite-utils when the schema is current (a faster start)
        from crawler.config import db_options
        from crawler.store.db import open_reader

        db = open_reader(config["db"], **db_options())
    report = health.status(db, outlet_list(), config=config)
    if args.notify:
        from crawler.alerts import notify_change

        notify_change(db, report, config)
    if args.json:
        print(json.dumps(report.as_json(), ensure_ascii=False, indent=2))
    else:
        print(report.text())
    return 0 if report.healthy else 1


def add_backup(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "backup", _backup, "A consistent copy of the database, safe while the crawler runs.")
    p.add_argument("path", metavar="PATH", help="the backup file, or a folder to put a dated one in")
    p.add_argument("--force", action="store_true", help="overwrite PATH if it exists")
    p.add_argument("--json", action="store_true", help="the result as JSON on stdout (and no progress bar)")
    p.epilog = "Restore: stop the crawler, copy the backup over the database, delete its -wal and -shm files."


def _backup(args: argparse.Namespace) -> int:
    from crawler.backup import backup_database
    from crawler.config import db_options

    config = ops_config(args)
    result = backup_database(
        config["db"], args.path, overwrite=args.force, busy_timeout=db_options()["busy_timeout"], quiet=args.json
    )
    if args.json:
        print(
            json.dumps(
                {"path": str(result.path), "bytes": result.bytes, "pages": result.pages, "seconds": result.seconds}
            )
        )
        return 0
    size = result.bytes / 1_000_000
    print(f"backed up {config['db']} to {result.path} ({size:.1f} MB, integrity ok, {result.seconds:.1f} s)")
    return 0


def add_schedule(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "schedule", _schedule, "Run a crawl pass every N minutes until stopped (SIGTERM or Ctrl-C).")
    p.add_argument(
        "--interval", type=float, metavar="MINUTES", help="minutes between passes (settings: interval_minutes)"
    )
    p.add_argument("--quiet-hours", metavar="HH:MM-HH:MM", help="local hours with no pass (settings: quiet_hours)")
    p.add_argument("--outlet", action="append", metavar="NAME", help="crawl only this outlet (repeatable)")
    p.add_argument("--replay", action="store_true", help="crawl the bundled offline snapshot (for trying it out)")
    p.add_argument("--passes", type=whole_number, default=0, metavar="N", help="stop after N passes (default: never)")
    p.epilog = "Exit status: 0 stopped cleanly, 2 the settings or database cannot be used."


def _schedule(args: argparse.Namespace) -> int:
    from datetime import timedelta

    from crawler.config import QUIET_HOURS
    from crawler.errors import UsageError
    from crawler.schedule import Scheduler, setup_logging

    config = ops_config(args)
    if args.interval is not None and not 0 < args.interval <= 7 * 24 * 60:  # also refuses inf and nan
        raise UsageError("--interval must be greater than 0 and at most 10080 minutes (a week)")
    if args.quiet_hours is not None:
        if args.quiet_hours and not QUIET_HOURS.match(args.quiet_hours):
            raise UsageError('--quiet-hours must look like "23:00-06:00"')
        config["quiet_hours"] = args.quiet_hours
    setup_logging(config)  # a log file that cannot be opened stops us before anything is written
    open_db(config["db"], write=True)  # a database that cannot be used stops us now, not at every pass
    flush_db_notes()
    interval = timedelta(minutes=args.interval) if args.interval is not None else None
    scheduler = Scheduler(
        config, interval=interval, replay=args.replay, outlets=args.outlet or (), max_passes=args.passes
    )
    return scheduler.run()


def add_doctor(sub: argparse._SubParsersAction) -> None:
    p = command(sub, "doctor", _doctor, "Probe every outlet's discovery strategies and say which work today.")
    p.add_argument("--outlet", action="append", metavar="NAME", help="probe only this outlet (repeatable)")
    p.add_argument("--replay", action="store_true", help="probe an offline snapshot instead of the live sites")
    add_snapshot_option(p)
    p.add_argument("--json", action="store_true", help="one JSON object per strategy on stdout")
    p.epilog = (
        "Exit status: 0 every outlet has a strategy that finds articles, 1 an outlet has none,"
        " 2 no network or bad usage."
    )


def _doctor(args: argparse.Namespace) -> int:
    from dataclasses import asdict

    from crawler.config import load_config
    from crawler.doctor import probe, table

    load_config()  # a broken settings file is reported before anything is fetched
    rows = probe(args.outlet, replay=wants_replay(args), snapshot=args.snapshot)
    if args.json:
        for row in rows:
            print(json.dumps(asdict(row), ensure_ascii=False))
    else:
        print(table(rows))
    broken = {row.outlet for row in rows} - {row.outlet for row in rows if row.ok and row.articles}
    return 1 if broken else 0
