"""Extraction of article pages: golden pages per outlet, then every kind of bad input."""

from __future__ import annotations

import json
import random
from dataclasses import replace
from datetime import datetime
from pathlib import Path

import pytest

from crawler.dates import ALMATY
from crawler.extraction import Extracted, PageRules, decode_html, extract

PAGES = Path(__file__).parent / "data" / "pages"
EXPECTED = json.loads((PAGES / "expected.json").read_text(encoding="utf-8"))
NOW = datetime(2025, 11, 20, 12, 0, tzinfo=ALMATY)

# The rules recommended for spiders/<outlet>.py; kept here until the spiders exist so the golden pages
# test exactly what the crawl will run.
OUTLET_RULES = {
    "vlast": PageRules(
        title=("li.has-title h1",),
        date=("ul.item-expand-meta time",),
        body="div.js-mediator-article",  # trafilatura keeps the meta list (title, views, author) as text
    ),
    "azattyq": PageRules(
        body="div#article-content",
        author_ignore=(r"^RFE/RL",),
        media_page="body.pg-media",
    ),
    "orda": PageRules(
        body="div.single-content",
        drop_lines=(r"^Ордынка\s*\|", r"(?i)файлы cookie", r"^Зарегистрируйтесь"),
    ),
    "ulysmedia": PageRules(date=("span.date",)),
    "bureau": PageRules(
        title=("h1.entry-title",),
        date=("div.entry-date",),
        author=("div.entry-author",),
        body="div.entry-content",
    ),
}


def page(name: str) -> bytes:
    return (PAGES / name).read_bytes()


def run(
    body: bytes | str, rules: PageRules | None = None, url: str = "https://vlast.kz/x.html", **kw
) -> Extracted:
    return extract(body, url, rules or PageRules(), now=NOW, **kw)


def article_html(body: str = "", head: str = "", body_attrs: str = "") -> str:
    paragraph = (
        "<p>" + "Суд приговорил активиста к трём годам ограничения свободы за пост в соцсетях. " * 4 + "</p>"
    )
    return (
        f"<!DOCTYPE html><html><head><meta charset='utf-8'><title>Новость — Сайт</title>{head}</head>"
        f"<body{body_attrs}><h1>Заголовок новости</h1>"
        f"<div class='text'>{body or paragraph}</div></body></html>"
    )


# -------------------------------------------------------------------------------------- golden pages


@pytest.mark.parametrize("outlet", sorted(EXPECTED))
def test_outlet_page_gives_the_bulletin_text_and_metadata(outlet: str) -> None:
    expected = EXPECTED[outlet]
    got = extract(page(f"{outlet}.html"), expected["url"], OUTLET_RULES[outlet], now=NOW)

    assert got.text.split("\n\n") == expected["paragraphs"]
    assert (got.url, got.title, got.author) == (expected["url"], expected["title"], expected["author"])
    assert (got.published, got.published_raw) == (expected["published"], expected["published_raw"])
    assert (got.lang, got.skip_reason, got.date_problem, got.encoding) == ("ru", None, None, "utf-8")


@pytest.mark.parametrize("outlet", ["orda", "ulysmedia"])
def test_trafilatura_path_matches_the_paragraphs_without_a_body_rule(outlet: str) -> None:
    # orda's rule sets ``body`` for speed; without it trafilatura must still give the same text once
    # drop_lines is applied, and must not repeat the headline as a first paragraph (ulysmedia).
    rules = replace(OUTLET_RULES[outlet], body=None)
    got = extract(page(f"{outlet}.html"), EXPECTED[outlet]["url"], rules, now=NOW)
    assert got.text.split("\n\n") == EXPECTED[outlet]["paragraphs"]


def test_orda_rubric_cookie_and_registration_lines_are_stripped() -> None:
    got = run(page("orda.html"), OUTLET_RULES["orda"], "https://orda.kz/x-408930/")
    assert "Ордынка |" not in got.text
    assert "cookie" not in got.text
    assert "Зарегистрируйтесь" not in got.text
    assert run(page("orda.html"), replace(OUTLET_RULES["orda"], drop_lines=())).text.startswith(
        "Ордынка | Общество"
    )


def test_vlast_russian_text_date_without_datetime_attribute() -> None:
    got = run(page("vlast.html"), OUTLET_RULES["vlast"])
    assert got.published_raw == "12 ноября 2025, 14:05"
    assert got.published == "2025-11-12T14:05:00+05:00"


