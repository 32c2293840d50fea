"""Properties that must hold for any input, checked with Hypothesis (issue 12): hostile or broken input
never crashes classify, the rules loader, URL canonicalisation, date parsing, extraction or the
feed/sitemap readers. Seeded and small (the "ci" profile in tests/conftest.py: derandomized, 40
examples each) so the whole file runs in well under a minute; HYPOTHESIS_PROFILE=deep explores more."""

from __future__ import annotations

import json
import math
import tempfile
from datetime import UTC, datetime, timedelta
from functools import cache
from pathlib import Path
from typing import Any

import scrapy
import yaml
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st
from scrapy.http import TextResponse, XmlResponse
from scrapy.utils.test import get_crawler

from crawler.cli.rules import classify_line
from crawler.dates import ALMATY, check_date, parse_date
from crawler.extraction import extract
from crawler.rules import RuleSet, check_rules, load_rules
from crawler.urls import canonical_url, url_key
from tests.conftest import ROOT

WORDS = ["суд", "приговор", "активист", "задержан", "митинг", "журналист", "пытки", "полиция", "сот", "үкім", "и"]
SNAPSHOT = ROOT / "crawler" / "snapshot"
NOW = datetime(2025, 11, 20, 12, 0, tzinfo=UTC)


@cache
def rules() -> RuleSet:
    return load_rules(ROOT / "rules")


@cache
def spider(name: str) -> Any:
    from spiders import azattyq, orda

    cls = {"orda": orda.OrdaSpider, "azattyq": azattyq.AzattyqSpider}[name]
    return cls.from_crawler(get_crawler(cls))


texts = st.one_of(
    st.text(max_size=300),
    st.lists(st.sampled_from([*WORDS, " ", "\n", "-", ".", "Ё", "\x00", "\ue000"]), max_size=80).map("".join),
)
json_values = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True) | st.text(max_size=20),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=20,
)


# --- classify ----------------------------------------------------------------------------------------


@given(
    st.one_of(
        st.binary(max_size=200),
        st.fixed_dictionaries(
            {},
            optional={
                "id": json_values,
                "title": json_values | texts,
                "text": json_values | texts,
                "lang": json_values,
            },
        ).map(lambda obj: json.dumps(obj, ensure_ascii=False).encode("utf-8", "surrogatepass")),
    )
)
def test_classify_any_line_gives_a_result_or_a_line_error(raw: bytes) -> None:
    output, problem = classify_line(rules(), raw)
    assert output is None or problem is None
    if output is not None:
        result = json.loads(output)
        assert set(result) >= {"id", "rubric", "score", "rubrics", "matches"}
        assert math.isfinite(result["score"])
    if problem is not None:
        assert "\n" not in problem and len(problem) < 300


@given(title=texts, text=texts, lang=st.sampled_from([None, "ru", "kk", "en", "xx"]))
def test_classify_matches_lie_inside_the_text(title: str, text: str, lang: str | None) -> None:
    result = rules().classify(title, text, lang).as_json()
    for match in result["matches"]:
        field = title if match["field"] == "title" else text
        assert 0 <= match["start"] < match["end"] <= len(field)
    assert result["rubric"] is None or result["rubric"] in rules().rubrics


# --- rules files -------------------------------------------------------------------------------------

