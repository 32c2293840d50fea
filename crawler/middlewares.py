"""Downloader middleware: retries that back off instead of hammering a struggling site."""

from __future__ import annotations

import asyncio
from typing import Any

from scrapy import Request
from scrapy.downloadermiddlewares.retry import RetryMiddleware
from scrapy.http import Response
from scrapy.settings import BaseSettings


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
