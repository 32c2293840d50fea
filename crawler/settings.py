"""Scrapy's settings and the crawler's internal ones, with their defaults.

What ops and editors set (database, contact URL, schedule, alerts, health thresholds, bulletin
naming) lives in ``crawler/defaults.toml`` — the one documented settings file — and arrives here as
``CRAWLER_<KEY>`` through ``crawler.config.scrapy_settings``, which is also where the environment and
a user's settings file are read. Scrapy reads this module through scrapy.cfg.
"""

from pathlib import Path

BOT_NAME = "bulletin-crawler"
SPIDER_MODULES = ["spiders"]
NEWSPIDER_MODULE = "spiders"

# --- the crawler's own settings -------------------------------------------------------------
CRAWLER_RULES_DIR = str(Path(__file__).resolve().parent.parent / "rules")  # the checkout's rules/, wherever cwd is
CRAWLER_DUPLICATE_DISTANCE = 16  # simhash bits: at most this many differ => compared as a possible reprint
CRAWLER_DUPLICATE_CONTAINMENT = 0.6  # ... and a reprint when this share of the shorter text's shingles is shared
CRAWLER_DUPLICATE_WINDOW_DAYS = 30  # reprints are looked for among articles stored this recently
CRAWLER_FAILED_RETRY_HOURS = 6  # a failed article URL is retried after this long (doubling), ...
CRAWLER_FAILED_MAX_ATTEMPTS = 4  # ... at most this many times
CRAWLER_MAX_LISTING_PAGES = 5  # listing pagination depth per listing per pass
CRAWLER_MAX_SITEMAPS = 5  # children of a sitemap index read per pass, newest first by <lastmod>
CRAWLER_MAX_NUMBERED_SITEMAPS = 30  # numbered news sitemaps read per series (it ends after 3 misses in a row)
CRAWLER_NOW = ""  # the moment a crawl stands for (ISO); empty: now. Replay sets the snapshot's recorded_at
# A write waits this many seconds for another writer (a long backup, a decision on the review page)
# before it fails and the pass reports "database ... is locked". Environment: CRAWLER_BUSY_TIMEOUT_SECONDS.
CRAWLER_BUSY_TIMEOUT_SECONDS = 15.0
# Hidden, for tests: SQLite's max_page_count on every connection, so writes fail as on a full disk
# ("database or disk is full"). 0: no limit. Environment: CRAWLER_MAX_PAGE_COUNT.
CRAWLER_MAX_PAGE_COUNT = 0
# Review-page logins (crawler/store/logins.py): this many wrong passwords in a row are free; each further
# one makes the next attempt wait twice as long (from DELAY up to MAX_DELAY seconds); after LOCK_AFTER in a
# row the account is locked for LOCK_MINUTES (an address: three times the allowance, one office = one address).
CRAWLER_LOGIN_FREE_ATTEMPTS = 3
CRAWLER_LOGIN_DELAY_SECONDS = 1.0
CRAWLER_LOGIN_MAX_DELAY_SECONDS = 60.0
CRAWLER_LOGIN_LOCK_AFTER = 10
CRAWLER_LOGIN_LOCK_MINUTES = 15.0

# --- politeness and robustness ----------------------------------------------------------------
# USER_AGENT is "bulletin-crawler/<version> (+<contact_url>)", built from defaults.toml's contact_url
ROBOTSTXT_OBEY = True
CONCURRENT_REQUESTS = 2  # each outlet is its own crawler: at most 2 requests in flight per outlet, all hosts together
CONCURRENT_REQUESTS_PER_DOMAIN = 2
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_START_DELAY = 1.0
AUTOTHROTTLE_MAX_DELAY = 30.0
AUTOTHROTTLE_TARGET_CONCURRENCY = 1.0
DOWNLOAD_DELAY = 0.5
DOWNLOAD_TIMEOUT = 20
DOWNLOAD_MAXSIZE = 5 * 1024 * 1024  # a bigger page is a mistake or an attack, not an article
DOWNLOAD_WARNSIZE = 2 * 1024 * 1024
RETRY_ENABLED = True
RETRY_TIMES = 2
RETRY_HTTP_CODES = [500, 502, 503, 504, 522, 524, 408, 429]
RETRY_BACKOFF_BASE = 5.0  # seconds before the first retry, doubling for each further one ...
RETRY_BACKOFF_MAX = 60.0  # ... up to this
DOWNLOADER_MIDDLEWARES = {
    "scrapy.downloadermiddlewares.retry.RetryMiddleware": None,
    "crawler.middlewares.BackoffRetryMiddleware": 550,  # Scrapy's retry with a backoff
    "crawler.middlewares.RedirectGuard": 650,  # before RedirectMiddleware (600): offsite, loop, non-http
}
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
REDIRECT_MAX_TIMES = 5
HTTPERROR_ALLOW_ALL = True  # the spiders count and record 4xx/5xx themselves

ITEM_PIPELINES = {
    "crawler.pipelines.ExtractPipeline": 100,
    "crawler.pipelines.ClassifyPipeline": 500,
    "crawler.pipelines.StorePipeline": 900,
}

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
LOG_LEVEL = "INFO"
LOG_FORMAT = "%(asctime)s %(levelname)s %(name)s: %(message)s"
FEED_EXPORT_ENCODING = "utf-8"

# --- replay (crawler run --replay): the offline snapshot over loopback ---------------------------
CRAWLER_REPLAY = False
CRAWLER_REPLAY_ADDRESS = ""  # host:port of the running snapshot server; set by `crawler run --replay`
REPLAY_SETTINGS = {
    "DOWNLOAD_TIMEOUT": 4,  # loopback is fast, but a loaded machine is not; the slow page (6 s) still times out
    "DOWNLOAD_DELAY": 0,
    "AUTOTHROTTLE_ENABLED": False,
    "RETRY_TIMES": 1,
    "RETRY_BACKOFF_BASE": 0.2,
    "DOWNLOAD_HANDLERS": {
        "http": "crawler.replay.ReplayDownloadHandler",
        "https": "crawler.replay.ReplayDownloadHandler",
    },
}

# --- operations (crawler doctor) --------------------------------------------------------------
CRAWLER_DISCOVER_ONLY = False  # set by `crawler doctor`: probe discovery strategies, request no article
