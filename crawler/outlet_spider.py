"""The one base spider. An outlet's file in spiders/ only declares data; the behaviour is here.

A pass has two phases. **Discovery** runs what the outlet declares (feeds, pages that advertise feeds,
sitemaps, numbered news sitemaps, JSON APIs, listings) as hints tried first, and what the site shows
itself: the sitemaps its robots.txt names, the feeds its home page advertises, the usual feed and
sitemap paths, sitemap indexes, listing pagination (``rel=next``, numbered links up to ``rel=last``,
``?page=N``). Each strategy's outcome is recorded in ``strategy_results``; a dead one is logged and
the others carry on. **Fetching** starts when discovery is done: every new article link, newest
first, within the freshness window and up to the per-pass cap (``findings`` says what was left out).

Nothing is silent: a redirect to a host the outlet does not declare, a redirect loop or one to a
non-http address fails the strategy or article it hit, naming the target (``crawler.middlewares``).
"""

from __future__ import annotations

import inspect
import re
from collections.abc import AsyncIterator, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any, ClassVar

import scrapy
from scrapy import signals
from scrapy.exceptions import DontCloseSpider
from scrapy.http import Response
from scrapy.spidermiddlewares.httperror import HttpError
from twisted.python.failure import Failure

from crawler import discovery
from crawler.config import db_options
from crawler.discovery import Link
from crawler.extraction import PageRules
from crawler.items import FetchedPage, FetchFailure
from crawler.middlewares import RedirectRefused
from crawler.store import open_db
from crawler.store.articles import known_keys, newest_fetch
from crawler.urls import canonical_url, host_of, http_url, url_key


@dataclass
class _Pending:
    """An article link waiting for the fetch phase."""

    url: str
    key: str
    via: str
    date: str | None
    moment: datetime | None
    order: int