def test_bureau_numeric_date_and_byline() -> None:
    got = run(page("bureau.html"), OUTLET_RULES["bureau"], "https://bureau.kz/?p=1234")
    assert (got.published_raw, got.published) == ("11.11.2025", "2025-11-11T00:00:00+05:00")
    assert got.author == "Андрей Гришин"
    assert got.url == "https://bureau.kz/novosti/podslushannye-razgovory/"  # short link → canonical


def test_kazakh_page_is_kk_with_kazakh_date() -> None:
    got = run(page("vlast-kk.html"), OUTLET_RULES["vlast"])
    assert got.lang == "kk"
    assert got.published == "2025-11-12T16:30:00+05:00"
    assert got.title == "Мәжіліс «ЛГБТ насихатына» тыйым салатын түзетулерді қабылдады"


# -------------------------------------------------------------------------------------------- authors


def test_azattyq_author_list_drops_rfe_rl_and_title_cases_upper_case_names() -> None:
    ld = {
        "@type": "NewsArticle",
        "headline": "Суд над &quot;активистами&quot;",
        "author": [
            {"@type": "Organization", "name": "RFE/RL"},
            {"@type": "Person", "name": "ЖАНАРА КАРИМОВА"},
            {"@type": "Person", "name": "Асель Нурланова"},
        ],
        "datePublished": "2025-11-14T09:12:00Z",
    }
    head = f'<script type="application/ld+json">{json.dumps(ld, ensure_ascii=False)}</script>'
    got = run(article_html(head=head), OUTLET_RULES["azattyq"], "https://rus.azattyq.org/a/33591001.html")
    assert got.author == "Жанара Каримова, Асель Нурланова"
    assert got.title == 'Суд над "активистами"'
    assert got.published == "2025-11-14T14:12:00+05:00"


def test_staff_piece_has_no_author() -> None:
    got = run(page("azattyq.html"), OUTLET_RULES["azattyq"])
    assert got.author is None


def test_broken_json_ld_is_ignored() -> None:
    head = '<script type="application/ld+json">{"@type": "NewsArticle", "headline": </script>'
    got = run(article_html(head=head))
    assert got.title == "Заголовок новости"
    assert got.skip_reason is None


# ----------------------------------------------------------------------------------------- encodings


def test_windows_1251_bytes_without_any_declaration_are_decoded_as_cyrillic() -> None:
    html = article_html().replace("<meta charset='utf-8'>", "")
    got = run(html.encode("cp1251"))
    assert got.encoding == "windows-1251"
    assert got.title == "Заголовок новости"
    assert "Суд приговорил активиста" in got.text


def test_utf8_page_with_a_wrong_declared_charset_is_still_utf8() -> None:
    got = run(article_html().encode("utf-8"), declared_encoding="windows-1251")
    assert got.encoding == "utf-8"
    assert got.title == "Заголовок новости"


def test_declared_utf8_on_windows_1251_bytes_falls_back_to_sniffing() -> None:
    body = article_html().replace("<meta charset='utf-8'>", "").encode("cp1251")
    assert decode_html(body, "utf-8")[1] == "windows-1251"


def test_meta_charset_is_used_when_the_header_says_nothing() -> None:
    html = article_html().replace("charset='utf-8'", "charset='koi8-r'").replace("—", "-")
    body = html.encode("koi8-r")
    text, encoding = decode_html(body)
    assert encoding == "koi8-r"
    assert "Заголовок новости" in text


def test_unknown_declared_charset_is_ignored() -> None:
    assert decode_html("Привет".encode(), "x-no-such-charset") == ("Привет", "utf-8")


def test_western_bytes_without_declaration_are_windows_1252() -> None:
    assert decode_html("Café über naïve".encode("cp1252")) == ("Café über naïve", "windows-1252")


def test_utf8_bom_wins() -> None:
    assert decode_html(b"\xef\xbb\xbf" + "Привет".encode(), "windows-1251") == ("Привет", "utf-8")


# -------------------------------------------------------------------------------------- bad input


def test_empty_body_is_no_text() -> None:
    got = run(b"")
    assert (got.skip_reason, got.text, got.title) == ("no text", "", None)