yaml_values = st.recursive(
    st.none() | st.booleans() | st.integers(-5, 200) | st.floats(allow_nan=False) | st.sampled_from(WORDS)
    | st.text(max_size=10),
    lambda inner: st.lists(inner, max_size=4)
    | st.dictionaries(
        st.sampled_from(["rubric", "order", "threshold", "terms", "exclude", "term", "near", "within", "all", "any",
                         "none", "weight", "lang", "settings", "x"]),
        inner,
        max_size=5,
    ),
    max_leaves=25,
)  # fmt: skip


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(st.one_of(yaml_values.map(lambda v: yaml.safe_dump(v, allow_unicode=True)), st.text(max_size=300)))
def test_any_rules_file_is_loaded_or_reported_by_file_and_line(document: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "01.yml"
        path.write_text(document, "utf-8", errors="surrogatepass")
        problems = check_rules(folder)
        assert all(isinstance(p, str) and p.startswith(folder) for p in problems)  # each names the file
        if not problems:
            load_rules(folder).classify("Суд", "приговор активисту", "ru")


# --- URLs --------------------------------------------------------------------------------------------

hosts = st.sampled_from(["vlast.kz", "www.vlast.kz", "WWW.Orda.KZ", "rus.azattyq.org", "bureau.kz", "ulysmedia.kz"])
segments = st.text(alphabet=st.characters(codec="utf-8", exclude_characters="/?#[]@\\%"), min_size=1, max_size=12)
params = st.lists(
    st.tuples(st.sampled_from(["utm_source", "id", "fbclid", "page", "q", "amp", "ref", "x"]), st.text(max_size=6)),
    max_size=4,
)


@st.composite
def urls(draw: st.DrawFn) -> str:
    from urllib.parse import urlencode

    scheme = draw(st.sampled_from(["http", "https", "HTTPS"]))
    port = draw(st.sampled_from(["", ":80", ":443", ":8080"]))
    path = "/".join(draw(st.lists(segments, max_size=4)))
    slash = draw(st.sampled_from(["", "/"]))
    query = urlencode(draw(params))
    fragment = draw(st.sampled_from(["", "#comments", "#"]))
    return f"{scheme}://{draw(hosts)}{port}/{path}{slash}" + (f"?{query}" if query else "") + fragment


@given(urls())
def test_canonical_url_is_idempotent_and_the_identity_key_stable(url: str) -> None:
    canonical = canonical_url(url)
    assert canonical_url(canonical) == canonical
    assert url_key(canonical) == url_key(url)
    if ":80" not in url and ":443" not in url:  # a default port belongs to its scheme: the swap changes it
        assert url_key(canonical_url(canonical.replace("https://", "http://", 1))) == url_key(url)
    assert "utm_" not in canonical and "#" not in canonical


@given(
    st.lists(
        st.one_of(
            st.text(max_size=60),
            odd_hrefs := st.sampled_from(
                ["http://[::1", "https://orda.kz:99999/a", "https://orda.kz/a:b", "javascript:x", "//orda.kz/x", " "]
            ),
        ),
        max_size=5,
    )
)
def test_any_href_on_a_page_is_accepted_or_skipped_never_a_crash(hrefs: list[str]) -> None:
    crawler_spider = spider("orda")
    root = "https://orda.kz/last-news/"
    crawler_spider.strategy_results[root] = {"kind": "listing", "status": None, "links": 0, "ok": False}
    page = TextResponse(
        root, body=b"<html></html>", encoding="utf-8", request=scrapy.Request(root, meta={"root": root})
    )
    crawler_spider._article_links([(href, None) for href in hrefs], page, via="listing")
    for pending in crawler_spider.pending.values():
        assert pending.url.startswith(("http://", "https://"))


# --- dates -------------------------------------------------------------------------------------------

date_words = st.lists(
    st.sampled_from(["12", "31", "0", "99", "2025", "1999", "9999", "ноября", "февраля", "қараша", "Nov", "г.",
                     "Вчера", "сегодня", ",", " ", ":", "15:30", "25:99", ".", "-", "T", "+05:00", "Z", "GMT"]),
    max_size=8,
).map(" ".join)  # fmt: skip


@given(st.one_of(st.text(max_size=40), date_words, st.datetimes().map(lambda d: d.isoformat())))
def test_parse_date_never_raises(raw: str) -> None:
    parsed = parse_date(raw, now=NOW)
    assert parsed is None or parsed.tzinfo is not None


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(date_words, st.datetimes(timezones=st.just(ALMATY)).map(lambda d: d.isoformat()), st.text(max_size=30))
)
def test_an_extracted_date_is_never_in_the_future_nor_before_2000(raw: str) -> None:
    html = (
        f'<html><head><meta property="article:published_time" content="{_attr(raw)}"><title>T</title></head>'
        f"<body><article><h1>Заголовок</h1><p>{'Текст статьи о суде. ' * 20}</p></article></body></html>"
    )
    result = extract(html.encode("utf-8", "surrogatepass"), "https://vlast.kz/novosti/1-test.html", now=NOW)
    if result.published:
        moment = datetime.fromisoformat(result.published)
        assert datetime(2000, 1, 1, tzinfo=ALMATY) <= moment <= NOW + timedelta(days=1)
        assert check_date(moment, now=NOW) is None


