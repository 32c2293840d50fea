"""Turn a fetched article page into an :class:`Extracted` record: URL, title, author, date, language, text.

The page is decoded and parsed once. Metadata is read from that tree first (JSON-LD, meta tags, the
outlet's selectors), because trafilatura rewrites the tree it is given; the body then comes either from
the outlet's ``PageRules.body`` paragraphs or from trafilatura on the same tree, never a second parse.
Bad input is a normal outcome: every problem ends up as data (``skip_reason``, ``date_problem``).
"""

from __future__ import annotations

import codecs
import html
import json
import logging
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import datetime
from functools import lru_cache
from itertools import chain
from typing import Any
from urllib.parse import urljoin, urlsplit

import trafilatura
from lxml import etree
from lxml.cssselect import CSSSelector
from lxml.html import HtmlElement, HTMLParser, document_fromstring

from crawler.dates import ALMATY, check_date, parse_date
from crawler.language import detect_language

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class PageRules:
    """Per-outlet overrides, declared as a class attribute in ``spiders/<outlet>.py``."""

    title: tuple[str, ...] = ()  # CSS selectors tried in order before the generic title
    date: tuple[str, ...] = ()  # CSS selectors; a datetime/content attribute wins over the element's text
    author: tuple[str, ...] = ()  # CSS selectors (meta[name=author] content, a byline element's text)
    body: str | None = None  # CSS selector of the body container; its <p> elements are the text
    drop_lines: tuple[str, ...] = ()  # regexes; body paragraphs matching any are removed
    author_ignore: tuple[str, ...] = ()  # regexes; author names matching are dropped
    media_page: str | None = None  # CSS selector; when it matches, the page is a media page
    min_text_chars: int = 200  # shorter text → skip_reason "too short"


@dataclass
class Extracted:
    """What the extraction made of one page; ``skip_reason`` says when it is not an article."""

    url: str
    title: str | None
    author: str | None
    published: str | None
    published_raw: str | None
    date_problem: str | None
    lang: str | None
    text: str
    skip_reason: str | None
    encoding: str


# --------------------------------------------------------------------------------------------- decoding

_BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))
_META_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# Browsers treat these labels as windows-1252 (WHATWG Encoding); pages that say latin-1 mean it.
_AS_WINDOWS_1252 = {"latin-1", "iso8859-1", "ascii", "cp1252"}
_NAMES = {"cp1251": "windows-1251", "cp1252": "windows-1252", "utf-8-sig": "utf-8"}
_SINGLE_BYTE_CYRILLIC = re.compile(rb"[\xc0-\xff]{2,}")
_HIGH_BYTE = re.compile(rb"[\x80-\xff]")


def decode_html(body: bytes, declared: str | None = None) -> tuple[str, str]:
    """Decode page bytes; returns ``(text, encoding)``.

    Order: BOM, the declared (HTTP header) charset, ``<meta charset>``/http-equiv, UTF-8 when the bytes
    are valid UTF-8, windows-1251 when the high bytes look like Cyrillic words, else windows-1252.
    A declared or meta charset is ignored when it cannot decode the bytes, and a single-byte one is
    ignored when the bytes are valid UTF-8 with non-ASCII characters: legacy Cyrillic text is practically
    never valid UTF-8 by accident, so that combination means the declaration is wrong.
    """
    for bom, codec in _BOMS:
        if body.startswith(bom):
            return body.decode(codec, errors="replace"), _NAMES.get(codec, codec)
    utf8 = _try_decode(body, "utf-8")
    utf8_with_non_ascii = utf8 is not None and not body.isascii()
    meta = _META_CHARSET.search(body[:4096])
    for label in (declared, meta.group(1).decode("ascii") if meta else None):
        codec = _codec_name(label)
        if codec is None or (utf8_with_non_ascii and codec != "utf-8" and _single_byte(codec)):
            continue
        text = utf8 if codec == "utf-8" else _try_decode(body, codec)
        if text is not None:
            return text, _NAMES.get(codec, codec)
    if utf8 is not None:
        return utf8, "utf-8"
    if _looks_cyrillic(body):
        return body.decode("cp1251", errors="replace"), "windows-1251"
    return body.decode("cp1252", errors="replace"), "windows-1252"


def _codec_name(label: str | None) -> str | None:
    if not label:
        return None
    try:
        name = codecs.lookup(label.strip().strip("\"'")).name
    except LookupError:
        return None
    return "cp1252" if name in _AS_WINDOWS_1252 else name


