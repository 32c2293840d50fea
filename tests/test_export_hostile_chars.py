"""Exports and scraped control characters (issue 12): NUL, ESC, C1 controls, bidi overrides and the
private-use hit markers U+E000/U+E001 never reach a txt, html, md or docx bulletin (and never become
markup); the review page sends each export with exactly one charset; heading and file-name templates
with stray braces are text, not a crash."""

from __future__ import annotations

import io
import re
from datetime import date
from pathlib import Path

import docx
import pytest
import sqlite_utils
from flask.testing import FlaskClient

from crawler.bulletin.export import export_bulletin
from crawler.bulletin.model import build_bulletin, fill
from crawler.store import decisions, open_db
from tests.test_export_support import add_article, fresh_db

NASTY = "\x00\x01\x07\x08\x0b\x0c\x1b\x7f\x85\x9b\u202e\u2066\ufeff\ufffe\ue000\ue001\uf8ff"
BAD = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ue000-\uf8ff]")


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    store = fresh_db(tmp_path)
    article = add_article(
        store,
        title=f"Суд{NASTY} над \ue000блогером\ue001",
        text=f"Первый{NASTY} абзац.\r\n\r\nВторой \ue000приговор\ue001 абзац.\x00",
        author=f"Тамара{chr(0)} Вааль",
        rubric="Политзаключенные",
    )
    decisions.approve(store, article, user="m", expected="candidate")
    return store


def _text_of(fmt: str, content: bytes) -> str:
    if fmt != "docx":
        return content.decode("utf-8")
    document = docx.Document(io.BytesIO(content))
    return "\n".join(p.text for p in document.paragraphs)


@pytest.mark.parametrize("fmt", ["txt", "html", "md", "docx"])
def test_control_and_private_use_characters_reach_no_export(
    db: sqlite_utils.Database, tmp_path: Path, fmt: str
) -> None:
    result = export_bulletin(
        db, fmt, user="e", out=tmp_path, draft=True, today=date(2025, 11, 15), heading=f"Бюллетень{NASTY} № {{number}}"
    )
    content = Path(result.path).read_bytes()
    text = _text_of(fmt, content)
    assert BAD.findall(text) == []
    assert "СУД НАД БЛОГЕРОМ" in text  # the words survive, only the characters go
    assert "Второй приговор абзац." in text
    assert "Бюллетень № 1" in text
    assert "<mark" not in text.lower()


def test_private_use_markers_do_not_become_marks_on_the_approved_page(
    client: FlaskClient, token: str, ids: dict[str, int]
) -> None:
    db = open_db(client.application.config["DB_PATH"])
    with db.conn:
        db.conn.execute(
            "UPDATE articles SET title = ?, text = ? WHERE id = ?",
            ["Суд \ue000<b>над</b>\ue001 блогером", "Текст \ue000приговор\ue001.", ids["best"]],
        )
    client.post(f"/article/{ids['best']}/approve", data={"csrf_token": token, "expected": "candidate"})
    for path in ("/approved", f"/article/{ids['best']}"):
        page = client.get(path).get_data(as_text=True)
        assert "<b>над</b>" not in page, path  # the scraped markup stays escaped text
        assert not re.search(r"<mark[^>]*>(над|&lt;b&gt;над)", page), path  # the markers did not become marks
    preview = client.get("/approved").get_data(as_text=True)
    preview = preview[preview.index("<pre") :]
    assert "СУД &lt;b&gt;НАД&lt;/b&gt; БЛОГЕРОМ" in preview and "\ue000" not in preview


@pytest.mark.parametrize("fmt", ["txt", "md", "html", "docx"])
def test_review_page_sends_each_export_with_one_charset(
    client: FlaskClient, token: str, ids: dict[str, int], fmt: str
) -> None:
    client.post(f"/article/{ids['best']}/approve", data={"csrf_token": token, "expected": "candidate"})
    response = client.post("/approved/export", data={"csrf_token": token, "format": fmt})
    assert response.status_code == 200
    content_type = response.headers["Content-Type"]
    assert content_type.count("charset") == (0 if fmt == "docx" else 1), content_type
    if fmt != "docx":
        assert content_type.endswith("; charset=utf-8")


@pytest.mark.parametrize("template", ["{x}", "{", "}{", "{number.__class__}", "{date:%Y}", "№ {number} от {date}"])
def test_heading_template_with_stray_braces_is_text(template: str) -> None:
    bulletin = build_bulletin([], number=7, on=date(2025, 11, 15), heading_template=template)
    expected = template.replace("{number}", "7").replace("{date}", "15 ноября 2025 г.")
    assert bulletin.heading == expected


def test_file_name_template_fills_only_its_own_names() -> None:
    assert fill("b-{number}-{date}{oops}.{ext}", number=3, date="2025-11-15", ext="txt") == "b-3-2025-11-15{oops}.txt"
