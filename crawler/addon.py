"""The Scrapy add-on that makes Scrapy's own commands (and so Scrapyd) crawl as ``crawler run`` does.

``crawler run`` builds its settings itself (``crawler.run``). ``scrapy crawl <outlet>`` and the jobs
Scrapyd starts (``scrapy crawl`` inside a zipped egg) only read ``crawler/settings.py``; this add-on,
listed in its ``ADDONS``, completes them before the crawl starts:

- the ops settings (``crawler/defaults.toml``, ``$CRAWLER_CONFIG``, ``CRAWLER_<KEY>``), below any
  ``-s NAME=VALUE``;
- the rules and the snapshot as folders on disk, unpacked from the egg when the code runs from one;
- ``-s CRAWLER_REPLAY=1``: the snapshot served on loopback and ``REPLAY_SETTINGS`` applied;
- ``scrapy crawl`` on its own: the pass's lock and run record, as ``crawler run`` keeps them (the
  crawler's own commands, which build their settings with ``crawler.config.scrapy_settings``, keep them
  themselves);
- ``-s CRAWLER_NODE=<name>`` (set by ``crawler schedule --scrapyd``): a node's job, whose items leave
  through the feed (Scrapyd's items) and whose fetch state stays in the node's own database.
"""

from __future__ import annotations

import logging
import os
import shutil
import sys
import tempfile
import zipfile
from contextlib import ExitStack
from pathlib import Path
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.settings import SETTINGS_PRIORITIES, Settings

from crawler.config import apply_ops_settings, db_options, load_config
from crawler.errors import ConfigError, CrawlerError
from crawler.replay import SNAPSHOT_ENV

logger = logging.getLogger(__name__)
CMDLINE = SETTINGS_PRIORITIES["cmdline"]

# a node's job: extract there (the fetch state needs the canonical key), classify and store centrally
NODE_PIPELINES = {"crawler.pipelines.ExtractPipeline": 100, "crawler.pipelines.WirePipeline": 950}
NODE_EXTENSIONS = {
    "crawler.extensions.JobSummary": -10,  # before the feed exporter (0): its summary is the feed's last line
    "crawler.extensions.NodeLedger": 10,  # after it: a key is remembered only once its item is in the feed
}


