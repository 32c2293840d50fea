"""What the spiders yield: plain dataclasses, one per outcome of an article request."""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass
class FetchedPage:
    """An article page as downloaded, not yet extracted."""

    outlet: str
    key: str  # identity of the requested URL (the stored article may end up with the canonical one)
    url: str  # the URL answered (after redirects)
    body: bytes = field(repr=False)
    status: int
    content_type: str | None
    declared_encoding: str | None  # charset from the Content-Type header, if any
    discovered_via: str  # the discovery strategy that found the link
    fallback_date: str | None = None  # the feed's or sitemap's date for the item


@dataclass
class FetchFailure:
    """An article request that produced no page (4xx/5xx after retries, timeout, size cap, ...)."""

    outlet: str
    key: str
    url: str
    status: int | None
    error: str
