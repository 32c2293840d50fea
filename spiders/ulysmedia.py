"""ulysmedia.kz — custom CMS, no working feed: the news listings (Russian and Kazakh sites)."""

import re

from crawler.extraction import PageRules
from crawler.outlet_spider import OutletSpider


class UlysmediaSpider(OutletSpider):
    name = "ulysmedia"
    credit = "интернет-издание Ulysmedia.kz"
    names = ("Ulysmedia",)  # how other outlets name it when they reprint it
    hosts = ("ulysmedia.kz", "qaz.ulysmedia.kz")
    languages = ("ru", "kk")
    feeds = ("https://ulysmedia.kz/rss/",)  # answers the front page (HTML) when last probed
    listings = ("https://ulysmedia.kz/news/", "https://qaz.ulysmedia.kz/news/")
    listing_links = "a.category__title::attr(href)"
    article_url = re.compile(r"^https?://(qaz\.)?ulysmedia\.kz/(?P<section>[a-z0-9-]+)/(?P<id>\d+)-[^/]+/?$")
    skip_url = re.compile(r"/(cache|uploads|search)/")
    page_rules = PageRules(
        title=("h1",),
        date=("span.date",),
        body="div.article__text",
    )
