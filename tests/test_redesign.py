"""When an outlet renames its article container, extraction falls back to trafilatura and still gives
the same title, date and paragraphs: a redesign of the article markup loses nothing."""

import json
import shutil
from pathlib import Path

import pytest
import yaml

from crawler.extraction import extract
from crawler.outlets import load_outlets
from crawler.replay import SNAPSHOT_DIR
from tests.conftest import run_crawler

SAMPLE = {
    item.get("url_2026", item["url"]): item
    for item in yaml.safe_load(Path("tests/data/sample_articles.yml").read_text("utf-8"))
}
CASES = [  # a sample article per outlet with a body rule, and the container class a redesign renames
    ("vlast", "articles/67168.html", "js-mediator-article"),
    ("azattyq", "articles/33591001.html", 'id="article-content"'),
    ("orda", "articles/408930.html", "newstext"),
    ("bureau", "articles/41873.html", "entry-content"),
]


def normalised(paragraphs: list[str]) -> list[str]:
    return [" ".join(p.split()) for p in paragraphs if p.strip()]


@pytest.mark.parametrize(("outlet", "file", "container"), CASES, ids=[case[0] for case in CASES])
def test_a_renamed_body_container_still_extracts_the_article(outlet: str, file: str, container: str) -> None:
    spider = load_outlets()[outlet]
    routes = yaml.safe_load((SNAPSHOT_DIR / outlet / "routes.yml").read_text("utf-8"))
    url = next(route["url"] for route in routes if route.get("file") == file and route["url"] in SAMPLE)
    page = (SNAPSHOT_DIR / outlet / file).read_bytes()
    assert container.encode() in page
    redesigned = page.replace(container.encode(), container.replace("article", "story").encode() + b"-v2")
    result = extract(redesigned, url, spider.page_rules)
    assert result.title == SAMPLE[url]["title"]
    assert result.published and result.published[:10] == SAMPLE[url]["published"]
    assert normalised(result.text.split("\n\n")) == normalised(SAMPLE[url]["paragraphs"])


def test_a_redesigned_listing_still_finds_the_articles(tmp_path: Path) -> None:
    """vlast's listing loses its item class: the spider falls back to every article link and says so."""
    snapshot = tmp_path / "snapshot"
    shutil.copytree(SNAPSHOT_DIR, snapshot)
    for listing in (snapshot / "vlast" / "listing").glob("*.html"):
        listing.write_text(listing.read_text("utf-8").replace("news-inline-item-body", "card-v2"), "utf-8")
    result = run_crawler(
        tmp_path / "db.sqlite", "run", "--replay", "--outlet", "vlast", "--json", CRAWLER_SNAPSHOT=str(snapshot)
    )
    assert result.returncode == 0, result.stderr[-2000:]
    vlast = json.loads(result.stdout)["vlast"]
    listing = vlast["strategies"]["https://vlast.kz/novosti/?archive=1"]
    assert listing["ok"] and "used every article link" in listing["note"]
    assert vlast["new_articles"] >= 10
