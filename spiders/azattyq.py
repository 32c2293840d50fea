"""Radio Azattyq — RFE/RL's Pangea CMS, moved in 2026 from rus.azattyq.org to www.azattyqasia.org.

The feeds are found where the home page advertises them (their zone codes changed with the move); an
old rus.azattyq.org URL of the same id is the same article.
"""

import re

from crawler.extraction import PageRules
from crawler.outlet_spider import OutletSpider


class AzattyqSpider(OutletSpider):
    name = "azattyq"
    credit = "Радио «Азаттык»"  # the editors' choice, whatever the host
    names = ("Азаттык", "Azattyq", "Радио Свобода")  # how other outlets name it when they reprint it
    hosts = ("azattyqasia.org", "rus.azattyq.org")  # rus.azattyq.org redirects to the new host
    home = "https://www.azattyqasia.org/"  # advertises the feeds in <link rel=alternate> and "rssUrl"
    same_ids = (("azattyqasia.org", "rus.azattyq.org"),)  # ids kept across the move: one article, one key
    listings = ("https://www.azattyqasia.org/z/360",)
    listing_links = ".media-block__content > a::attr(href), div.news__item a::attr(href)"
    listing_ids = ("div.news__item::attr(data-article-id)", "https://www.azattyqasia.org/a/{id}.html")
    listing_next = "a.link-showMore::attr(href)"
    # slug, short and AMP forms on either host are one article: the id is the identity
    article_url = re.compile(
        r"^https?://(?:rus\.azattyq\.org|azattyqasia\.org)/(?:a|amp)/(?:[^/]+/)?(?P<id>\d+)\.html$"
    )
    page_rules = PageRules(
        title=("h1.title.pg-title",),
        date=("time[pubdate][datetime]",),
        body="div#article-content",
        author_ignore=(r"^RFE/RL", r"^Радио Азаттык", r"^Azattyq"),
        media_page="body.pg-media, body.pg-photo",  # audio/video players and photo galleries: no text
    )
