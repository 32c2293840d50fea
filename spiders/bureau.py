"""bureau.kz — the Kazakhstan International Bureau for Human Rights: its robots.txt sitemap and its feed."""

import re

from crawler.extraction import PageRules
from crawler.outlet_spider import OutletSpider


class BureauSpider(OutletSpider):
    name = "bureau"
    credit = "сайт Bureau.kz"
    names = ("Bureau.kz", "КМБПЧ")  # how other outlets name it when they reprint it
    hosts = ("bureau.kz",)
    feeds = ("https://bureau.kz/feed/",)  # also advertised on the home page
    sitemaps = ("https://bureau.kz/sitemap_index.xml",)  # also named in robots.txt
    # news, /publ-all/<category>/ posts, reports, English pages, and short links /?p=ID[&post_type=post]
    # (resolved through <link rel=canonical>)
    article_url = re.compile(
        r"^https?://bureau\.kz/(?:(?:novosti|publ-all/[^/]+|monitoring_2/[^/]+|en/[^/]+)/[^/?#]+/?"
        r"|\?p=(?P<id>\d+)(?:&post_type=post)?)$"
    )
    skip_url = re.compile(r"/(?:feed|page/\d+)/?$|/(?:tag|category|author)/")
    page_rules = PageRules(
        title=("h1.entry-title",),
        date=("div.entry-date",),  # DD.MM.YYYY right after the title
        author=("div.entry-author",),
        body="div.entry-content",
    )
