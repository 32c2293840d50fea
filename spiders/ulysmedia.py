"""ulysmedia.kz — custom CMS, no working feed (/rss/ redirects to the front page): the news listings."""

import re

from crawler.extraction import PageRules
from crawler.outlet_spider import OutletSpider


class UlysmediaSpider(OutletSpider):
    name = "ulysmedia"
    credit = "интернет-издание Ulysmedia.kz"
    names = ("Ulysmedia",)  # how other outlets name it when they reprint it
    hosts = ("ulysmedia.kz", "qaz.ulysmedia.kz")
    languages = ("ru", "kk")
    # the listings page on with ?page=N (no rel=next); the front page lists the newest too
    listings = ("https://ulysmedia.kz/news/", "https://qaz.ulysmedia.kz/news/", "https://ulysmedia.kz/")
    listing_links = "a.category__title::attr(href)"
    article_url = re.compile(r"^https?://(qaz\.)?ulysmedia\.kz/(?P<section>[a-z0-9-]+)/(?P<id>\d+)-[^/]+/?$")
    skip_url = re.compile(r"/(cache|uploads|search|tags?|author)/")
    page_rules = PageRules(
        title=("h1",),
        date=("span.date",),
        body="div.article__text",
    )
