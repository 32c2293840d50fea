import asyncio

import pytest
from scrapy import Request, Spider
from scrapy.http import Response
from scrapy.utils.test import get_crawler

from crawler import middlewares
from crawler.middlewares import BackoffRetryMiddleware


def make_middleware(**settings: object) -> BackoffRetryMiddleware:
    crawler = get_crawler(Spider, settings_dict={"RETRY_BACKOFF_BASE": 5, "RETRY_BACKOFF_MAX": 12, **settings})
    crawler.spider = crawler._create_spider("outlet")
    return BackoffRetryMiddleware.from_crawler(crawler)


def test_retries_of_5xx_and_timeouts_wait_longer_each_time(monkeypatch: pytest.MonkeyPatch) -> None:
    waits: list[float] = []

    async def fake_sleep(seconds: float) -> None:
        waits.append(seconds)

    monkeypatch.setattr(middlewares.asyncio, "sleep", fake_sleep)
    middleware = make_middleware(RETRY_TIMES=4)
    request = Request("https://orda.kz/a-408930/")
    for _ in range(3):
        request = asyncio.run(middleware.process_response(request, Response(request.url, status=503)))
        assert isinstance(request, Request)
    retry = asyncio.run(middleware.process_exception(request, TimeoutError()))
    assert isinstance(retry, Request)
    assert waits == [5, 10, 12, 12]  # doubling, capped


def test_a_success_or_a_404_passes_without_waiting(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(middlewares.asyncio, "sleep", lambda seconds: pytest.fail("should not wait"))
    middleware = make_middleware()
    request = Request("https://orda.kz/a-408930/")
    for status in (200, 404):
        response = Response(request.url, status=status)
        assert asyncio.run(middleware.process_response(request, response)) is response
