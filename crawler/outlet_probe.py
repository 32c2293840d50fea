"""The network half of `crawler outlet add`: fetch and discover with the crawler's own Scrapy machinery.

In one child process (Scrapy's reactor runs once per process), three crawls in a row:

1. robots.txt and the home page (robots.txt obeyed, as in every pass);
2. a discover-only pass of a throw-away ``OutletSpider`` subclass — hosts from the home URL and its sister
   hosts, every on-host link accepted, the home page and the sections of its navigation as listings — so the
   site is probed by exactly the discovery every spider runs (robots.txt ``Sitemap:`` lines, advertised
   feeds, the usual feed and sitemap paths, listing pagination);
3. sample pages of the likeliest article URL shapes (``crawler.onboarding`` picks them).

What comes back is plain data (pages as bytes, links, strategy results); the decisions are made by the
pure functions of ``crawler.onboarding``.
"""

from __future__ import annotations

import multiprocessing
import queue
import re
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from urllib.parse import urljoin, urlsplit

from crawler.errors import OnboardingError

SECTION_LIMIT = 12  # navigation links probed as listings
CANDIDATE_SHAPES = 4  # URL shapes sampled before one is chosen
SHAPE_PROBES = 3  # pages fetched per runner-up shape


@dataclass
class Page:
    url: str  # as requested
    final_url: str | None = None
    status: int | None = None
    content_type: str | None = None
    body: bytes = b""
    error: str | None = None


@dataclass
class ProbeData:
    home: str
    hosts: tuple[str, ...]
    pages: dict[str, Page] = field(default_factory=dict)
    sections: list[str] = field(default_factory=list)
    links: list[tuple[str, str | None, str]] = field(default_factory=list)  # (url, date, strategy kind)
    strategies: dict[str, dict[str, Any]] = field(default_factory=dict)
    links_by_root: dict[str, list[str]] = field(default_factory=dict)  # strategy root URL -> links it found
    redirected_from: str | None = None  # the home URL given, when it redirected to another host

    def all_links(self) -> list[tuple[str, str | None, str]]:
        """Every link the probe saw: the discovery's (with dates) and those of each strategy's pages."""
        extra = [
            (url, None, self.strategies.get(root, {}).get("kind", "page"))
            for root, urls in self.links_by_root.items()
            for url in urls
        ]
        return self.links + extra


def probe_site(home: str, *, sample_size: int, replay_address: str | None = None, now: str = "") -> ProbeData:
    """Run the three crawls in a child process; its failure is an OnboardingError, never a hang. ``now``:
    the moment the crawl stands for (a replayed snapshot's recording time)."""
    context = multiprocessing.get_context("spawn")
    answers = context.Queue()
    child = context.Process(target=_child, args=(home, sample_size, replay_address, now, answers), daemon=True)
    child.start()
    try:
        while True:
            try:
                kind, payload = answers.get(timeout=1)
                break
            except queue.Empty:
                if not child.is_alive():
                    raise OnboardingError(
                        f"the probe of {home} stopped unexpectedly (exit code {child.exitcode})"
                    ) from None
    finally:
        child.join(timeout=30)
        if child.is_alive():
            child.kill()
    if kind == "error":
        raise OnboardingError(payload)
    return payload  # type: ignore[no-any-return]  # a ProbeData, pickled by the child


def _child(home: str, sample_size: int, replay_address: str | None, now: str, answers: Any) -> None:
    try:
        answers.put(("data", _crawl(home, sample_size, replay_address, now)))
    except OnboardingError as exc:
        answers.put(("error", str(exc)))
    except Exception as exc:  # the parent turns it into one line; the child must not die silently
        answers.put(("error", f"the probe failed: {exc.__class__.__name__}: {exc}"))


