"""Golden test: the sample bulletin's nine articles (tests/data/sample_articles.yml, as the snapshot holds
them), approved in its order under its rubrics, export as the sample — item by item: rubric headers and
order, item order, title, byline, date, every body paragraph, source URL.

The sample is hand-made; the export is the consistent version of it. Every place where the sample
departs from its own pattern is listed in SAMPLE_INCONSISTENCIES and checked to be exactly that.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
import yaml

from crawler.cli import main
from crawler.store import decisions, open_db
from crawler.store.articles import get_article
from tests.test_export_support import add_article

DATA = Path(__file__).parent / "data" / "export"
SAMPLE = DATA / "sample-bulletin.txt"
ITEMS = Path(__file__).parent / "data" / "sample_articles.yml"  # the snapshot's record of the nine

BUREAU_1 = "https://bureau.kz/novosti/podslushannye-razgovory/"
BUREAU_2 = "https://bureau.kz/novosti/naczczentr-nanosit-otvetnyj-udar/"
BUREAU_3 = "https://bureau.kz/novosti/soczialnaya-zashhita-v-epohu-czifrovizaczii/"
ORDA_SCANDAL = (
    "https://orda.kz/skandal-na-granice-zachem-kazahstancy-sozhgli-flag-i-portret-lidera-sosednej-strany-409077"
)
ORDA_TARAZ = "https://orda.kz/odni-i-te-zhe-policejskie-odin-i-tot-zhe-sudja-kak-v-taraze-fabrikovali-dela-protiv-nevinovnyh-408895/"

# Where the sample is not consistent with itself. Content differences (checked item by item):
# The house style (setting bulletin_bare_url_outlets, default: bureau): the organisation's own items end
# with the bare URL — no 'ИСТОЧНИК:' line and no credit line — as the three bureau.kz items do.
BARE_URL = {BUREAU_1, BUREAU_2, BUREAU_3}
SAMPLE_INCONSISTENCIES = {
    # the '* * *' separator is missing before these items (each starts a new rubric)
    "no separator before": {ORDA_TARAZ, BUREAU_3},
}
# Layout-only differences, normalised away by comparing stripped non-empty lines:
# - leading/trailing spaces on some headers and titles (' «Прогресс?»', ' NOTA BENE', ' ПОДСЛУШАННЫЕ … ');
# - a blank line between title and byline in some items, not in others; a blank between byline and date
#   in the NOTA BENE item; no blank line before 'ИСТОЧНИК:' in the first item; a blank line (or none)
#   after '* * *';
# - some paragraphs separated by a single line break instead of a blank line (vlast, bureau items);
# - trailing spaces at the end of paragraphs; a lone space line at the end of the file.

DATE = re.compile(r"^\d{1,2} [а-я]+ \d{4} г\.$")


def parse_bulletin(text: str) -> list[dict]:
    """Items of a bulletin in the sample's format, from its stripped non-empty lines."""
    items: list[dict] = []
    rubric, separated, current = None, True, None
    for line in (raw.strip() for raw in text.splitlines()):
        if not line:
            continue
        if line == "* * *":
            separated = True
            continue
        if current is None:
            if line == "NOTA BENE" or (line.startswith("«") and line.endswith("»") and line.count("«") == 1):
                rubric = line
                continue
            current = {"rubric": rubric, "title": line, "separated": separated, "body": []}
            separated = False
            continue
        if line.startswith(("http://", "https://")):
            body = current.pop("body")
            current["byline"], current["date"] = body[0], body[1]
            assert DATE.match(current["date"]), current
            rest = body[2:]
            current["source_label"] = "ИСТОЧНИК:" in rest
            if current["source_label"]:
                at = rest.index("ИСТОЧНИК:")
                current["paragraphs"], current["credit"] = rest[:at], rest[at + 1 :]
            else:
                current["paragraphs"], current["credit"] = rest, []
            current["url"] = line
            items.append(current)
            current = None
            continue
        current["body"].append(line)
    assert current is None, f"unfinished item at the end: {current}"
    return items


@pytest.fixture(scope="module")
def exported(tmp_path_factory):
    tmp = tmp_path_factory.mktemp("golden")
    db_path = tmp / "crawler.db"
    db = open_db(db_path)
    articles = yaml.safe_load(ITEMS.read_text("utf-8"))
    ids = []
    for n, article in enumerate(articles):
        article_id = add_article(
            db,
            key=f"sample:{n}",
            url=article["url"],
            outlet=article["outlet"],
            title=article["title"],
            author=article["author"],
            published=f"{article['published']}T12:00:00+05:00",  # the sample gives the day only
            text="\n\n".join(article["paragraphs"]),
            rubric=None,  # as if the rules suggested nothing: the monitor chooses every rubric
        )
        if article["bulletin_title"] != article["title"].upper():  # the Ulysmedia item: an editor's title
            decisions.edit(db, article_id, user="monitor", expected="ignored", title=article["bulletin_title"])
        ids.append(article_id)
    for article_id, article in zip(ids, articles, strict=True):
        assert main(["--db", str(db_path), "queue", "approve", str(article_id), "--rubric", article["rubric"]]) == 0
    out = tmp / "bulletin.txt"
    assert main(["--db", str(db_path), "export", "--format", "txt", "--out", str(out), "--user", "editor"]) == 0
    return {"db_path": db_path, "db": db, "ids": ids, "path": out, "articles": articles, "tmp": tmp}


