"""The one base spider. An outlet's file in spiders/ only declares data; the behaviour is here.

Discovery runs every strategy an outlet declares (feeds, pages that advertise feeds, news sitemaps,
WordPress JSON, listing pages with pagination). Each strategy's outcome is recorded in
``strategy_results``; a dead one is logged and the others carry on. Article links are canonicalised
and requested only when their key is neither stored nor already scheduled in this pass.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterable, Iterator
from typing import Any, ClassVar

import scrapy
from lxml import etree
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import jsonguard
from crawler.config import db_options
from crawler.extraction import PageRules
from crawler.items import FetchedPage, FetchFailure
from crawler.store import open_db
from crawler.store.articles import known_keys
from crawler.urls import canonical_url, host_of, http_url, url_key

Link = tuple[str, str | None]  # (url, date string from the feed/sitemap/listing, if any)
XML_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=False, recover=False)


class OutletSpider(scrapy.Spider):
    """Shared behaviour of every outlet; subclasses set the class attributes below and nothing else."""

    # --- what an outlet declares ------------------------------------------------------------------
    credit: ClassVar[str] = ""  # how the bulletin credits the outlet, e.g. 'интернет-издание «Власть»'
    names: ClassVar[tuple[str, ...]] = ()  # how a reprint elsewhere names this outlet as its source
    hosts: ClassVar[tuple[str, ...]] = ()  # every host the outlet's articles live on (without www.)
    languages: ClassVar[tuple[str, ...]] = ("ru",)
    feeds: ClassVar[tuple[str, ...]] = ()  # RSS/Atom
    feed_pages: ClassVar[tuple[str, ...]] = ()  # pages advertising feeds in <link rel="alternate">
    sitemaps: ClassVar[tuple[str, ...]] = ()  # (news) sitemaps or sitemap indexes
    numbered_sitemap: ClassVar[str | None] = None  # 'https://…/sitemap_news{n}.xml', n = 1, 2, … until a miss
    json_apis: ClassVar[tuple[str, ...]] = ()  # WordPress REST: a JSON list of {"link", "date"}
    listings: ClassVar[tuple[str, ...]] = ()  # HTML listing pages (first page of each)
    listing_links: ClassVar[str] = "a[href]::attr(href)"  # CSS for article links on a listing
    listing_ids: ClassVar[tuple[str, str] | None] = None  # (CSS of an id attribute, URL template with {id})
    listing_next: ClassVar[str] = "link[rel=next]::attr(href), a[rel=next]::attr(href)"
    article_url: ClassVar[re.Pattern[str]] = re.compile(r"$^")  # canonical article URLs; group 'id' if any
    skip_url: ClassVar[re.Pattern[str] | None] = None  # URLs that match article_url but are not articles
    page_rules: ClassVar[PageRules] = PageRules()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strategy_results: dict[str, dict[str, Any]] = {}
        self.scheduled: set[str] = set()
        self.known: set[str] = set()

    @property
    def allowed_domains(self) -> list[str]:  # type: ignore[override]  # derived from hosts, not declared twice
        return list(self.hosts)

    # --- discovery ----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        self.known = known_keys(open_db(self.settings.get("CRAWLER_DB"), **db_options(self.settings)))
        for url in self.feeds:
            yield self._strategy_request(url, "feed", self.parse_feed)
        for url in self.feed_pages:
            yield self._strategy_request(url, "advertised feed", self.parse_feed_page)
        for url in self.sitemaps:
            yield self._strategy_request(url, "sitemap", self.parse_sitemap)
        if self.numbered_sitemap:
            yield self._strategy_request(
                self.numbered_sitemap.format(n=1), "numbered sitemap", self.parse_sitemap, number=1
            )
        for url in self.json_apis:
            yield self._strategy_request(url, "json api", self.parse_json_api)
        for url in self.listings:
            yield self._strategy_request(url, "listing", self.parse_listing, page=1)

    def _strategy_request(self, url: str, kind: str, callback: Any, **meta: Any) -> scrapy.Request:
        root = meta.pop("root", url)
        self.strategy_results.setdefault(root, {"kind": kind, "ok": False, "status": None, "links": 0, "problem": None})
        return scrapy.Request(
            url, callback=callback, errback=self.strategy_failed, meta={"root": root, **meta}, priority=10
        )

    def _record(self, response: Response, *, links: int = 0, problem: str | None = None) -> None:
        result = self.strategy_results[response.meta["root"]]
        if response.url == response.meta["root"] or result["status"] is None:
            result["status"] = response.status
        result["links"] += links
        if problem and not result["ok"]:
            result["problem"] = problem  # one dead strategy is routine (status warns when it stays dead)
            self.logger.info("%s %s: %s", result["kind"], response.url, problem)
        elif not problem:
            result["ok"], result["problem"] = True, None

    def _note(self, response: Response, note: str) -> None:
        """Something that still worked but wants a look (a stale selector): logged, kept with the strategy."""
        self.strategy_results[response.meta["root"]]["note"] = note
        self.logger.warning("%s: %s", response.url, note)

    def strategy_failed(self, failure: Failure) -> None:
        request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on errback failures
        result = self.strategy_results[request.meta["root"]]
        result["problem"] = _describe(failure)
        self.logger.info("%s %s: %s", result["kind"], request.url, result["problem"])

    def _http_problem(self, response: Response) -> str | None:
        if response.status >= 400:
            return f"HTTP {response.status}"
        if not response.body.strip():
            return "empty response"
        return None

    def _xml_root(self, response: Response) -> tuple[etree._Element | None, str | None]:
        """The parsed XML of a feed or sitemap answer, or why there is none."""
        problem = self._http_problem(response)
        return (None, problem) if problem else _parse_xml(response.body)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        root, problem = self._xml_root(response)
        links: list[Link] = []
        if root is not None:
            if etree.QName(root).localname.lower() == "html":
                problem = "not a feed (an HTML page)"
            else:
                links = list(_feed_links(root))
                if not links:
                    problem = "feed has no items"
        self._record(response, links=len(links), problem=problem)
        yield from self._article_requests(links, response, via="feed")

    def parse_feed_page(self, response: Response) -> Iterator[scrapy.Request]:
        problem = self._http_problem(response)
        feeds: list[str] = []
        if not problem:
            feeds = response.css(
                'link[rel=alternate][type="application/rss+xml"]::attr(href),'
                ' link[rel=alternate][type="application/atom+xml"]::attr(href)'
            ).getall()
            feeds += re.findall(r'"rssUrl"\s*:\s*"([^"]+)"', response.text)
            if not feeds:
                problem = "advertises no feed"
        self._record(response, links=0, problem=problem)
        for href in dict.fromkeys(feeds):
            if url := http_url(response.url, href):  # a malformed advertised feed is skipped, not fatal
                yield self._strategy_request(url, "feed", self.parse_feed)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        root, problem = self._xml_root(response)
        links: list[Link] = []
        if root is not None:
            tag = etree.QName(root).localname
            if tag == "sitemapindex":
                for loc in root.iterfind(".//{*}sitemap/{*}loc"):
                    if url := http_url(response.url, loc.text):  # a malformed <loc> is skipped, not fatal
                        yield self._strategy_request(url, "sitemap", self.parse_sitemap)
            elif tag == "urlset":
                links = list(_sitemap_links(root))
                if not links:
                    problem = "sitemap lists no URL"
            else:
                problem = f"not a sitemap (root element <{tag}>)"
        self._record(response, links=len(links), problem=problem)
        number = response.meta.get("number")
        if number and not problem and self.numbered_sitemap and number < self.settings.getint("CRAWLER_MAX_SITEMAPS"):
            yield self._strategy_request(
                self.numbered_sitemap.format(n=number + 1),
                "numbered sitemap",
                self.parse_sitemap,
                number=number + 1,
                root=response.meta["root"],
            )
        yield from self._article_requests(links, response, via="sitemap")

    def parse_json_api(self, response: Response) -> Iterator[scrapy.Request]:
        problem = self._http_problem(response)
        links: list[Link] = []
        if not problem:
            try:
                posts = jsonguard.loads(response.body)  # a deep answer is a ValueError, not a crash
                links = [
                    (str(post["link"]), post.get("date"))
                    for post in posts
                    if isinstance(post, dict) and post.get("link")
                ]
                if not links:
                    problem = "no posts"
            except (ValueError, TypeError) as exc:
                problem = f"not a JSON list of posts ({exc.__class__.__name__})"
        self._record(response, links=len(links), problem=problem)
        yield from self._article_requests(links, response, via="json api")

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request]:
        problem = self._http_problem(response)
        links: list[Link] = []
        if not problem:
            if not isinstance(response, scrapy.http.HtmlResponse):
                problem = "not an HTML page"
            else:
                links = [(href, None) for href in response.css(self.listing_links).getall()]
                if self.listing_ids:
                    selector, template = self.listing_ids
                    links += [(template.format(id=value), None) for value in response.css(selector).getall()]
                if not any(self._accept(response, url) for url, _ in links):
                    # the listing's markup changed: any link that is an article of this outlet will do
                    links = [(href, None) for href in response.css("a[href]::attr(href)").getall()]
                    if any(self._accept(response, url) for url, _ in links):
                        self._note(response, "listing selector matched no article: used every article link")
                    else:
                        problem = "no article links"
        self._record(response, links=len(links), problem=problem)
        page = response.meta.get("page", 1)
        next_href = response.css(self.listing_next).get() if not problem else None
        if next_href and page < self.settings.getint("CRAWLER_MAX_LISTING_PAGES"):
            yield self._strategy_request(
                response.urljoin(next_href),
                "listing",
                self.parse_listing,
                page=page + 1,
                root=response.meta["root"],
            )
        yield from self._article_requests(links, response, via="listing")

    # --- articles -----------------------------------------------------------------------------------

    def _accept(self, response: Response, href: str) -> str | None:
        """The canonical URL when ``href`` (on ``response``) is one of this outlet's articles, else None."""
        try:
            url = canonical_url(response.urljoin(href.strip()))
        except ValueError:  # a malformed link (port 99999, a broken IPv6 host) is skipped, not fatal to the page
            return None
        if host_of(url) not in self.hosts or not self.article_url.match(url):
            return None
        if self.skip_url is not None and self.skip_url.search(url):
            return None
        return url

    def _article_requests(self, links: Iterable[Link], response: Response, *, via: str) -> Iterator[scrapy.Request]:
        if self.settings.getbool("CRAWLER_DISCOVER_ONLY"):  # ops: `crawler doctor` probes discovery, no articles
            self._record_sample(links, response)
            return
        for href, date in links:
            url = self._accept(response, href)
            if url is None:
                continue
            key = url_key(url, self.article_url)
            if key in self.known or key in self.scheduled:
                continue
            self.scheduled.add(key)
            yield scrapy.Request(
                url,
                callback=self.parse_article,
                errback=self.article_failed,
                meta={"key": key, "via": via, "fallback_date": date},
            )

    def _record_sample(self, links: Iterable[Link], response: Response) -> None:  # ops: for `crawler doctor`
        accepted = [url for href, _ in links if (url := self._accept(response, href))]
        result = self.strategy_results[response.meta["root"]]
        result["articles"] = result.get("articles", 0) + len(accepted)
        if accepted and not result.get("sample"):
            result["sample"] = accepted[0]

    def parse_article(self, response: Response) -> Iterator[FetchedPage | FetchFailure]:
        self.crawler.stats.inc_value("bulletin/article_requests")
        meta = response.meta
        if response.status >= 400:
            self.crawler.stats.inc_value("bulletin/errors")
            yield FetchFailure(self.name, meta["key"], response.request.url, response.status, f"HTTP {response.status}")
            return
        content_type = response.headers.get("Content-Type", b"").decode("latin-1") or None
        charset = re.search(r"charset=([\w-]+)", content_type or "", re.IGNORECASE)
        yield FetchedPage(
            outlet=self.name,
            key=meta["key"],
            url=response.url,
            body=response.body,
            status=response.status,
            content_type=content_type,
            declared_encoding=charset.group(1) if charset else None,
            discovered_via=meta["via"],
            fallback_date=meta.get("fallback_date"),
        )

    def article_failed(self, failure: Failure) -> Iterator[FetchFailure]:
        request = failure.request  # type: ignore[attr-defined]  # set by Scrapy on errback failures
        self.crawler.stats.inc_value("bulletin/article_requests")
        self.crawler.stats.inc_value("bulletin/errors")
        status = failure.value.response.status if failure.check(HttpError) else None
        message = _describe(failure)
        self.logger.warning("article %s: %s", request.url, message)
        yield FetchFailure(self.name, request.meta["key"], request.url, status, message)


