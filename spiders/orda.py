"""orda.kz — left WordPress (2024): its own markup, per-host numbered news sitemaps, the last-news listing."""

import re

from crawler.extraction import PageRules
from crawler.outlet_spider import OutletSpider


class OrdaSpider(OutletSpider):
    name = "orda"
    credit = "интернет-издание Orda.kz"
    names = ("Orda.kz",)  # how other outlets name it when they reprint it
    hosts = ("orda.kz", "kaz.orda.kz")
    languages = ("ru", "kk")
    feeds = ("https://orda.kz/feed/",)  # short descriptions only: every article is fetched
    # one series per host; which numbers hold the newest is unknown: all are read, links ordered by date
    numbered_sitemaps = (
        "https://orda.kz/sitemap/sitemap_news{n}.xml",
        "https://kaz.orda.kz/sitemap/sitemap_news{n}.xml",
    )
    listings = ("https://orda.kz/last-news/",)
    listing_links = "div.newslist3 ul li a::attr(href)"
    article_url = re.compile(r"^https?://((kaz|en)\.)?orda\.kz/[a-z0-9-]+-(?P<id>\d{3,})/?$")
    skip_url = re.compile(r"__trashed|/(category|tag|page|last-news|uploads)/")
    page_rules = PageRules(
        date=('time[itemprop="datePublished"]', 'meta[property="article:published_time"]'),
        author=('meta[name="author"]',),
        body="div.fulltext div.newstext",
        drop_lines=(  # the site's own lines inside the body container
            r"^Читайте также",
            r"^Ордынка\s*\|",
            r"(?i)свидетельство о постановке на уч[её]т",
            r"^RU\s*\|\s*KZ\s*\|\s*EN$",
            r"(?i)политик\w* конфиденциальности|файлы cookie",
            r"(?i)зарегистрируйтесь|войдите в свой аккаунт",
            r"(?i)есепке қою туралы куәлігі|куәлігі №",
            r"(?i)пікір қалдыру үшін|cookie файлдарын|құпиялылық саясат",
        ),
    )
