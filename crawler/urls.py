"""Canonical URLs and article identity keys, so one article reached by several URLs is one article."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that only say where a click came from: never part of an article's identity.
TRACKING_PARAM = re.compile(
    r"^(utm_[a-z_]+|fbclid|gclid|yclid|dclid|mc_cid|mc_eid|_openstat|igshid|ref|ref_src|from|share|amp)$",
    re.IGNORECASE,
)


def canonical_url(url: str, base: str | None = None, *, keep_www: bool = False) -> str:
    """Absolute URL without tracking parameters, fragment, ``www.`` or default port; host lower-cased.

    The path is kept as the site writes it (a trailing slash can matter to the server); identity
    questions go through ``url_key``. ``keep_www`` keeps the host as the site writes it: the form to
    request and to store (``www.azattyqasia.org`` is the real address; identity ignores the ``www.``).
    """
    if base:
        url = urljoin(base, url.strip())
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower() or "https"
    host = (parts.hostname or "").lower()
    if host.startswith("www.") and not keep_www:
        host = host[4:]
    if parts.port and (scheme, parts.port) not in {("http", 80), ("https", 443)}:
        host = f"{host}:{parts.port}"
    query = [(k, v) for k, v in parse_qsl(parts.query, keep_blank_values=True) if not TRACKING_PARAM.match(k)]
    return urlunsplit((scheme, host, parts.path or "/", urlencode(query), ""))


def url_key(url: str, article_pattern: re.Pattern[str] | None = None) -> str:
    """The identity of the page at ``url``: ``host/<id>`` when the outlet's pattern captures an id,
    else host + path without trailing slash + sorted query. Scheme never matters."""
    url = canonical_url(url)
    parts = urlsplit(url)
    if article_pattern is not None:
        match = article_pattern.match(url)
        if match and match.groupdict().get("id"):
            return f"{parts.netloc}/{match.group('id')}"
    path = parts.path.rstrip("/") or "/"
    query = urlencode(sorted(parse_qsl(parts.query, keep_blank_values=True)))
    return f"{parts.netloc}{path}" + (f"?{query}" if query else "")


def host_of(url: str) -> str:
    """Host without ``www.``, lower-cased."""
    host = (urlsplit(url).hostname or "").lower()
    return host[4:] if host.startswith("www.") else host


def http_url(base: str, href: str | None) -> str | None:
    """``href`` (as found on the page at ``base``) made absolute, when it is an http(s) URL; None for
    anything else — empty, another scheme, or malformed (a port beyond 65535, a broken IPv6 host),
    which the standard library reports by raising."""
    if not href or not href.strip():
        return None
    try:
        url = urljoin(base, href.strip())
        parts = urlsplit(url)
        parts.port  # noqa: B018  # raises ValueError for a malformed port
    except ValueError:
        return None
    return url if parts.scheme.lower() in ("http", "https") and parts.hostname else None
