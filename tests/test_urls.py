import re

import pytest

from crawler.urls import canonical_url, url_key

AZATTYQ = re.compile(r"^https?://rus\.azattyq\.org/(?:a|amp)/(?:[^/]+/)?(?P<id>\d+)\.html$")
ORDA = re.compile(r"^https?://((kaz|en)\.)?orda\.kz/[a-z0-9-]+-(?P<id>\d{3,})/?$")


@pytest.mark.parametrize(
    "url",
    [
        "https://rus.azattyq.org/a/blogera-prigovorili/33591001.html",
        "https://rus.azattyq.org/a/33591001.html",
        "https://rus.azattyq.org/amp/33591001.html",
        "http://rus.azattyq.org/a/33591001.html?utm_source=tg#comments",
    ],
)
def test_azattyq_slug_short_and_amp_forms_are_one_article(url: str) -> None:
    assert url_key(url, AZATTYQ) == "rus.azattyq.org/33591001"


def test_tracking_parameters_fragment_and_www_are_dropped() -> None:
    url = "https://www.Ulysmedia.kz/news/62088-izbili/?utm_source=telegram&utm_medium=social&fbclid=x#top"
    assert canonical_url(url) == "https://ulysmedia.kz/news/62088-izbili/"


def test_meaningful_query_parameters_are_kept() -> None:
    assert canonical_url("https://bureau.kz/?p=123&utm_campaign=x") == "https://bureau.kz/?p=123"


def test_trailing_slash_does_not_make_a_new_article() -> None:
    assert url_key("https://orda.kz/some-slug-408930/", ORDA) == url_key("https://orda.kz/some-slug-408930", ORDA)
    assert url_key("https://bureau.kz/novosti/x/") == url_key("https://bureau.kz/novosti/x")


def test_kazakh_site_ids_do_not_collide_with_russian_ones() -> None:
    assert url_key("https://kaz.orda.kz/a-408930/", ORDA) != url_key("https://orda.kz/a-408930/", ORDA)


def test_relative_links_resolve_against_the_page() -> None:
    assert canonical_url("/novosti/1-x.html", base="https://vlast.kz/novosti/?archive=1") == (
        "https://vlast.kz/novosti/1-x.html"
    )
