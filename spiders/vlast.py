"""vlast.kz — the /feed/ RSS (2026; /rss is dead) and the archive listings, numbered up to rel=last."""

import re

from crawler.extraction import PageRules
from crawler.outlet_spider import OutletSpider


class VlastSpider(OutletSpider):
    name = "vlast"
    credit = "интернет-издание «Власть»"
    names = ("«Власть»", "Vlast.kz")  # how other outlets name it when they reprint it
    hosts = ("vlast.kz",)
    languages = ("ru", "kk")
    feeds = ("https://vlast.kz/feed/",)  # works (2026 evidence); /rss answers 404
    # archive pages carry rel=last and numbered links but no rel=next: discovery walks the numbers
    listings = ("https://vlast.kz/novosti/?archive=1", "https://vlast.kz/vlast-qazaqsha/?archive=1")
    listing_links = ".news-inline-item-body a[href]::attr(href)"
    article_url = re.compile(r"^https?://vlast\.kz/(?P<section>[a-z0-9-]+)/(?P<id>\d+)-[^/]+\.html$")
    skip_url = re.compile(r"/(tags|quiz|avtory|author|persona|filmy)/")
    page_rules = PageRules(
        title=("li.has-title h1",),
        date=("ul.item-expand-meta li time",),  # Russian text, e.g. «12 ноября 2025, 14:05»
        author=('meta[name="author"]',),
        body="div.js-mediator-article",  # class list: default-item-in js-editor js-img-caption js-mediator-article …
    )
