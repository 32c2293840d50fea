"""The editor's export: Word on A4 in Russian (Kazakh items in Kazakh), files written with the user's
umask, ``--out`` onto a symlink or a device, and the Bureau's own items cited by their bare URL."""

from __future__ import annotations

import os
import stat
import zipfile
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import docx
import pytest
import sqlite_utils
from docx.shared import Mm

from crawler.bulletin.export import export_bulletin
from crawler.errors import ExportError
from crawler.store import decisions
from tests.conftest import run_crawler
from tests.test_export_support import add_article, fresh_db

DAY = date(2025, 11, 15)


@pytest.fixture
def db(tmp_path: Path) -> sqlite_utils.Database:
    store = fresh_db(tmp_path)
    items = [
        add_article(store, title="Голодовка в колонии", rubric="Политзаключенные", lang="ru"),
        add_article(
            store, title="Сотта белсенді", text="Белсенді сотта сөйледі.", rubric="Политзаключенные", lang="kk"
        ),
        add_article(store, title="Бюро сообщает", outlet="bureau", url="https://bureau.kz/novosti/t/", lang="ru"),
    ]
    for article in items:
        decisions.approve(store, article, user="m", expected="candidate")
    return store


@pytest.fixture
def umask() -> Iterator[None]:
    old = os.umask(0o022)
    try:
        yield
    finally:
        os.umask(old)


def test_docx_is_a4_russian_with_kazakh_items_in_kazakh(db: sqlite_utils.Database, tmp_path: Path) -> None:
    path = export_bulletin(db, "docx", user="e", out=tmp_path, draft=True, today=DAY).path
    document = docx.Document(str(path))
    for section in document.sections:
        assert abs(section.page_width - Mm(210)) < Mm(0.5) and abs(section.page_height - Mm(297)) < Mm(0.5)
    with zipfile.ZipFile(path) as package:
        styles = package.read("word/styles.xml").decode("utf-8")
        body = package.read("word/document.xml").decode("utf-8")
    assert "en-US" not in styles and "en-US" not in body
    assert 'w:val="ru-RU"' in styles
    kazakh = [p for p in document.paragraphs if "сотта сөйледі" in p.text]
    assert kazakh
    for run in kazakh[0].runs:
        lang = run._r.rPr.find("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}lang")
        assert (
            lang is not None
            and lang.get("{http://schemas.openxmlformats.org/wordprocessingml/2006/main}val") == "kk-KZ"
        )
    russian = next(p for p in document.paragraphs if p.text == "Первый абзац.")
    assert "kk-KZ" not in russian._p.xml


@pytest.mark.usefixtures("umask")
@pytest.mark.parametrize(("mask", "mode"), [(0o022, 0o644), (0o002, 0o664), (0o077, 0o600)])
def test_export_honours_the_umask(db: sqlite_utils.Database, tmp_path: Path, mask: int, mode: int) -> None:
    os.umask(mask)
    path = export_bulletin(db, "txt", user="e", out=tmp_path / "b.txt", draft=True, today=DAY).path
    assert stat.S_IMODE(path.stat().st_mode) == mode


def test_out_onto_a_symlink_writes_its_target(db: sqlite_utils.Database, tmp_path: Path) -> None:
    target = tmp_path / "shared" / "bulletin.txt"
    target.parent.mkdir()
    target.write_text("old", encoding="utf-8")
    target.chmod(0o640)
    link = tmp_path / "latest.txt"
    link.symlink_to(target)
    export_bulletin(db, "txt", user="e", out=link, draft=True, today=DAY)
    assert link.is_symlink() and link.resolve() == target.resolve()
    assert "ГОЛОДОВКА В КОЛОНИИ" in target.read_text(encoding="utf-8")
    assert stat.S_IMODE(target.stat().st_mode) == 0o640  # a replaced file keeps its mode


def test_out_onto_a_device_is_refused_and_nothing_is_recorded(db: sqlite_utils.Database, tmp_path: Path) -> None:
    with pytest.raises(ExportError, match="not a regular file"):
        export_bulletin(db, "txt", user="e", out="/dev/null", today=DAY)
    assert db.execute("SELECT count(*) FROM bulletins").fetchone()[0] == 0
    assert db.execute("SELECT count(*) FROM articles WHERE status = 'approved'").fetchone()[0] == 3
    assert Path("/dev/null").is_char_device()


def test_cli_refuses_a_device_in_one_line(db: sqlite_utils.Database, tmp_path: Path) -> None:
    result = run_crawler(tmp_path / "crawler.db", "export", "--format", "txt", "--out", "/dev/null")
    assert result.returncode != 0
    assert result.stderr.strip().count("\n") == 0 and "not a regular file" in result.stderr
    assert "Traceback" not in result.stderr


def test_bureau_items_cited_by_their_bare_url(db: sqlite_utils.Database, tmp_path: Path) -> None:
    bare = export_bulletin(
        db, "txt", user="e", out=tmp_path / "a.txt", draft=True, today=DAY, bare_url_outlets=("bureau",)
    )
    text = bare.path.read_text(encoding="utf-8")
    bureau = text[text.index("БЮРО СООБЩАЕТ") :]
    assert "ИСТОЧНИК:" not in bureau and bureau.rstrip().endswith("https://bureau.kz/novosti/t/")
    assert text.count("ИСТОЧНИК:") == 2  # the other outlets keep the full source lines
    full = export_bulletin(db, "txt", user="e", out=tmp_path / "b.txt", draft=True, today=DAY)
    assert full.path.read_text(encoding="utf-8").count("ИСТОЧНИК:") == 3
    # the CLI takes the house style from the settings: bureau by default, none when configured so
    result = run_crawler(
        tmp_path / "crawler.db", "export", "--format", "txt", "--draft", "--out", str(tmp_path / "c.txt")
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "c.txt").read_text(encoding="utf-8").count("ИСТОЧНИК:") == 2
    result = run_crawler(
        tmp_path / "crawler.db",
        "export",
        "--format",
        "txt",
        "--draft",
        "--out",
        str(tmp_path / "d.txt"),
        CRAWLER_BULLETIN_BARE_URL_OUTLETS="",
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "d.txt").read_text(encoding="utf-8").count("ИСТОЧНИК:") == 3
