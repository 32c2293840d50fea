"""Word, HTML and Markdown: structure, links, and hostile scraped text staying text."""

from __future__ import annotations

import io
import re
from datetime import date
from html.parser import HTMLParser

import docx
import pytest

from crawler.bulletin.export import export_bulletin
from crawler.store import decisions
from tests.test_export_support import add_article, fresh_db

HOSTILE_TITLE = 'Суд <script>alert("x")</script> & [ссылка](javascript:alert(1)) *жирный*'
HOSTILE_TEXT = "Абзац с <img src=x onerror=alert(1)> и &amp; внутри.\n\n- не список\n\n1. не нумерация"


@pytest.fixture
def db(tmp_path):
    store = fresh_db(tmp_path)
    items = [
        add_article(store, title="Первая новость", rubric="Политзаключенные"),
        add_article(store, title=HOSTILE_TITLE, rubric="Политзаключенные", text=HOSTILE_TEXT),
        add_article(
            store,
            title="Без автора",
            outlet="bureau",
            author=None,
            rubric="NOTA BENE",
            url="https://bureau.kz/novosti/test/",
        ),
    ]
    for article in items:
        decisions.approve(store, article, user="m", expected="candidate")
    return store


def export(db, tmp_path, fmt):
    return export_bulletin(db, fmt, user="editor", out=tmp_path, draft=True, today=date(2025, 11, 15))


def test_docx_structure(db, tmp_path):
    result = export(db, tmp_path, "docx")
    document = docx.Document(io.BytesIO(result.path.read_bytes()))
    headings = [(p.style.name, p.text) for p in document.paragraphs if p.style.name.startswith("Heading")]
    assert headings == [("Heading 1", "«Политзаключенные»"), ("Heading 1", "NOTA BENE")]
    texts = [p.text for p in document.paragraphs]
    title = next(p for p in document.paragraphs if p.text == "ПЕРВАЯ НОВОСТЬ")
    assert all(run.bold for run in title.runs)
    byline = texts[texts.index("ПЕРВАЯ НОВОСТЬ") + 1]
    assert byline == "Тамара ВААЛЬ, интернет-издание «Власть»"
    meta = document.paragraphs[texts.index(byline)]
    assert all(run.italic for run in meta.runs)
    assert texts[texts.index(byline) + 1] == "12 ноября 2025 г."
    assert "Редакция сайта Bureau.kz" in texts
    assert texts.count("* * *") == 2
    # the hostile title is plain text in a run, not markup
    assert 'СУД <script>alert("x")</script> & [ССЫЛКА](javascript:alert(1)) *ЖИРНЫЙ*' in texts
    links = [link.address for p in document.paragraphs for link in p.hyperlinks]
    assert len(links) == 3 and "https://bureau.kz/novosti/test/" in links
    assert all(link.startswith("https://") for link in links)
    props = document.core_properties
    assert props.title == "Бюллетень № 1 от 15 ноября 2025 г."
    assert props.created.date() == date(2025, 11, 15)


class _Collector(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[str] = []
        self.attrs: list[tuple[str, str | None]] = []
        self.text: list[str] = []

    def handle_starttag(self, tag, attrs):
        self.tags.append(tag)
        self.attrs += attrs

    def handle_data(self, data):
        self.text.append(data)


def test_html_is_self_contained_and_escaped(db, tmp_path):
    html = export(db, tmp_path, "html").path.read_text("utf-8")
    parsed = _Collector()
    parsed.feed(html)
    assert "script" not in parsed.tags and "img" not in parsed.tags and "style" not in parsed.tags
    assert not [name for name, _ in parsed.attrs if name.startswith("on")]
    assert "&lt;script&gt;" in html and "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "&amp;amp;" in html  # the text's own '&amp;' shows as written
    hrefs = [value for name, value in parsed.attrs if name in ("href", "src")]
    assert hrefs and all(value.startswith("https://") for value in hrefs)  # no external assets, only sources
    assert parsed.tags.count("h2") == 2 and "«Политзаключенные»" in parsed.text and "NOTA BENE" in parsed.text
    assert re.search(r'<a href="https://bureau.kz/novosti/test/"', html)
    assert "<link" not in html and "<style" not in html


def test_markdown_headings_links_and_escaping(db, tmp_path):
    md = export(db, tmp_path, "md").path.read_text("utf-8")
    assert re.findall(r"^## .*$", md, re.MULTILINE) == ["## «Политзаключенные»", "## NOTA BENE"]
    assert "### ПЕРВАЯ НОВОСТЬ" in md
    assert "<https://bureau.kz/novosti/test/>" in md
    assert r"\<script\>" in md and "<script>" not in md
    assert r"\[ССЫЛКА\](javascript:alert(1))" in md
    assert "\n\\- не список" in md and "\n1\\. не нумерация" in md
    assert md.count("\n* * *\n") == 2