def test_truncated_page_keeps_what_it_can() -> None:
    body = page("vlast.html")
    truncated = body[: len(body) // 2 + 1]  # cuts inside a two-byte Cyrillic letter
    got = run(truncated, OUTLET_RULES["vlast"])
    assert got.title == EXPECTED["vlast"]["title"]
    assert got.text.split("\n\n")[0] == EXPECTED["vlast"]["paragraphs"][0]


@pytest.mark.parametrize(
    ("garbage", "reason"),
    [
        (random.Random(0).randbytes(5000), "not HTML"),
        (b"%PDF-1.7\n%\xe2\xe3\xcf\xd3\n" + random.Random(1).randbytes(3000), "not HTML"),
        (b"\x00\x00\x00\x00", "not HTML"),
        (b"<<<>>><html><<body", "too short (7 chars)"),
        (b"<html><body><p>\xcf\xf0\xe8\xe2\xe5\xf2\x00</p></body></html>", "too short (6 chars)"),
        (
            b"<?xml version='1.0' encoding='windows-1251'?><html><p>\xcf\xf0\xe8\xe2\xe5\xf2</p>",
            "too short (6 chars)",
        ),
        (b"   \n\t  ", "no text"),
    ],
    ids=["random-bytes", "pdf", "nul-bytes", "broken-tags", "stray-nul", "xml-declaration", "whitespace"],
)
def test_garbage_never_raises(garbage: bytes, reason: str) -> None:
    assert run(garbage).skip_reason == reason


def test_media_page_is_skipped() -> None:
    html = article_html(
        body="<div class='player'><audio src='/a.mp3'></audio><p>Аудионовости</p></div>",
        body_attrs=" class='pg-media'",
    )
    got = run(html, OUTLET_RULES["azattyq"], "https://rus.azattyq.org/a/33591002.html")
    assert got.skip_reason == "media page"
    assert got.text == ""


def test_short_page_is_skipped_with_its_length() -> None:
    got = run(article_html(body="<p>Подробности позже.</p>"))
    assert got.skip_reason == "too short (18 chars)"


# ---------------------------------------------------------------------------------------------- dates


@pytest.mark.parametrize(
    ("raw", "problem"),
    [
        ("2031-01-01T10:00:00+05:00", "date in the future"),
        ("1999-12-31T10:00:00+05:00", "date before 2000"),
        ("скоро", "unparseable date 'скоро'"),
    ],
)
def test_bad_page_date_is_rejected_with_its_reason(raw: str, problem: str) -> None:
    head = f'<meta property="article:published_time" content="{raw}">'
    got = run(article_html(head=head))
    assert got.published is None
    assert got.published_raw == raw
    assert got.date_problem.startswith(problem)


def test_feed_date_is_the_last_resort() -> None:
    got = run(article_html(), fallback_date="Fri, 14 Nov 2025 09:12:00 +0000")
    assert (got.published, got.date_problem) == ("2025-11-14T14:12:00+05:00", None)


def test_structured_date_beats_visible_text() -> None:
    got = run(page("ulysmedia.html"), OUTLET_RULES["ulysmedia"])
    assert got.published_raw == "2025-11-10T16:20:00+05:00"


def test_page_without_any_date_has_no_problem() -> None:
    got = run(article_html())
    assert (got.published, got.published_raw, got.date_problem) == (None, None, None)


# ------------------------------------------------------------------------------------- URL and title


def test_relative_canonical_is_made_absolute() -> None:
    got = run(
        article_html(head='<link rel="canonical" href="/novosti/1-x.html">'), url="https://vlast.kz/a?utm=1"
    )
    assert got.url == "https://vlast.kz/novosti/1-x.html"


def test_canonical_on_another_domain_is_ignored() -> None:
    got = run(
        article_html(head='<link rel="canonical" href="https://evil.example/x">'), url="https://vlast.kz/a"
    )
    assert got.url == "https://vlast.kz/a"


def test_site_name_is_stripped_from_the_html_title() -> None:
    got = run(article_html().replace("<h1>Заголовок новости</h1>", ""))
    assert got.title == "Новость"


def test_http_equiv_charset_and_xml_declaration_decode_cyrillic() -> None:
    cp1251 = "Привет".encode("cp1251")
    http_equiv = b"<meta http-equiv='Content-Type' content='text/html; charset=windows-1251'><p>" + cp1251
    xml = b"<?xml version='1.0' encoding='windows-1251'?><html><p>" + cp1251
    for body in (http_equiv, xml):
        got = run(body)
        assert (got.text, got.encoding) == ("Привет", "windows-1251")
