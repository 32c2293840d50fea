"""The offline snapshot (crawler/snapshot/): routes are well formed and the content is what the tests rely on.

No network, no Scrapy: reads the routes.yml files and the generated pages only.
"""

import filecmp
import html
import re
import subprocess
import sys
from pathlib import Path
from urllib.parse import urlsplit

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SNAP = ROOT / "crawler" / "snapshot"
OUTLETS = ("vlast", "azattyq", "orda", "ulysmedia", "bureau")
HOSTS = {
    "vlast": {"vlast.kz"},
    "azattyq": {"rus.azattyq.org"},
    "orda": {"orda.kz", "kaz.orda.kz"},
    "ulysmedia": {"ulysmedia.kz", "qaz.ulysmedia.kz"},
    "bureau": {"bureau.kz"},
}
# Article URL patterns (outlets.md); bureau: /novosti/<slug>/, /monitoring_2/<sub>/<slug>/, /?p=<id>.
ARTICLE_RE = {
    "vlast": r"^https?://(www\.)?vlast\.kz/(?P<section>[a-z0-9-]+)/(?P<id>\d+)-[^/]+\.html$",
    "azattyq": r"^https?://rus\.azattyq\.org/(?:a|amp)/(?:[^/]+/)?(?P<id>\d+)\.html$",
    "orda": r"^https?://((kaz|en)\.)?orda\.kz/[a-z0-9-]+-(?P<id>\d{3,})/?$",
    "ulysmedia": r"^https?://(qaz\.)?ulysmedia\.kz/(?P<section>[a-z0-9-]+)/(?P<id>\d+)-[^/]+/?$",
    "bureau": r"^https://bureau\.kz/(novosti/[a-z0-9-]+/|monitoring_2/[a-z0-9_-]+/[a-z0-9-]+/?|\?p=\d+)$",
}
# Discovery URLs of the contract (README.md): everything else routed is an article page or link.
DISCOVERY = {
    "https://vlast.kz/robots.txt",
    "https://vlast.kz/rss",
    "https://vlast.kz/novosti/?archive=1",
    "https://vlast.kz/novosti/2/?archive=1",
    "https://vlast.kz/vlast-qazaqsha/?archive=1",
    "https://rus.azattyq.org/robots.txt",
    "https://rus.azattyq.org/",
    "https://rus.azattyq.org/api/zgroqe_uoq",
    "https://rus.azattyq.org/api/zrqiteuuir",
    "https://rus.azattyq.org/api/zororegtor",
    "https://rus.azattyq.org/z/360",
    "https://orda.kz/robots.txt",
    "https://kaz.orda.kz/robots.txt",
    "https://orda.kz/feed/",
    "https://orda.kz/sitemap/sitemap_news1.xml",
    "https://orda.kz/sitemap/sitemap_news2.xml",
    "https://orda.kz/sitemap/sitemap_news3.xml",
    "https://orda.kz/last-news/",
    "https://ulysmedia.kz/robots.txt",
    "https://qaz.ulysmedia.kz/robots.txt",
    "https://ulysmedia.kz/rss/",
    "https://ulysmedia.kz/news/",
    "https://qaz.ulysmedia.kz/news/",
    "https://bureau.kz/robots.txt",
    "https://bureau.kz/feed/",
    "https://bureau.kz/novosti/feed/",
    "https://bureau.kz/wp-json/wp/v2/posts?per_page=100",
    "https://bureau.kz/wp-sitemap.xml",
    "https://bureau.kz/sitemap_index.xml",
}
KEYS = {"url", "file", "status", "type", "delay", "redirect", "pad_to", "note"}


def routes(outlet):
    return yaml.safe_load((SNAP / outlet / "routes.yml").read_text(encoding="utf-8"))


def all_routes():
    return {r["url"]: (o, r) for o in OUTLETS for r in routes(o)}


def body(outlet, route):
    return (SNAP / outlet / route["file"]).read_bytes() if "file" in route else b""


def samples():
    return yaml.safe_load((ROOT / "tests" / "data" / "sample_articles.yml").read_text(encoding="utf-8"))


@pytest.mark.parametrize("outlet", OUTLETS)
def test_routes_are_well_formed(outlet):
    entries = routes(outlet)
    assert isinstance(entries, list) and entries
    urls = [r["url"] for r in entries]
    assert len(urls) == len(set(urls)), "duplicate URL"
    for r in entries:
        assert set(r) <= KEYS, r
        parts = urlsplit(r["url"])
        assert parts.scheme == "https" and parts.hostname in HOSTS[outlet], r["url"]
        if "file" in r:
            assert (SNAP / outlet / r["file"]).is_file(), r["file"]
        assert isinstance(r.get("status", 200), int)


