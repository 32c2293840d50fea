"""Building the effective settings: crawler.settings defaults, then the environment ops expect."""

from __future__ import annotations

import os

from scrapy.settings import Settings

from crawler import settings as defaults


def scrapy_settings() -> Settings:
    """Scrapy ``Settings`` from the one settings module, with ``CRAWLER_DB`` from the environment."""
    settings = Settings()
    settings.setmodule(defaults, priority="project")
    if os.environ.get("CRAWLER_DB"):
        settings.set("CRAWLER_DB", os.environ["CRAWLER_DB"], priority="project")
    return settings
