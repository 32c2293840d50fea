"""Discovery from the site itself: plain functions over robots.txt, feeds, sitemaps and listing pages.

Every spider (and ``crawler outlet add``) uses these to find what a site offers without being told:
the sitemaps robots.txt names, the feeds a page advertises, the usual feed and sitemap paths, sitemap
indexes read newest first, and a listing's further pages (``rel=next``, numbered links up to
``rel=last``, or ``?page=N``). Nothing here fetches: the spider does, and hands the answers in.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import parse_qsl, urlencode, urlsplit, urlunsplit

from lxml import etree
from parsel import Selector

from crawler.dates import parse_date
from crawler.urls import host_of, http_url

Link = tuple[str, str | None]  # (url, date string from the feed/sitemap/listing, if any)

# Where sites usually keep a feed or a sitemap when nothing names it (WordPress, Yoast, DLE, Bitrix, …).
USUAL_FEEDS = ("/feed/", "/rss", "/rss/", "/rss.xml")
USUAL_SITEMAPS = ("/sitemap.xml", "/sitemap_index.xml", "/wp-sitemap.xml", "/sitemap-news.xml")

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/feed+json", "application/rss")
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)
_RSS_URL = re.compile(r'"rssUrl"\s*:\s*"([^"]+)"')  # Pangea (RFE/RL) keeps its feed in a JSON config
_SITEMAP_LINE = re.compile(r"^\s*sitemap\s*:\s*(\S+)", re.IGNORECASE | re.MULTILINE)


# --- robots.txt and advertised feeds ------------------------------------------------------------------


def robots_sitemaps(text: str, base: str) -> list[str]:
    """The ``Sitemap:`` lines of a robots.txt, absolute, in their order, without repeats."""
    return list(dict.fromkeys(u for url in _SITEMAP_LINE.findall(text) if (u := http_url(base, url))))


def advertised_feeds(html: str, base: str) -> list[str]:
    """Feeds a page names: ``<link rel=alternate type=application/rss+xml|atom+xml>`` and a JSON
    ``"rssUrl"``; absolute, in page order, without repeats."""
    selector = Selector(text=html)
    found = []
    for link in selector.css("link[href]"):
        rel = (link.attrib.get("rel") or "").lower().split()
        kind = (link.attrib.get("type") or "").lower().strip()
        if "alternate" in rel and kind in FEED_TYPES:
            found.append(link.attrib["href"])
    found += [value.replace("\\/", "/") for value in _RSS_URL.findall(html)]
    return list(dict.fromkeys(u for href in found if (u := http_url(base, href))))


def usual_paths(home: str) -> tuple[list[str], list[str]]:
    """(feed URLs, sitemap URLs) at the usual paths of ``home``'s host."""
    parts = urlsplit(home)
    root = f"{parts.scheme or 'https'}://{parts.netloc}"
    return [root + path for path in USUAL_FEEDS], [root + path for path in USUAL_SITEMAPS]


# --- XML: feeds and sitemaps ----------------------------------------------------------------------------


def parse_xml(body: bytes) -> tuple[etree._Element | None, str | None]:
    """The parsed XML of a feed or sitemap answer, or why there is none."""
    try:
        return etree.fromstring(body.strip(), parser=XML_PARSER), None
    except etree.XMLSyntaxError as exc:
        if body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
            return None, "an HTML page, not XML"
        return None, f"malformed XML ({exc.msg})"


def root_name(root: etree._Element) -> str:
    return etree.QName(root).localname.lower()


def feed_links(root: etree._Element) -> list[Link]:
    """Item links of an RSS or Atom feed with their dates."""
    links: list[Link] = []
    for item in root.iterfind(".//item"):
        link = item.findtext("link") or item.findtext("guid")
        if link and link.strip():
            links.append((link.strip(), item.findtext("pubDate")))
    atom = "{http://www.w3.org/2005/Atom}"
    for entry in root.iterfind(f".//{atom}entry"):
        hrefs = [e for e in entry.iterfind(f"{atom}link") if e.get("rel", "alternate") == "alternate"]
        if hrefs and hrefs[0].get("href"):
            date = entry.findtext(f"{atom}published") or entry.findtext(f"{atom}updated")
            links.append((hrefs[0].get("href", "").strip(), date))
    return links


def json_feed_links(body: bytes) -> list[Link] | None:
    """Links of a JSON answer: a WordPress REST list of posts ``[{"link","date"}]`` or a JSON Feed
    ``{"items":[{"url","date_published"}]}``; ``None`` when the JSON is neither."""
    try:
        data = json.loads(body)
    except (ValueError, RecursionError):  # RecursionError: a hostile answer nested thousands deep
        return None
    if isinstance(data, dict) and isinstance(data.get("items"), list):
        posts = [(p.get("url"), p.get("date_published")) for p in data["items"] if isinstance(p, dict)]
    elif isinstance(data, list):
        posts = [(p.get("link"), p.get("date")) for p in data if isinstance(p, dict)]
    else:
        return None
    return [(url.strip(), date if isinstance(date, str) else None) for url, date in posts if isinstance(url, str)]