def _single_byte(codec: str) -> bool:
    return not codec.startswith(("utf", "gb", "big5", "euc", "shift", "iso2022", "cp9", "hz"))


def _try_decode(body: bytes, codec: str) -> str | None:
    try:
        return body.decode(codec)
    except (UnicodeDecodeError, LookupError):
        return None


def _looks_cyrillic(body: bytes) -> bool:
    # In windows-1251, Russian letters are 0xC0-0xFF and come in runs (whole words); in windows-1252
    # Western text the high bytes are lone accented letters between ASCII ones.
    high = len(_HIGH_BYTE.findall(body))
    in_runs = sum(len(run) for run in _SINGLE_BYTE_CYRILLIC.findall(body))
    return high > 0 and in_runs / high >= 0.5


# ---------------------------------------------------------------------------------------------- parsing

# The parser trafilatura uses itself (comments and processing instructions dropped), fed UTF-8 bytes:
# lxml parses bytes several times faster than a str, and trafilatura runs faster on the resulting tree.
_PARSER = HTMLParser(collect_ids=False, default_doctype=False, remove_comments=True, remove_pis=True, encoding="utf-8")
# Bytes no text file has: a page full of them is an image, a PDF or noise, whatever its Content-Type says.
_BINARY_BYTES = re.compile(rb"[\x00-\x08\x0e-\x1a\x1c-\x1f]")
# libxml2 stops at NUL and rejects other C0 controls; garbage bytes decoded as windows-1252 carry them.
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f]+")


def _looks_binary(body: bytes) -> bool:
    head = body[:4096]
    found = len(_BINARY_BYTES.findall(head))
    return found >= 4 and found > len(head) // 100


def _parse(text: str) -> HtmlElement | None:
    text = _CONTROL_CHARS.sub("", text)
    if not text.strip():
        return None
    try:
        return document_fromstring(text.encode("utf-8", errors="replace"), parser=_PARSER)
    except (etree.ParserError, etree.XMLSyntaxError, ValueError):
        return None


@lru_cache(maxsize=512)
def _selector(css: str) -> CSSSelector:
    return CSSSelector(css)


@lru_cache(maxsize=512)
def _regex(pattern: str) -> re.Pattern[str]:
    return re.compile(pattern)


def _clean(value: str | None) -> str:
    return " ".join(value.split()) if value else ""


def _select_values(tree: HtmlElement, selectors: Iterable[str], attributes: tuple[str, ...]) -> Iterator[str]:
    """Values of the elements each selector matches: the first non-empty attribute, else the text."""
    for css in selectors:
        for element in _selector(css)(tree):
            value = next((element.get(a) for a in attributes if element.get(a)), None)
            value = _clean(value if value is not None else element.text_content())
            if value:
                yield value


@lru_cache(maxsize=64)
def _xpath(path: str) -> etree.XPath:
    # Compiled XPath runs inside libxml2; ElementPath (find/iterfind) walks the tree in Python.
    return etree.XPath(path)


def _meta(tree: HtmlElement, key: str, value: str) -> str | None:
    for content in _xpath(f"//meta[@{key}=$value]/@content")(tree, value=value):
        if content := _clean(content):
            return content
    return None


# --------------------------------------------------------------------------------------------- JSON-LD

_ARTICLE_TYPES = {"NewsArticle", "Article", "ReportageNewsArticle", "BlogPosting", "AnalysisNewsArticle"}


def _json_ld_article(tree: HtmlElement) -> dict[str, Any]:
    """The first Article-like JSON-LD object on the page ({} when none or when the JSON is broken)."""
    for script in _xpath("//script[@type='application/ld+json']")(tree):
        try:
            data = json.loads(script.text or "", strict=False)
        except ValueError:
            continue
        for item in _json_ld_items(data):
            kinds = item.get("@type")
            kinds = {kinds} if isinstance(kinds, str) else set(kinds or ())
            if kinds & _ARTICLE_TYPES:
                return item
    return {}


def _json_ld_items(data: Any) -> Iterator[dict[str, Any]]:
    if isinstance(data, list):
        for entry in data:
            yield from _json_ld_items(entry)
    elif isinstance(data, dict):
        yield data
        yield from _json_ld_items(data.get("@graph"))


def _json_ld_names(value: Any) -> list[str]:
    if isinstance(value, list):
        return [name for entry in value for name in _json_ld_names(entry)]
    if isinstance(value, dict):
        value = value.get("name")
    return [_clean(html.unescape(value))] if isinstance(value, str) and value.strip() else []