class OutletSpider(scrapy.Spider):
    """Shared behaviour of every outlet; subclasses set the class attributes below and nothing else."""

    # --- what an outlet declares ------------------------------------------------------------------
    credit: ClassVar[str] = ""  # how the bulletin credits the outlet, e.g. 'интернет-издание «Власть»'
    names: ClassVar[tuple[str, ...]] = ()  # how a reprint elsewhere names this outlet as its source
    hosts: ClassVar[tuple[str, ...]] = ()  # every host the outlet's articles live on (without www.)
    home: ClassVar[str | None] = None  # the home page (default https://<first host>/): advertises feeds
    same_ids: ClassVar[tuple[tuple[str, str], ...]] = ()  # (host, host whose ids are the same articles)
    languages: ClassVar[tuple[str, ...]] = ("ru",)
    feeds: ClassVar[tuple[str, ...]] = ()  # RSS/Atom
    feed_pages: ClassVar[tuple[str, ...]] = ()  # further pages advertising feeds in <link rel="alternate">
    sitemaps: ClassVar[tuple[str, ...]] = ()  # (news) sitemaps or sitemap indexes
    numbered_sitemaps: ClassVar[tuple[str, ...]] = ()  # 'https://…/sitemap_news{n}.xml', one per host
    json_apis: ClassVar[tuple[str, ...]] = ()  # WordPress REST: a JSON list of {"link", "date"}
    listings: ClassVar[tuple[str, ...]] = ()  # HTML listing pages (first page of each)
    listing_links: ClassVar[str] = "a[href]::attr(href)"  # CSS for article links on a listing
    listing_ids: ClassVar[tuple[str, str] | None] = None  # (CSS of an id attribute, URL template with {id})
    listing_next: ClassVar[str | None] = None  # CSS of the next-page link, when discovery's forms miss it
    article_url: ClassVar[re.Pattern[str]] = re.compile(r"$^")  # canonical article URLs; group 'id' if any
    skip_url: ClassVar[re.Pattern[str] | None] = None  # URLs that match article_url but are not articles
    page_rules: ClassVar[PageRules] = PageRules()

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.strategy_results: dict[str, dict[str, Any]] = {}
        self.findings: dict[str, Any] = {"article_links": 0, "too_old": 0, "capped": 0, "moved_to": {}}
        self.discovered_links: list[tuple[str, str | None, str]] = []  # every link seen (discover-only mode)
        self.links_by_root: dict[str, list[str]] = {}  # the same, by the strategy that found them
        self.scheduled: set[str] = set()
        self.known: set[str] = set()
        self.pending: dict[str, _Pending] = {}
        self.window_start: datetime | None = None

    @classmethod
    def from_crawler(cls, crawler: Any, *args: Any, **kwargs: Any) -> OutletSpider:
        spider = super().from_crawler(crawler, *args, **kwargs)
        crawler.signals.connect(spider._fetch_phase, signal=signals.spider_idle)
        return spider

    @property
    def allowed_domains(self) -> list[str]:  # type: ignore[override]  # derived from hosts, not declared twice
        return [host.removeprefix("www.") for host in self.hosts]

    @property
    def home_url(self) -> str:
        return self.home or f"https://{self.hosts[0]}/"

    def declares_host(self, url: str) -> bool:
        """Whether ``url`` is on one of this outlet's hosts (``www.`` never matters)."""
        return host_of(url) in self.allowed_domains

    # --- discovery ----------------------------------------------------------------------------------

    async def start(self) -> AsyncIterator[scrapy.Request]:
        db = open_db(self.settings.get("CRAWLER_DB"), **db_options(self.settings))
        self.known = known_keys(db)
        self.window_start = self._window_start(newest_fetch(db, self.name))
        declared = [
            *((url, "feed", self.parse_feed) for url in self.feeds),
            *((url, "advertised feed", self.parse_feed_page) for url in self.feed_pages),
            *((url, "sitemap", self.parse_sitemap) for url in self.sitemaps),
            *((url, "json api", self.parse_json_api) for url in self.json_apis),
            *((url, "listing", self.parse_listing) for url in self.listings),
        ]
        for url, kind, callback in declared:
            yield self._strategy_request(url, kind, callback, declared=True)
        for template in self.numbered_sitemaps:
            yield self._strategy_request(
                template.format(n=1), "numbered sitemap", self.parse_sitemap, declared=True, template=template, number=1
            )
        # what the site shows itself: robots.txt sitemaps, advertised feeds, the usual paths
        home_netloc = self.home_url.split("/")[2]
        robots = {host_of(self.home_url): home_netloc} | {host: host for host in self.allowed_domains}
        discovered = [(f"https://{netloc}/robots.txt", "robots.txt", self.parse_robots) for netloc in robots.values()]
        discovered.append((self.home_url, "home page", self.parse_feed_page))
        feeds, sitemaps = discovery.usual_paths(self.home_url)
        discovered += [(url, "usual feed path", self.parse_feed) for url in feeds]
        discovered += [(url, "usual sitemap path", self.parse_sitemap) for url in sitemaps]
        for url, kind, callback in discovered:
            if url not in self.strategy_results:  # a declared hint already covers it
                yield self._strategy_request(url, kind, callback, probe=True)

    def _window_start(self, newest: str | None) -> datetime | None:
        """Links dated before this are not fetched: ``first_pass_days`` back on a first pass; later, back
        to the last stored article (a crawler that was down catches up), never less than that."""
        days = self.settings.getfloat("CRAWLER_FIRST_PASS_DAYS")
        if days <= 0:
            return None
        now = self._now()
        start = now - timedelta(days=days)
        if newest:
            last = datetime.fromisoformat(newest)
            last = last if last.tzinfo else last.replace(tzinfo=UTC)
            start = min(start, last - timedelta(days=1))
        return start

    def _now(self) -> datetime:
        """The moment the crawl stands for: the snapshot's recording time under replay, else now."""
        value = self.settings.get("CRAWLER_NOW")
        return datetime.fromisoformat(value) if value else datetime.now(UTC)

    def _strategy_request(
        self, url: str, kind: str, callback: Any, *, declared: bool = False, probe: bool = False, **meta: Any
    ) -> scrapy.Request:
        root = meta.pop("root", url)
        result = self.strategy_results.get(root)
        if result is None:
            result = {"kind": kind, "ok": False, "status": None, "links": 0, "problem": None}
            if declared:
                result["declared"] = self._declaration_line(url)
            if probe:
                result["probe"] = True  # found or guessed by discovery: a miss is information, not a problem
            self.strategy_results[root] = result
        # our own bookkeeping dedupes strategies and articles: Scrapy's duplicate filter would drop, without a
        # word, a redirect to a page requested before (a dead feed that now answers with the front page)
        return scrapy.Request(
            url,
            callback=callback,
            errback=self.strategy_failed,
            meta={"root": root, **meta},
            priority=10,
            dont_filter=True,
        )

    def _declaration_line(self, url: str) -> str:
        """'spiders/<outlet>.py line N': where ``url`` is declared, for warnings that say what to change."""
        try:
            source = Path(inspect.getfile(type(self)))
            template = url.replace("{n}", "").split("{")[0]
            for number, line in enumerate(source.read_text(encoding="utf-8").splitlines(), 1):
                if url in line or (template and template in line):
                    return f"{source.parent.name}/{source.name} line {number}"
            return f"{source.parent.name}/{source.name}"
        except (OSError, TypeError):
            return f"spiders/{self.name}.py"

    def _record(self, response: Response, *, links: int = 0, problem: str | None = None) -> None:
        result = self.strategy_results[response.meta["root"]]
        if response.url == response.meta["root"] or result["status"] is None:
            result["status"] = response.status
        result["links"] += links
        if problem and not result["ok"]:
            result["problem"] = problem  # one dead strategy is routine (status warns when it stays dead)
            log = self.logger.debug if result.get("probe") else self.logger.info  # a guess that missed: quiet
            log("%s %s: %s", result["kind"], response.url, problem)
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
        if failure.check(RedirectRefused) and failure.value.host:
            result["redirect_host"] = failure.value.host
            self._moved(failure.value.host)
        log = self.logger.debug if result.get("probe") and not result.get("redirect_host") else self.logger.info
        log("%s %s: %s", result["kind"], request.url, result["problem"])

    def _moved(self, host: str) -> None:
        moved = self.findings["moved_to"]
        moved[host] = moved.get(host, 0) + 1

    def _http_problem(self, response: Response) -> str | None:
        if response.status >= 400:
            return f"HTTP {response.status}"
        if not response.body.strip():
            return "empty response"
        return None

    def _xml_root(self, response: Response) -> tuple[Any, str | None]:
        problem = self._http_problem(response)
        return (None, problem) if problem else discovery.parse_xml(response.body)

    def parse_robots(self, response: Response) -> Iterator[scrapy.Request]:
        problem = self._http_problem(response)
        sitemaps = [] if problem else discovery.robots_sitemaps(response.text, response.url)
        if not problem and not sitemaps:
            problem = "names no sitemap"
        self._record(response, problem=problem)
        for url in sitemaps:
            if url not in self.strategy_results:
                yield self._strategy_request(url, "sitemap (robots.txt)", self.parse_sitemap)

    def parse_feed(self, response: Response) -> Iterator[scrapy.Request]:
        links: list[Link] = []
        problem = self._http_problem(response)
        json_links = None if problem else discovery.json_feed_links(response.body)
        if json_links is not None:
            links = json_links
        elif not problem:
            root, problem = discovery.parse_xml(response.body)
            if root is not None:
                name = discovery.root_name(root)
                if name == "html":
                    problem = "not a feed (an HTML page)"
                elif name not in ("rss", "feed", "rdf"):
                    problem = f"not a feed (root element <{name}>)"
                else:
                    links = discovery.feed_links(root)
            elif problem and problem.startswith("an HTML page"):
                problem = "not a feed (an HTML page)"
        if not problem and not links:
            problem = "feed has no items"
        self._record(response, links=len(links), problem=problem)
        self._article_links(links, response, via="feed")

    def parse_feed_page(self, response: Response) -> Iterator[scrapy.Request]:
        problem = self._http_problem(response)
        html = problem is None and isinstance(response, scrapy.http.TextResponse)
        if problem is None and not html:
            problem = "not an HTML page"
        feeds = self._advertised(response) if html else []
        if html and not feeds:
            problem = "advertises no feed"
        self._record(response, links=0, problem=problem)
        yield from self._follow_feeds(feeds)
        if self.settings.getbool("CRAWLER_DISCOVER_ONLY") and html:  # outlet add: the links of the home page
            links = ((url, None) for url in discovery.links_in(response.text, response.url))
            self._keep_links(links, "page", response.meta["root"])

    def _advertised(self, response: Response) -> list[str]:
        return discovery.advertised_feeds(response.text, response.url)

    def _follow_feeds(self, feeds: Iterable[str]) -> Iterator[scrapy.Request]:
        for href in feeds:
            if href not in self.strategy_results:
                yield self._strategy_request(href, "feed (advertised)", self.parse_feed)

    def parse_sitemap(self, response: Response) -> Iterator[scrapy.Request]:
        root, problem = self._xml_root(response)
        links: list[Link] = []
        if root is not None:
            sitemap = discovery.read_sitemap(root)
            if sitemap is None:
                problem = f"not a sitemap (root element <{discovery.root_name(root)}>)"
            elif sitemap.kind == "index":
                if not sitemap.children:
                    problem = "sitemap index lists no sitemap"
                limit = self.settings.getint("CRAWLER_MAX_SITEMAPS")
                for loc, _ in sitemap.children[:limit]:  # newest first: the rest are old news
                    if url := http_url(response.url, loc):  # a malformed <loc> is skipped, not fatal
                        yield self._strategy_request(url, "sitemap", self.parse_sitemap, root=response.meta["root"])
            else:
                links = sitemap.links
                if not links:
                    problem = "sitemap lists no URL"
        elif problem and problem.startswith("an HTML page"):
            problem = "not a sitemap (an HTML page)"
        if response.meta.get("number"):
            yield from self._next_numbered(response, found=not problem)
            if problem and self.strategy_results[response.meta["root"]]["ok"]:
                problem = None  # the first miss after the last numbered sitemap is where the series ends
        self._record(response, links=len(links), problem=problem)
        self._article_links(links, response, via="sitemap")

    def _next_numbered(self, response: Response, *, found: bool) -> Iterator[scrapy.Request]:
        """Numbered sitemaps are read from 1 upward until 3 numbers in a row are missing: which numbers
        hold the newest items is not known, so all are read and their links ordered by date."""
        meta = response.meta
        number, misses = meta["number"], 0 if found else meta.get("misses", 0) + 1
        if misses < 3 and number < self.settings.getint("CRAWLER_MAX_NUMBERED_SITEMAPS"):
            yield self._strategy_request(
                meta["template"].format(n=number + 1),
                "numbered sitemap",
                self.parse_sitemap,
                root=meta["root"],
                template=meta["template"],
                number=number + 1,
                misses=misses,
            )

    def parse_json_api(self, response: Response) -> Iterator[scrapy.Request]:
        problem = self._http_problem(response)
        links: list[Link] = []
        if not problem:
            found = discovery.json_feed_links(response.body)
            if found is None:
                problem = "not a JSON list of posts"
            elif not found:
                problem = "no posts"
            links = found or []
        self._record(response, links=len(links), problem=problem)
        self._article_links(links, response, via="json api")

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
                if not any(self._accept(_joined(response, url)) for url, _ in links):
                    # the listing's markup changed: any link that is an article of this outlet will do
                    links = [(href, None) for href in response.css("a[href]::attr(href)").getall()]
                    if any(self._accept(_joined(response, url)) for url, _ in links):
                        self._note(response, "listing selector matched no article: used every article link")
                    else:
                        problem = "no article links"
        self._record(response, links=len(links), problem=problem)
        new = self._article_links(links, response, via="listing")
        page = response.meta.get("page", 1)
        if page == 1 and isinstance(response, scrapy.http.TextResponse):  # a listing may advertise feeds too
            yield from self._follow_feeds(self._advertised(response))
        # the next page only while this one brought something new: a later pass reads page 1 alone
        if not problem and new and page < self.settings.getint("CRAWLER_MAX_LISTING_PAGES"):
            declared = response.css(self.listing_next).get() if self.listing_next else None
            next_url = _joined(response, declared) if declared else discovery.next_page(response.text, response.url)
            if next_url and next_url != response.url:
                yield self._strategy_request(
                    next_url, "listing", self.parse_listing, page=page + 1, root=response.meta["root"]
                )

    # --- articles -----------------------------------------------------------------------------------

    def _accept(self, url: str | None) -> str | None:
        """The URL to request (tracking parameters dropped) when ``url`` is one of this outlet's articles."""
        try:
            url = canonical_url(url or "", keep_www=True)
            if not self.declares_host(url) or not self.article_url.match(canonical_url(url)):
                return None
        except ValueError:  # a malformed link (port 99999, a broken IPv6 host): skipped, not fatal to the page
            return None
        if self.skip_url is not None and self.skip_url.search(url):
            return None
        return url

    def identity(self, url: str) -> str:
        """The article's identity key; hosts declared in ``same_ids`` share their ids with another host."""
        key = url_key(url, self.article_url)
        host, _, rest = key.partition("/")
        same = dict(self.same_ids)
        return f"{same[host]}/{rest}" if host in same and rest.isdigit() else key

    def _keep_links(self, links: Iterable[Link], via: str, root: str) -> None:
        found = self.links_by_root.setdefault(root, [])
        for href, date in links:
            if self.declares_host(href):
                self.discovered_links.append((href, date, via))
                found.append(href)

    def _article_links(self, links: Iterable[Link], response: Response, *, via: str) -> int:
        """Queue this outlet's new article links for the fetch phase (nothing is requested yet); returns
        how many were new (in discover-only mode: how many were articles)."""
        links = [(url, date) for href, date in links if (url := _joined(response, href))]
        result = self.strategy_results[response.meta["root"]]
        if self.settings.getbool("CRAWLER_DISCOVER_ONLY"):  # `crawler doctor`, `outlet add`: no articles
            self._keep_links(links, via, response.meta["root"])
            return self._record_sample(links, result)
        new = 0
        for href, date in links:
            url = self._accept(href)
            if url is None:
                continue
            self.findings["article_links"] += 1
            result["articles"] = result.get("articles", 0) + 1
            key = self.identity(url)
            if key in self.known or key in self.scheduled:
                continue
            new += 1
            if key in self.pending:
                self.pending[key].date = self.pending[key].date or date
            else:
                self.pending[key] = _Pending(url, key, via, date, discovery.link_time(date), len(self.pending))
        return new

    def _fetch_phase(self) -> None:
        """Discovery is done: request the pending articles, newest first, fresh ones only, up to the cap."""
        self._hint_dead_declarations()
        if not self.pending:
            return
        pending, self.pending = list(self.pending.values()), {}
        window = self.window_start
        fresh = [p for p in pending if not (window and p.moment and p.moment < window)]
        self.findings["too_old"] += len(pending) - len(fresh)
        fresh.sort(key=lambda p: (p.moment is None, -(p.moment.timestamp() if p.moment else 0), p.order))
        cap = self.settings.getint("CRAWLER_MAX_ARTICLE_REQUESTS")
        if cap and len(fresh) > cap:
            self.findings["capped"] += len(fresh) - cap
            self.logger.warning(
                "%d new article links over the cap of %d: left for the next pass", len(fresh) - cap, cap
            )
            fresh = fresh[:cap]
        for item in fresh:
            self.scheduled.add(item.key)
            self.crawler.engine.crawl(
                scrapy.Request(
                    item.url,
                    callback=self.parse_article,
                    errback=self.article_failed,
                    meta={"key": item.key, "via": item.via, "fallback_date": item.date},
                    dont_filter=True,  # deduped by identity key; a redirect onto a fetched page is still answered
                )
            )
        raise DontCloseSpider

    def _hint_dead_declarations(self) -> None:
        """Declared hints that are dead while a discovered strategy works: say which line to change."""
        working = [url for url, r in self.strategy_results.items() if r.get("articles") and "declared" not in r]
        for url, result in self.strategy_results.items():
            if "declared" in result and not result["ok"] and working:
                result["hint"] = (
                    f"declared {result['kind']} {url} is dead ({result.get('problem') or 'no answer'}) while"
                    f" discovered {self.strategy_results[working[0]]['kind']} {working[0]} works:"
                    f" change {result['declared']}"
                )

    def _record_sample(self, links: list[Link], result: dict[str, Any]) -> int:  # ops: for `crawler doctor`
        accepted = [url for href, _ in links if (url := self._accept(href))]
        result["articles"] = result.get("articles", 0) + len(accepted)
        self.findings["article_links"] += len(accepted)
        if accepted and not result.get("sample"):
            result["sample"] = accepted[0]
        return len(accepted)

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
        if failure.check(RedirectRefused) and failure.value.host:
            self._moved(failure.value.host)
        self.logger.warning("article %s: %s", request.url, message)
        yield FetchFailure(self.name, request.meta["key"], request.url, status, message)


def _describe(failure: Failure) -> str:
    if failure.check(HttpError):
        return f"HTTP {failure.value.response.status}"
    if failure.check(RedirectRefused):
        return str(failure.value)
    text = str(failure.value).strip() or failure.type.__name__
    return f"{failure.type.__name__}: {text}"[:300]


def _joined(response: Response, href: str | None) -> str | None:
    """``href`` made absolute against the page (its ``<base href>`` too); None when it is empty or malformed
    (a broken IPv6 host makes the standard library raise)."""
    if not href or not href.strip():
        return None
    try:
        return response.urljoin(href.strip())
    except ValueError:
        return None