def _settings(scratch: str, replay_address: str | None, now: str) -> Any:
    from crawler.config import scrapy_settings

    settings = scrapy_settings()
    settings.set("CRAWLER_DB", str(Path(scratch) / "probe.db"), priority="cmdline")  # never the real one
    settings.set("ITEM_PIPELINES", {}, priority="cmdline")
    settings.set("EXTENSIONS", {}, priority="cmdline")
    settings.set("LOG_LEVEL", "ERROR", priority="cmdline")
    settings.set("CRAWLER_DISCOVER_ONLY", True, priority="cmdline")
    settings.set("CRAWLER_NOW", now, priority="cmdline")
    if replay_address:
        for name, value in settings.getdict("REPLAY_SETTINGS").items():
            settings.set(name, value, priority="cmdline")
        settings.set("CRAWLER_REPLAY_ADDRESS", replay_address, priority="cmdline")
    return settings


def _crawl(home: str, sample_size: int, replay_address: str | None, now: str) -> ProbeData:
    from scrapy.crawler import CrawlerRunner
    from scrapy.utils.reactor import install_reactor
    from twisted.internet import defer
    from twisted.python.failure import Failure

    from crawler.urls import host_of

    install_reactor("twisted.internet.asyncioreactor.AsyncioSelectorReactor")
    from twisted.internet import reactor

    host = host_of(home)
    data = ProbeData(home=home, hosts=(host,))
    outcome: dict[str, Any] = {}

    with tempfile.TemporaryDirectory(prefix="crawler-outlet-") as scratch:
        runner = CrawlerRunner(_settings(scratch, replay_address, now))

        @defer.inlineCallbacks
        def steps() -> Iterator[Any]:
            nonlocal host
            robots = urljoin(home, "/robots.txt")
            yield _fetch(runner, [robots, home], data.pages)
            _check_home(data)
            page = data.pages[home]
            final = page.final_url or home
            if host_of(final) != host:  # the site moved: probe (and declare) where it is now
                data.redirected_from, data.home = home, final
                data.pages[final] = page
                yield _fetch(runner, [urljoin(final, "/robots.txt")], data.pages)
                host = host_of(final)
            data.hosts = (host, *sister_hosts(page, host))
            data.sections = navigation_sections(page, data.hosts)[:SECTION_LIMIT]
            front = site_root(data.home)
            if front != data.home:  # a section page was given: list it (with its pagination), read the root as home
                data.sections = [data.home, *(u for u in data.sections if u != data.home)]
            crawler = runner.create_crawler(_probe_spider(front, data.hosts, data.sections))
            yield runner.crawl(crawler)
            spider = crawler.spider
            data.strategies = dict(spider.strategy_results)
            data.links = [(url, date, via) for url, date, via in spider.discovered_links]
            data.links_by_root = dict(spider.links_by_root)
            yield _fetch(runner, _sample_urls(data, sample_size), data.pages)

        def finished(result: Any) -> None:
            outcome["result"] = result
            reactor.stop()  # type: ignore[attr-defined]  # the installed asyncio reactor

        steps().addBoth(finished)
        reactor.run()  # type: ignore[attr-defined]  # the installed asyncio reactor
    result = outcome.get("result")
    if isinstance(result, Failure):
        if result.check(OnboardingError):
            raise result.value
        raise OnboardingError(f"the probe failed: {result.type.__name__}: {result.value}")
    return data


def site_root(url: str) -> str:
    parts = urlsplit(url)
    return f"{parts.scheme}://{parts.netloc}/"


def _check_home(data: ProbeData) -> None:
    page = data.pages[data.home]
    if page.error:
        if "robots.txt" in page.error:
            raise OnboardingError(f"robots.txt of {urlsplit(data.home).netloc} forbids crawling {data.home}")
        raise OnboardingError(f"cannot reach the home page {data.home}: {page.error}")
    if page.status is None or page.status >= 400:
        raise OnboardingError(f"the home page {data.home} answered HTTP {page.status}")
    if not page.body.strip():
        raise OnboardingError(f"the home page {data.home} answered an empty page")