# ------------------------------------------------------------------------------------------- metadata

_TITLE_SUFFIX = re.compile(r"\s+(?:[—–|·:-]|::)\s+[^—–|]+$")


def _title(tree: HtmlElement, rules: PageRules, ld: dict[str, Any]) -> str | None:
    for value in _select_values(tree, rules.title, ("content",)):
        return value
    if isinstance(ld.get("headline"), str) and (headline := _clean(html.unescape(ld["headline"]))):
        return headline
    if og_title := _meta(tree, "property", "og:title"):
        return og_title
    for h1 in _xpath("//h1")(tree):
        if text := _clean(h1.text_content()):
            return text
    titles = _xpath("//title")(tree)
    text = _clean(titles[0].text_content()) if titles else ""
    # "<title>Headline — Site name</title>": the last separated segment is the site, not the headline.
    return _TITLE_SUFFIX.sub("", text) or text or None


def _author(tree: HtmlElement, rules: PageRules, ld: dict[str, Any]) -> str | None:
    sources = (
        lambda: _json_ld_names(ld.get("author")),
        lambda: list(_select_values(tree, rules.author, ("content",))),
        lambda: [value] if (value := _meta(tree, "name", "author")) else [],
    )
    ignore = [_regex(pattern) for pattern in rules.author_ignore]
    for source in sources:
        names = [_normal_case(n) for n in source() if not any(p.search(n) for p in ignore)]
        if names:
            return ", ".join(dict.fromkeys(names))
    return None


def _normal_case(name: str) -> str:
    # Pangea's JSON-LD writes people as "ЖАНАРА КАРИМОВА"; the store keeps "Жанара Каримова".
    return name.title() if name.isupper() else name


def _date_candidates(tree: HtmlElement, rules: PageRules, ld: dict[str, Any]) -> Iterator[str]:
    """Raw date strings, the article's own first: structured data (JSON-LD, meta tags, an element marked
    ``itemprop=datePublished``), the outlet's selectors, a ``<time pubdate>``, then any other ``<time>``
    that is not part of the page's chrome. A ``<time>`` in navigation, a sidebar or a block of related
    articles carries another article's date and never counts."""
    if isinstance(ld.get("datePublished"), str):
        yield ld["datePublished"]
    if value := _meta(tree, "property", "article:published_time"):
        yield value
    if value := _meta(tree, "itemprop", "datePublished"):
        yield value
    yield from _select_values(tree, ("[itemprop=datePublished]",), ("datetime", "content"))
    yield from _select_values(tree, rules.date, ("datetime", "content"))
    own = [element for element in _selector("time")(tree) if not _in_chrome(element)]
    for attribute in ("pubdate", "datetime"):
        for element in own:
            if element.get(attribute) is not None and (value := _clean(element.get("datetime"))):
                yield value
    for element in own:
        if value := _clean(element.text_content()):
            yield value


# Page parts that show other articles or the site itself, by tag or by a class/id word.
_CHROME_TAGS = {"nav", "aside", "footer"}
_CHROME_WORDS = re.compile(
    r"(?:^|[\s_-])(?:related|similar|recommend\w*|popular|most-?read|mostread|sidebar|widget|teasers?|also|more|"
    r"latest|trending|newslist\d*|news-?list|news-?feed|lenta|menu|nav|navbar|breadcrumbs?|comments?|footer|"
    r"media-block(?:-wrap)?|read-?also|other-?news|top-?news|glavnoe|cookie)(?:$|[\s_-])",
    re.IGNORECASE,
)


def _in_chrome(element: HtmlElement) -> bool:
    for ancestor in element.iterancestors():
        tag = ancestor.tag if isinstance(ancestor.tag, str) else ""
        if tag in _CHROME_TAGS:
            return True
        if tag == "header" and not any(a.tag in ("article", "main") for a in ancestor.iterancestors()):
            return True  # the site's header, not an article's
        names = f"{ancestor.get('class') or ''} {ancestor.get('id') or ''}"
        if names.strip() and _CHROME_WORDS.search(names):
            return True
    return False


def _published(candidates: Iterable[str], now: datetime | None) -> tuple[str | None, str | None, str | None]:
    """(ISO date, raw string, problem): the first acceptable candidate, else the first one's problem."""
    first_problem: tuple[str, str] | None = None
    for raw in candidates:
        value = parse_date(raw, now=now)
        problem = f"unparseable date {raw!r}" if value is None else check_date(value, now=now)
        if value is not None and problem is None:
            iso = value.astimezone(ALMATY).replace(microsecond=0).isoformat()
            return iso, raw, None
        if first_problem is None and problem is not None:
            first_problem = (raw, problem)
    if first_problem:
        return None, first_problem[0], first_problem[1]
    return None, None, None


