"""rus.azattyq.org — RFE/RL's Pangea CMS: advertised feeds, zone feeds, the news stream listing."""

import re

from crawler.extraction import PageRules
from crawler.outlet_spider import OutletSpider


class AzattyqSpider(OutletSpider):
    name = "azattyq"
    credit = "Радио «Азаттык»"
    names = ("Азаттык", "Azattyq", "Радио Свобода")  # how other outlets name it when they reprint it
    hosts = ("rus.azattyq.org",)
    feed_pages = ("https://rus.azattyq.org/",)  # advertises its feed: survives a change of zone codes
    feeds = (
        "https://rus.azattyq.org/api/zgroqe_uoq",  # Kazakhstan
        "https://rus.azattyq.org/api/zororegtor",  # main
        "https://rus.azattyq.org/api/zrqiteuuir",  # generic "all news"; can be an empty channel
    )
    listings = ("https://rus.azattyq.org/z/360",)
    listing_links = ".media-block__content > a::attr(href), div.news__item a::attr(href)"
    listing_ids = ("div.news__item::attr(data-article-id)", "https://rus.azattyq.org/a/{id}.html")
    listing_next = "a.link-showMore::attr(href), link[rel=next]::attr(href)"
    # slug, short and AMP forms are one article: the id is the identity
    article_url = re.compile(r"^https?://rus\.azattyq\.org/(?:a|amp)/(?:[^/]+/)?(?P<id>\d+)\.html$")
    page_rules = PageRules(
        body="div#article-content",
        author_ignore=(r"^RFE/RL", r"^Радио Азаттык", r"^Azattyq"),
        media_page="body.pg-media",
    )
