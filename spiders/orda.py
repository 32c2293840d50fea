"""orda.kz — WordPress: feed (short descriptions only), numbered news sitemaps, the last-news listing."""

import re

from crawler.extraction import PageRules
from crawler.outlet_spider import OutletSpider


class OrdaSpider(OutletSpider):
    name = "orda"
    credit = "интернет-издание Orda.kz"
    names = ("Orda.kz",)  # how other outlets name it when they reprint it
    hosts = ("orda.kz", "kaz.orda.kz")
    languages = ("ru", "kk")
    feeds = ("https://orda.kz/feed/",)
    numbered_sitemaps = ("https://orda.kz/sitemap/sitemap_news{n}.xml",)
    listings = ("https://orda.kz/last-news/",)
    article_url = re.compile(r"^https?://((kaz|en)\.)?orda\.kz/[a-z0-9-]+-(?P<id>\d{3,})/?$")
    skip_url = re.compile(r"__trashed|/(category|tag|page|last-news)/")
    page_rules = PageRules(
        date=('meta[property="article:published_time"]',),
        author=('meta[name="author"]',),
        body="div.single-content",
        drop_lines=(r"^Ордынка\s*\|", r"файлы cookie", r"(?i)зарегистрируйтесь|войдите в свой аккаунт"),
    )