class BulletinAddon:
    """Scrapy add-on; see the module's docstring."""

    def __init__(self, crawler: Crawler) -> None:
        self.crawler = crawler
        self.cleanup = ExitStack()  # what the crawl holds until the engine stops: lock, server, unpacked folders

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> BulletinAddon:
        return cls(crawler)

    def update_settings(self, settings: Settings) -> None:
        try:
            self._update(settings)
        except CrawlerError as exc:  # a held lock, a bad settings file: one line and the CLI's exit status
            self.cleanup.close()
            print(f"scrapy: error: {exc}", file=sys.stderr, flush=True)
            logger.error("%s", exc)
            logging.shutdown()
            os._exit(exc.exit_code)  # a raise here ends in Scrapy's traceback and exit status 1

    def _update(self, settings: Settings) -> None:
        scrapy_command = not settings.getbool("CRAWLER_CONFIGURED")  # not built by `crawler run`/`doctor`
        if scrapy_command:
            apply_ops_settings(settings, load_config())
        self.crawler.signals.connect(self._engine_stopped, signal=signals.engine_stopped)
        self._folders_on_disk(settings)
        if settings.getbool("CRAWLER_REPLAY"):
            self._replay(settings)
        if not _is_outlet(self.crawler.spidercls):
            return  # `scrapy fetch`, `scrapy shell`: no pass, no run record
        if settings.get("CRAWLER_NODE"):
            self._node_job(settings)
        elif scrapy_command and not settings.getint("CRAWLER_RUN_ID"):
            self._own_pass(settings)

    # --- pieces ------------------------------------------------------------------------------------

    def _folders_on_disk(self, settings: Settings) -> None:
        """Inside Scrapyd's zipped egg, ``rules/`` and ``crawler/snapshot/`` have no path: unpack them."""
        rules = Path(settings.get("CRAWLER_RULES_DIR"))
        if rules.is_dir():
            return
        target = Path(tempfile.mkdtemp(prefix="bulletin-egg-"))
        self.cleanup.callback(shutil.rmtree, target, ignore_errors=True)
        archive = _egg_archive()
        with zipfile.ZipFile(archive) as egg:
            members = [name for name in egg.namelist() if name.startswith(("rules/", "crawler/snapshot/"))]
            egg.extractall(target, members)
        settings.set("CRAWLER_RULES_DIR", str(target / "rules"), priority="cmdline")
        if not settings.get("CRAWLER_SNAPSHOT") and not os.environ.get(SNAPSHOT_ENV):
            settings.set("CRAWLER_SNAPSHOT", str(target / "crawler" / "snapshot"), priority="cmdline")

    def _replay(self, settings: Settings) -> None:
        """``-s CRAWLER_REPLAY=1``: the snapshot on loopback (unless ``crawler run`` serves it already) and
        the replay settings, each below an explicit ``-s``."""
        from crawler.replay import SnapshotServer, resolve_snapshot

        for name, value in settings.getdict("REPLAY_SETTINGS").items():
            if settings.getpriority(name) < CMDLINE:
                settings.set(name, value, priority="cmdline")
        if settings.get("CRAWLER_REPLAY_ADDRESS"):
            return
        # -s CRAWLER_SNAPSHOT=DIR, else $CRAWLER_SNAPSHOT, else the bundled one (unpacked from the egg)
        server = SnapshotServer(resolve_snapshot(settings.get("CRAWLER_SNAPSHOT") or None)).start()
        self.cleanup.callback(server.stop)
        settings.set("CRAWLER_REPLAY_ADDRESS", server.address, priority="cmdline")
        if settings.getpriority("CRAWLER_NOW") < CMDLINE:
            settings.set("CRAWLER_NOW", server.recorded_at, priority="cmdline")  # the snapshot's moment, as run does

    def _own_pass(self, settings: Settings) -> None:
        """``scrapy crawl <outlet>`` on its own: the lock, a run record and its per-outlet row, as
        ``crawler run`` keeps them."""
        from crawler.run import run_lock
        from crawler.store import open_db, runs

        db_path = settings.get("CRAWLER_DB")
        self.cleanup.enter_context(run_lock(db_path))
        db = open_db(db_path, **db_options(settings))
        run_id = runs.start_run(db, replay=settings.getbool("CRAWLER_REPLAY"))
        settings.set("CRAWLER_RUN_ID", run_id, priority="cmdline")
        _add(settings, "EXTENSIONS", {"crawler.extensions.RunRecorder": 0})
        self.cleanup.callback(_finish_run, db, run_id)  # runs before the lock is released (LIFO)

    def _node_job(self, settings: Settings) -> None:
        """A Scrapyd job dispatched by ``crawler schedule --scrapyd``. One job per outlet at a time on a
        node (a lock per outlet beside the node's database)."""
        from crawler.run import run_lock

        if not settings.getdict("FEEDS"):
            raise ConfigError(
                "a node's job (CRAWLER_NODE) needs a feed for its items: set items_dir in scrapyd.conf"
                " (without it, the node would remember articles that never reach the central store)"
            )
        db_path = settings.get("CRAWLER_DB")
        self.cleanup.enter_context(run_lock(f"{db_path}.{self.crawler.spidercls.name}"))
        _create_once(db_path, settings)
        settings.set("ITEM_PIPELINES", NODE_PIPELINES, priority="cmdline")
        _add(settings, "EXTENSIONS", NODE_EXTENSIONS)
        _add(settings, "FEED_STORAGES", {"file": "crawler.feeds.WrittenThroughFileStorage"})

    def _engine_stopped(self) -> None:
        self.cleanup.close()


def _add(settings: Settings, name: str, components: dict[str, Any]) -> None:
    merged = {**settings.getdict(name), **components}
    settings.set(name, merged, priority=max(settings.getpriority(name) or 0, CMDLINE))


def _create_once(db_path: str, settings: Settings) -> None:
    """Open (create, migrate) the node's database under an exclusive file lock: a node's first pass
    starts several jobs at once, and SQLite refuses concurrent schema changes ("database is locked")."""
    import fcntl

    from crawler.store import open_db

    lock = Path(f"{db_path}.schema.lock")
    lock.parent.mkdir(parents=True, exist_ok=True)
    with lock.open("a") as handle:
        fcntl.flock(handle, fcntl.LOCK_EX)
        open_db(db_path, **db_options(settings)).close()


def _finish_run(db: Any, run_id: int) -> None:
    from crawler.store import runs

    rows = runs.outlet_results(db, run_id)
    runs.finish_run(db, run_id, ok=bool(rows) and all(row["ok"] for row in rows))


def _is_outlet(spidercls: Any) -> bool:
    from crawler.outlet_spider import OutletSpider

    return isinstance(spidercls, type) and issubclass(spidercls, OutletSpider)


def _egg_archive() -> str:
    import crawler

    archive = getattr(crawler.__spec__.loader, "archive", None)
    if not archive:
        raise ConfigError(f"rules folder not found and the crawler does not run from an egg ({crawler.__file__})")
    return str(archive)