def _fetch(runner: Any, urls: list[str], pages: dict[str, Page]) -> Any:
    """Fetch ``urls`` (robots.txt obeyed, redirects followed) into ``pages``."""
    import scrapy
    from scrapy.exceptions import IgnoreRequest
    from scrapy.spidermiddlewares.httperror import HttpError

    class FetchSpider(scrapy.Spider):
        name = "outlet-add-fetch"

        async def start(self) -> Any:
            for url in dict.fromkeys(urls):
                if url not in pages:
                    yield scrapy.Request(url, callback=self.keep, errback=self.failed, dont_filter=True)

        def keep(self, response: Any) -> None:
            pages[response.request.meta.get("redirect_urls", [response.request.url])[0]] = Page(
                url=response.request.url,
                final_url=response.url,
                status=response.status,
                content_type=response.headers.get("Content-Type", b"").decode("latin-1") or None,
                body=response.body,
            )

        def failed(self, failure: Any) -> None:
            request = failure.request
            if failure.check(HttpError):
                self.keep(failure.value.response)
                return
            text = str(failure.value) or failure.type.__name__
            if failure.check(IgnoreRequest) and "robots" in text.lower():
                text = "forbidden by robots.txt"
            pages[request.url] = Page(url=request.url, error=f"{failure.type.__name__}: {text}"[:300])

    return runner.crawl(FetchSpider)


def _probe_spider(home: str, hosts: tuple[str, ...], sections: list[str]) -> type:
    """A throw-away OutletSpider: the site's hosts, every on-host URL an 'article', home + sections listed
    (in discover-only mode the base spider keeps which strategy found which link)."""
    from crawler.outlet_spider import OutletSpider

    class ProbeSpider(OutletSpider):
        name = f"outlet-add-probe-{hosts[0]}"

    host_re = "|".join(re.escape(h) for h in hosts)
    ProbeSpider.hosts = hosts
    ProbeSpider.home = home
    ProbeSpider.listings = tuple(dict.fromkeys(s for s in sections if s != home))  # home: read as the home page
    ProbeSpider.article_url = re.compile(rf"^https?://(?:{host_re})/.*$")
    return ProbeSpider


def _sample_urls(data: ProbeData, sample_size: int) -> list[str]:
    from crawler import onboarding

    links = data.all_links()
    dates = {url: date for url, date, _ in links if date}
    shapes = onboarding.url_shapes([url for url, _, _ in links], data.hosts)
    urls: list[str] = []
    for rank, shape in enumerate(shapes[:CANDIDATE_SHAPES]):
        members = [u for u in shape.urls if not onboarding.is_non_article(u)]
        urls += onboarding.spread_sample(members, sample_size if rank == 0 else SHAPE_PROBES, dates)
    return urls


def sister_hosts(page: Page, host: str) -> list[str]:
    """Subdomains of the home host's site linked from the home page (kaz., qaz., rus. …): often the other
    language editions of the outlet."""
    from parsel import Selector

    from crawler.extraction import _registrable_domain
    from crawler.urls import host_of

    site = _registrable_domain(host)
    selector = Selector(text=page.body.decode("utf-8", errors="replace"))
    found: list[str] = []
    for href in selector.css("a[href]::attr(href)").getall():
        other = host_of(urljoin(page.final_url or page.url, href.strip()))
        if (
            other
            and other != host
            and _registrable_domain(other) == site
            and re.match(r"^(?:kaz|qaz|kk|kz|rus|ru)\.", other)
        ):
            found.append(other)
    return list(dict.fromkeys(found))


def navigation_sections(page: Page, hosts: tuple[str, ...]) -> list[str]:
    """On-host links in the page's navigation (nav, header, menus): the section pages to list."""
    from parsel import Selector

    from crawler import onboarding
    from crawler.urls import canonical_url, host_of

    selector = Selector(text=page.body.decode("utf-8", errors="replace"))
    menus = "contains(@class,'menu') or contains(@class,'nav') or contains(@id,'menu') or contains(@id,'nav')"
    hrefs = selector.xpath(f"//nav//a/@href | //header//a/@href | //*[{menus}]//a/@href").getall()
    out = []
    base = page.final_url or page.url
    for href in hrefs:
        url = canonical_url(urljoin(base, href.strip()))
        parsed = urlsplit(url)
        front_page = parsed.path in {"", "/"} and not parsed.query
        if host_of(url) not in hosts or (front_page and host_of(url) == hosts[0]):
            continue
        words = onboarding.parse_url(url).words
        if onboarding.is_static_page(url) or parsed.path.count("/") > 3 or words & {"tag", "tags", "author", "authors"}:
            continue
        out.append(url)  # a sister host's front page is a section too
    return list(dict.fromkeys(out))