def test_sample_parses_into_nine_items():
    items = parse_bulletin(SAMPLE.read_text("utf-8"))
    assert [item["url"] for item in items] == [a["url"] for a in yaml.safe_load(ITEMS.read_text("utf-8"))]


def test_export_reproduces_the_sample_item_by_item(exported):
    ours = parse_bulletin(exported["path"].read_text("utf-8"))
    sample = parse_bulletin(SAMPLE.read_text("utf-8"))
    assert len(ours) == len(sample) == 9
    rubric_headers = [item["rubric"] for item in ours]
    assert rubric_headers == [item["rubric"] for item in sample]
    for mine, theirs in zip(ours, sample, strict=True):
        url = theirs["url"]
        assert mine["url"] == url
        assert mine["title"] == theirs["title"], url
        assert mine["byline"] == theirs["byline"], url
        assert mine["date"] == theirs["date"], url
        assert mine["paragraphs"] == theirs["paragraphs"], url
        # our export is consistent: every other item has the label and the credit, every item a separator
        assert mine["separated"] or mine is ours[0]
        if url in BARE_URL:
            assert (mine["source_label"], mine["credit"]) == (theirs["source_label"], theirs["credit"]) == (False, [])
        else:
            assert mine["source_label"] and len(mine["credit"]) == 1
            assert theirs["source_label"] and theirs["credit"] == mine["credit"], url
        if theirs is not sample[0]:
            assert theirs["separated"] is (url not in SAMPLE_INCONSISTENCIES["no separator before"]), url


def test_titles_and_bylines_match_the_snapshot_record(exported):
    ours = parse_bulletin(exported["path"].read_text("utf-8"))
    record = exported["articles"]
    assert [(i["title"], i["byline"]) for i in ours] == [(a["bulletin_title"], a["byline"]) for a in record]
    edited = [a["url"] for a in record if a["bulletin_title"] != a["title"].upper()]
    assert edited == [
        "https://ulysmedia.kz/news/62088-izbili-do-smerti-i-ostavili-na-ulitse-mat-pogibshego-soldata-na-mitinge-v-astane/"
    ]


def test_rubric_header_appears_once_per_rubric(exported):
    text = exported["path"].read_text("utf-8")
    expected = [
        "«Прогресс?»",
        "«Политзаключенные»",
        "«Право на свободу объединения и на профессиональные союзы»",
        "«Право на свободу мирных собраний»",
        "«Произвол силовиков»",
        "NOTA BENE",
    ]
    lines = text.splitlines()
    assert [line for line in lines if line in expected] == expected  # each once, in bulletin order
    for header in expected:  # followed by a blank line and the upper-cased title
        at = lines.index(header)
        assert lines[at + 1] == "" and lines[at + 2] == lines[at + 2].upper()


def test_edited_title_is_the_one_exported(exported):
    text = exported["path"].read_text("utf-8")
    assert "ПЕРЕСМОТР УГОЛОВНЫХ ДЕЛ, КОМПЕНСАЦИИ И ПРИЗЫВНОЙ ВОЗРАСТ" in text
    assert "ИЗБИЛИ ДО СМЕРТИ" not in text


def test_items_are_recorded_and_a_second_export_has_nothing(exported, capsys):
    db, ids = exported["db"], exported["ids"]
    assert {get_article(db, i)["bulletin"] for i in ids} == {1}
    assert {get_article(db, i)["status"] for i in ids} == {"exported"}
    capsys.readouterr()
    again = exported["tmp"] / "again"
    again.mkdir()
    assert main(["--db", str(exported["db_path"]), "export", "--format", "txt", "--out", str(again)]) == 2
    assert "nothing to export" in capsys.readouterr().err
    assert list(again.iterdir()) == []


def test_rerender_of_bulletin_one_is_byte_identical(exported):
    again = exported["tmp"] / "rerendered.txt"
    assert (
        main(["--db", str(exported["db_path"]), "export", "--format", "txt", "--bulletin", "1", "--out", str(again)])
        == 0
    )
    assert again.read_bytes() == exported["path"].read_bytes()