def _registrable_domain(host: str) -> str:
    labels = host.lower().rstrip(".").split(".")
    # Two labels name the site (orda.kz, azattyq.org) except under generic second-level zones.
    keep = 3 if len(labels) > 2 and labels[-2] in {"com", "org", "net", "gov", "edu", "co", "ac"} else 2
    return ".".join(labels[-keep:])


def _canonical_url(tree: HtmlElement, url: str) -> str:
    fetched_host = urlsplit(url).hostname
    for href in _xpath("//link[@rel='canonical']/@href")(tree):
        absolute = urljoin(url, href.strip())
        parts = urlsplit(absolute)
        if (
            parts.scheme in {"http", "https"}
            and parts.hostname
            and fetched_host
            and _registrable_domain(parts.hostname) == _registrable_domain(fetched_host)
        ):
            return absolute
    return url


# ------------------------------------------------------------------------------------------------ body


def _rule_paragraphs(tree: HtmlElement, css: str) -> list[str]:
    return [
        text for container in _selector(css)(tree) for p in container.iter("p") if (text := _clean(p.text_content()))
    ]


_META_ITEM = re.compile(r"^- .{0,40}$")  # a short list item before any text: page chrome, not the article


def _trafilatura_paragraphs(tree: HtmlElement, url: str) -> list[str]:
    try:
        text = trafilatura.extract(tree, url=url, include_comments=False)
    except Exception:  # third-party code on hostile input: its crash is a skipped page, not a lost crawl
        logger.warning("trafilatura failed on %s", url, exc_info=True)
        return []
    return [line for line in (_clean(line) for line in (text or "").split("\n")) if line]


def _body(tree: HtmlElement, rules: PageRules, url: str, title: str | None) -> list[str]:
    paragraphs = _rule_paragraphs(tree, rules.body) if rules.body else []
    if not paragraphs:
        paragraphs = _trafilatura_paragraphs(tree, url)
        # trafilatura keeps a headline that sits next to the text; it is already in ``title``.
        if paragraphs and title and paragraphs[0] == _clean(title):
            paragraphs = paragraphs[1:]
        # ... and a page's meta list above the text (byline, view count) as short list items
        while len(paragraphs) > 1 and _META_ITEM.match(paragraphs[0]):
            paragraphs = paragraphs[1:]
    drop = [_regex(pattern) for pattern in rules.drop_lines]
    return [p for p in paragraphs if not any(pattern.search(p) for pattern in drop)]


# ------------------------------------------------------------------------------------------------- API


def extract(
    body: bytes | str,
    url: str,
    rules: PageRules = PageRules(),  # frozen dataclass: safe as a shared default
    *,
    declared_encoding: str | None = None,
    fallback_date: str | None = None,
    now: datetime | None = None,
) -> Extracted:
    """Extract one article page. Never raises on bad HTML: the result's ``skip_reason`` says what is wrong."""
    fallback = [fallback_date] if fallback_date else []
    if isinstance(body, bytes):
        text, encoding = decode_html(body, declared_encoding)
        binary = _looks_binary(body)
    else:
        text, encoding, binary = body, "utf-8", False
    tree = None if binary else _parse(text)
    if tree is None:
        published, raw, problem = _published(fallback, now)
        reason = "not HTML" if binary else "no text"
        return Extracted(url, None, None, published, raw, problem, None, "", reason, encoding)

    ld = _json_ld_article(tree)
    title = _title(tree, rules, ld)
    author = _author(tree, rules, ld)
    published, raw, problem = _published(chain(_date_candidates(tree, rules, ld), fallback), now)
    canonical = _canonical_url(tree, url)

    skip_reason = None
    if rules.media_page and _selector(rules.media_page)(tree):
        paragraphs: list[str] = []
        skip_reason = "media page"
    else:
        paragraphs = _body(tree, rules, url, title)  # last: trafilatura rewrites the tree
    article_text = "\n\n".join(paragraphs)
    if skip_reason is None:
        if not article_text:
            skip_reason = "no text"
        elif len(article_text) < rules.min_text_chars:
            skip_reason = f"too short ({len(article_text)} chars)"
    lang = detect_language(article_text or title or "")
    return Extracted(canonical, title, author, published, raw, problem, lang, article_text, skip_reason, encoding)