@pytest.mark.parametrize("outlet", OUTLETS)
def test_contract_discovery_urls_are_routed(outlet):
    urls = {r["url"] for r in routes(outlet)}
    assert {u for u in DISCOVERY if urlsplit(u).hostname in HOSTS[outlet]} <= urls


@pytest.mark.parametrize("outlet", OUTLETS)
def test_article_urls_match_outlet_pattern(outlet):
    articles = [r for r in routes(outlet) if r["url"] not in DISCOVERY]
    assert len(articles) >= 8
    for r in articles:
        assert re.match(ARTICLE_RE[outlet], r["url"]), r["url"]


@pytest.mark.parametrize("outlet", OUTLETS)
def test_every_article_page_is_discoverable(outlet):
    """Each 200 article URL (canonical form) is named by at least one listing, feed, sitemap or API."""
    found = b"".join(body(outlet, r) for r in routes(outlet) if r["url"] in DISCOVERY)
    found = html.unescape(found.decode("utf-8"))
    for r in routes(outlet):
        if r["url"] in DISCOVERY or r.get("status", 200) != 200 or "/?p=" in r["url"]:
            continue
        if re.search(r"/a/\d+\.html$|/amp/", r["url"]):
            continue  # azattyq twins: the listing gives the id
        assert urlsplit(r["url"]).path in found, r["url"]


def test_nine_sample_articles_are_routed_with_their_text():
    table = all_routes()
    items = samples()
    assert len(items) == 9
    for item in items:
        outlet, route = table[item["url"]]
        assert outlet == item["outlet"] and route.get("status", 200) == 200 and "delay" not in route
        page = body(outlet, route).decode("utf-8")
        assert html.escape(item["title"]) in page
        for p in item["paragraphs"]:
            assert f"<p>{html.escape(p)}</p>" in page, p[:60]
        if item["author"]:
            assert html.escape(item["author"]) in page


def test_sample_titles_are_the_bulletin_titles_except_the_edited_one():
    edited = [i for i in samples() if i["title"].upper() != i["bulletin_title"]]
    assert [i["outlet"] for i in edited] == ["ulysmedia"]


def test_windows_1251_page():
    [(outlet, file)] = {(o, r["file"]) for o, r in all_routes().values() if r.get("type") == "text/html"}
    raw = (SNAP / outlet / file).read_bytes()
    with pytest.raises(UnicodeDecodeError):
        raw.decode("utf-8")
    text = raw.decode("cp1251")
    assert "Кокшетау" in text and "charset" not in text.lower()


def test_hostile_page_is_escaped():
    raw = (SNAP / "vlast" / "articles" / "67229.html").read_text(encoding="utf-8")
    assert "<script>alert" not in raw and "<img src=x" not in raw
    assert "Тест &lt;script&gt;alert(1)&lt;/script&gt; заголовок" in raw


def test_special_routes():
    table = all_routes()
    special = [r for _, r in table.values()]
    assert any(r.get("delay", 0) > 2 for r in special)
    assert any(r.get("pad_to", 0) > 5_000_000 for r in special)
    assert {r.get("status") for r in special} >= {404, 410, 500}
    assert table["https://bureau.kz/sitemap_index.xml"][1].get("file") is None
    assert "<item>" not in body("azattyq", table["https://rus.azattyq.org/api/zrqiteuuir"][1]).decode()
    assert b"<html" in body("ulysmedia", table["https://ulysmedia.kz/rss/"][1])
    news = body("ulysmedia", table["https://ulysmedia.kz/news/"][1]).decode()
    assert "?utm_source=telegram&amp;utm_medium=social" in news


def test_malformed_feed_does_not_parse():
    import xml.etree.ElementTree as ET

    with pytest.raises(ET.ParseError):
        ET.fromstring((SNAP / "azattyq" / "feeds" / "zororegtor.xml").read_bytes())
    for path in SNAP.glob("*/*/*.xml"):
        if path.name != "zororegtor.xml":
            ET.fromstring(path.read_bytes())


def test_kazakh_items():
    kk = [
        r
        for o in OUTLETS
        for r in routes(o)
        if r["url"] not in DISCOVERY
        and "file" in r
        and re.search("[әғқңөұүһі]", body(o, r).decode("utf-8", "replace").split("<h1")[-1][:400])
    ]
    assert len(kk) >= 6


def test_build_script_reproduces_the_committed_files(tmp_path):
    subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "build_snapshot.py"), "--out", str(tmp_path)], check=True
    )
    for outlet in OUTLETS:
        made = sorted(p.relative_to(tmp_path) for p in (tmp_path / outlet).rglob("*") if p.is_file())
        have = sorted(p.relative_to(SNAP) for p in (SNAP / outlet).rglob("*") if p.is_file())
        assert made == have
        _, mismatch, errors = filecmp.cmpfiles(SNAP, tmp_path, [str(p) for p in have], shallow=False)
        assert not mismatch and not errors, mismatch + errors