@dataclass(frozen=True)
class Sitemap:
    """A parsed sitemap: an index (``children``) or a URL set (``links``), each newest first."""

    kind: str  # "index" or "urlset"
    children: list[Link]
    links: list[Link]


def read_sitemap(root: etree._Element) -> Sitemap | None:
    """A sitemap or sitemap index, entries newest first by ``<lastmod>`` (news: publication date);
    entries without a date keep their order after the dated ones. ``None`` when it is neither."""
    name = root_name(root)
    if name == "sitemapindex":
        children = [
            (loc.strip(), node.findtext("{*}lastmod"))
            for node in root.iterfind("{*}sitemap")
            if (loc := node.findtext("{*}loc")) and loc.strip()
        ]
        return Sitemap("index", newest_first(children), [])
    if name == "urlset":
        links = [
            (loc.strip(), node.findtext(".//{*}publication_date") or node.findtext("{*}lastmod"))
            for node in root.iterfind("{*}url")
            if (loc := node.findtext("{*}loc")) and loc.strip()
        ]
        return Sitemap("urlset", [], newest_first(links))
    return None


def link_time(date: str | None) -> datetime | None:
    """The moment a feed, sitemap or listing gives for a link (``None`` when absent or unreadable)."""
    return parse_date(date) if date else None


def newest_first(links: Iterable[Link]) -> list[Link]:
    """Dated links newest first, then the undated ones in their original order."""
    dated, undated = [], []
    for index, (url, date) in enumerate(links):
        moment = link_time(date)
        (dated if moment else undated).append((moment, index, (url, date)))
    dated.sort(key=lambda entry: (-entry[0].timestamp(), entry[1]))
    return [link for _, _, link in dated] + [link for _, _, link in undated]


# --- listings: the next pages -------------------------------------------------------------------------

_PAGE_PARAM = ("page", "p", "PAGEN_1", "pg")


def next_page(html: str, url: str) -> str | None:
    """The listing page after the one at ``url``: its ``rel=next``; else the numbered page link one
    higher than this page's number; else that page built from the ``rel=last`` link's form (archives
    that link only 1 2 3 … 27). Only a URL that differs from this one by a page number counts, so a
    "more" link to another section never does."""
    selector = Selector(text=html)
    if href := selector.css("link[rel~=next]::attr(href), a[rel~=next]::attr(href)").get():
        return http_url(url, href)  # None for a malformed link (http_url never raises)
    current = page_number(url, url) or 1
    numbered: dict[int, str] = {}
    for href in selector.css("a[href]::attr(href)").getall():
        absolute = http_url(url, href)
        number = page_number(absolute, url) if absolute else None
        if number is not None:
            numbered.setdefault(number, absolute)
    if current + 1 in numbered:
        return numbered[current + 1]
    if last_href := selector.css("link[rel~=last]::attr(href), a[rel~=last]::attr(href)").get():
        last_url = http_url(url, last_href)
        last = page_number(last_url, url) if last_url else None
        if last_url and last is not None and last > current:
            return _renumber(last_url, last, current + 1)
    return None


def page_number(candidate: str, listing: str) -> int | None:
    """The page number ``candidate`` stands for when it is ``listing`` with a page number added or
    changed (``/novosti/3/?archive=1`` for ``/novosti/?archive=1``, ``?page=3``, ``/page/3/``)."""
    a, b = urlsplit(candidate), urlsplit(listing)
    if host_of(candidate) != host_of(listing):
        return None
    query_a, query_b = dict(parse_qsl(a.query)), dict(parse_qsl(b.query))
    for name in _PAGE_PARAM:
        if name in query_a and query_a[name].isdigit() and a.path == b.path:
            rest_a = {k: v for k, v in query_a.items() if k != name}
            rest_b = {k: v for k, v in query_b.items() if k != name}
            if rest_a == rest_b:
                return int(query_a[name])
    if query_a != query_b:
        return None
    base = _strip_page(b.path)
    match = re.fullmatch(re.escape(base.rstrip("/")) + r"/(?:page/)?(\d{1,4})/?", a.path)
    return int(match.group(1)) if match else None


def _renumber(url: str, old: int, new: int) -> str:
    parts = urlsplit(url)
    query = parse_qsl(parts.query, keep_blank_values=True)
    if any(name in _PAGE_PARAM and value == str(old) for name, value in query):
        query = [(k, str(new) if k in _PAGE_PARAM and v == str(old) else v) for k, v in query]
        return urlunsplit(parts._replace(query=urlencode(query)))
    path = re.sub(rf"/{old}(/?)$", rf"/{new}\1", parts.path)
    return urlunsplit(parts._replace(path=path))


def _strip_page(path: str) -> str:
    return re.sub(r"/(?:page/)?\d{1,4}/?$", "/", path)


def links_in(html: str, url: str) -> Iterator[str]:
    """Every link of a page, absolute."""
    for href in Selector(text=html).css("a[href]::attr(href)").getall():
        if not href.strip().startswith("#") and (absolute := http_url(url, href)):  # http(s) only
            yield absolute
