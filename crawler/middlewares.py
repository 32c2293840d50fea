"""Downloader middleware: retries that back off instead of hammering a struggling site, and redirects
that are refused out loud instead of dropped in silence."""

from __future__ import annotations

import asyncio
from typing import Any
from urllib.parse import urljoin, urlsplit

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.exceptions import IgnoreRequest
from scrapy.http import Response
from scrapy.settings import BaseSettings

from crawler.urls import canonical_url


class BackoffRetryMiddleware(RetryMiddleware):
    """Scrapy's retry (timeouts, 5xx, 429), waiting ``RETRY_BACKOFF_BASE · 2^(n-1)`` seconds (at most
    ``RETRY_BACKOFF_MAX``) before the n-th retry of a request."""

    def __init__(self, settings: BaseSettings) -> None:
        super().__init__(settings)
        self.base = settings.getfloat("RETRY_BACKOFF_BASE")
        self.cap = settings.getfloat("RETRY_BACKOFF_MAX")

    async def _after(self, result: Any) -> Any:
        if isinstance(result, Request) and self.base > 0:
            attempt = int(result.meta.get("retry_times", 1))
            await asyncio.sleep(min(self.base * 2 ** (attempt - 1), self.cap))
        return result

    async def process_response(  # type: ignore[override]  # same contract, awaited by Scrapy
        self, request: Request, response: Response, spider: Any = None
    ) -> Request | Response:
        return await self._after(super().process_response(request, response))

    async def process_exception(  # type: ignore[override]  # same contract, awaited by Scrapy
        self, request: Request, exception: Exception, spider: Any = None
    ) -> Request | Response | None:
        return await self._after(super().process_exception(request, exception))


class RedirectRefused(IgnoreRequest):
    """A redirect the crawl does not follow: to a host the outlet does not declare (``host`` names it:
    has the site moved?), to a non-http address, or back to where it came from."""

    def __init__(self, message: str, host: str | None = None) -> None:
        super().__init__(message)
        self.host = host


class RedirectGuard:
    """Sees every 3xx before Scrapy's RedirectMiddleware does (priority above 600) and refuses, loudly,
    what Scrapy would follow or drop in silence: its offsite filter drops a redirect to another host
    without calling the errback, so a moved site looked like a quiet one. The refusal reaches the
    request's errback, which records it for the strategy or article (and ``crawler status``)."""

    @classmethod
    def from_crawler(cls, crawler: Any) -> RedirectGuard:
        guard = cls()
        guard.crawler = crawler
        return guard

    crawler: Any = None

    def process_response(self, request: Request, response: Response, spider: Any = None) -> Response:
        if not (300 <= response.status < 400) or b"Location" not in response.headers:
            return response
        if "root" not in request.meta and "key" not in request.meta:
            return response  # not a strategy or an article (robots.txt): Scrapy's own handling is enough
        spider = spider or (self.crawler.spider if self.crawler else None)
        location = response.headers[b"Location"].decode("latin-1").strip()
        target = urljoin(request.url, location)
        scheme = urlsplit(target).scheme.lower()
        if scheme not in ("http", "https"):
            raise RedirectRefused(f"redirect to a non-http address ({location[:80]})")
        seen = {canonical_url(url) for url in [*request.meta.get("redirect_urls", ()), request.url]}
        if canonical_url(target) in seen:
            raise RedirectRefused(f"redirect loop ({request.url} → {target})")
        declares = getattr(spider, "declares_host", None)
        if declares is not None and not declares(target):
            host = urlsplit(target).hostname or "?"
            raise RedirectRefused(f"redirected to {host}, a host this outlet does not declare", host=host)
        return response