def _describe(failure: Failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    text = str(failure.value).strip() or failure.type.__name__
    return f"{failure.type.__name__}: {text}"[:300]


def _parse_xml(body: bytes) -> tuple[etree._Element | None, str | None]:
    try:
        return etree.fromstring(body.strip(), parser=XML_PARSER), None
    except etree.XMLSyntaxError as exc:
        if body.lstrip()[:15].lower().startswith((b"<!doctype html", b"<html")):
            return None, "not a feed (an HTML page)"
        return None, f"malformed XML ({exc.msg})"


def _feed_links(root: etree._Element) -> Iterator[Link]:
    for item in root.iterfind(".//item"):
        link = item.findtext("link") or item.findtext("guid")
        if link:
            yield link.strip(), item.findtext("pubDate")
    for entry in root.iterfind(".//{http://www.w3.org/2005/Atom}entry"):
        href = entry.find("{http://www.w3.org/2005/Atom}link")
        if href is not None and href.get("href"):
            date = entry.findtext("{http://www.w3.org/2005/Atom}published") or entry.findtext(
                "{http://www.w3.org/2005/Atom}updated"
            )
            yield href.get("href", ""), date


def _sitemap_links(root: etree._Element) -> Iterator[Link]:
    for url in root.iterfind("{*}url"):
        loc = url.findtext("{*}loc")
        if loc:
            date = url.findtext(".//{*}publication_date") or url.findtext("{*}lastmod")
            yield loc.strip(), date