def _attr(text: str) -> str:
    return text.replace("&", "&amp;").replace('"', "&quot;").replace("<", "&lt;")


# --- extraction of mutated pages -----------------------------------------------------------------------

PAGES = (
    sorted((SNAPSHOT / "vlast" / "articles").glob("*.html"))[:3]
    + sorted((SNAPSHOT / "orda" / "articles").glob("*.html"))[:2]
)


@st.composite
def mutated(draw: st.DrawFn, files: list[Path]) -> bytes:
    body = bytearray(draw(st.sampled_from(files)).read_bytes())
    for _ in range(draw(st.integers(1, 6))):
        kind = draw(st.sampled_from(["cut", "drop", "insert", "flip"]))
        at = draw(st.integers(0, max(0, len(body) - 1)))
        if kind == "cut":
            del body[at:]
        elif kind == "drop":
            del body[at : at + draw(st.integers(1, 400))]
        elif kind == "insert":
            body[at:at] = draw(
                st.sampled_from([b"<", b"</div>", b"<script>", b"\x00", b"\xff\xfe", b"<![CDATA[", b"&#0;"])
            )
        elif body:
            body[at] = draw(st.integers(0, 255))
    return bytes(body)


@settings(suppress_health_check=[HealthCheck.too_slow], max_examples=25)
@given(mutated(PAGES))
def test_extraction_of_a_mutated_page_never_raises(body: bytes) -> None:
    result = extract(body, "https://vlast.kz/novosti/1-test.html", now=NOW)
    assert result.skip_reason or result.text


# --- feeds and sitemaps --------------------------------------------------------------------------------

FEEDS = [SNAPSHOT / "orda" / "feeds" / "feed.xml", *sorted((SNAPSHOT / "orda" / "sitemaps").glob("*.xml"))]


def _xml_text(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;")


odd_locs = st.sampled_from(
    ["not a url", "http://[::1", "https://orda.kz:99999/s.xml", "ftp://orda.kz/", "/s2.xml", " "]
)
sitemap_indexes = st.lists(st.one_of(odd_locs, st.text(max_size=30), urls()), min_size=1, max_size=4).map(
    lambda locs: (
        '<?xml version="1.0"?><sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9">'
        + "".join(f"<sitemap><loc>{_xml_text(loc)}</loc></sitemap>" for loc in locs)
        + "</sitemapindex>"
    ).encode("utf-8", "surrogatepass")
)


@settings(suppress_health_check=[HealthCheck.too_slow])
@given(
    st.one_of(mutated(FEEDS), st.binary(max_size=300), sitemap_indexes),
    st.sampled_from(["parse_feed", "parse_sitemap"]),
)
@example(
    b'<sitemapindex xmlns="http://www.sitemaps.org/schemas/sitemap/0.9"><sitemap><loc>not a url</loc></sitemap>'
    b"<sitemap><loc>http://[::1</loc></sitemap><sitemap><loc>https://orda.kz/s.xml</loc></sitemap></sitemapindex>",
    "parse_sitemap",
)
@example(b"<rss><channel><item><link>http://[::1</link></item><item><link>https://orda.kz:99999/1</link></item>"
         b"</channel></rss>", "parse_feed")  # fmt: skip
def test_a_mutated_feed_or_sitemap_is_read_or_reported_never_a_crash(body: bytes, method: str) -> None:
    crawler_spider = spider("orda")
    root = "https://orda.kz/feed/"
    crawler_spider.strategy_results[root] = {"kind": "feed", "status": None, "links": 0, "ok": False, "problem": None}
    request = scrapy.Request(root, meta={"root": root})
    response = XmlResponse(root, body=body, request=request)
    for produced in getattr(crawler_spider, method)(response) or ():  # a callback may return nothing
        assert isinstance(produced, scrapy.Request)
    result = crawler_spider.strategy_results[root]
    assert result["ok"] or result["problem"]
