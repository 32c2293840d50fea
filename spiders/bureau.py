"""bureau.kz — the Kazakhstan International Bureau for Human Rights (WordPress defaults)."""

import re

from crawler.extraction import PageRules
from crawler.outlet_spider import OutletSpider


class BureauSpider(OutletSpider):
    name = "bureau"
    credit = "сайт Bureau.kz"
    names = ("Bureau.kz", "КМБПЧ")  # how other outlets name it when they reprint it
    hosts = ("bureau.kz",)
    feeds = ("https://bureau.kz/feed/", "https://bureau.kz/novosti/feed/")
    sitemaps = ("https://bureau.kz/wp-sitemap.xml", "https://bureau.kz/sitemap_index.xml")
    json_apis = ("https://bureau.kz/wp-json/wp/v2/posts?per_page=100",)
    # slug pages, reports, English pages, and WordPress short links (/?p=ID, resolved by <link rel=canonical>)
    article_url = re.compile(
        r"^https?://bureau\.kz/(?:(?:novosti|monitoring_2/[^/]+|en/[^/]+)/[^/?#]+/?|\?p=(?P<id>\d+))$"
    )
    page_rules = PageRules(
        title=("h1.entry-title",),
        date=("div.entry-date",),
        author=("div.entry-author",),
        body="div.entry-content",
    )
