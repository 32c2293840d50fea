"""Exporting the bulletin: txt layout, numbering, re-rendering, bad input, and the CLI."""

from __future__ import annotations

import errno
import json
from datetime import date

import pytest

from crawler import dates
from crawler.bulletin import model
from crawler.bulletin.export import export_bulletin
from crawler.cli import main
from crawler.errors import ExportError, UsageError
from crawler.store import bulletins, decisions, open_db
from crawler.store.articles import get_article
from tests.test_export_support import add_article, fresh_db

DAY = date(2025, 11, 15)


@pytest.fixture
def db(tmp_path):
    return fresh_db(tmp_path)


def approve(db, article, rubric=None):
    return decisions.approve(db, article, user="editor", expected=get_article(db, article)["status"], rubric=rubric)


def test_title_upper_cases_cyrillic_only():
    assert model.upper_title("Мажилис принял «пропаганды ЛГБТ» 18 депутатов") == (
        "МАЖИЛИС ПРИНЯЛ «ПРОПАГАНДЫ ЛГБТ» 18 ДЕПУТАТОВ"
    )
    assert model.upper_title("Сообщает Orda.kz и iPhone") == "СООБЩАЕТ Orda.kz И iPhone"


@pytest.mark.parametrize(
    ("author", "expected"),
    [
        ("Тамара Вааль", "Тамара ВААЛЬ, интернет-издание «Власть»"),
        ("МИРБОЛАТ МЫРЗАТАЙУЛЫ", "Мирболат МЫРЗАТАЙУЛЫ, интернет-издание «Власть»"),
        (None, "Интернет-издание «Власть»"),
        ("Филиал КМБПЧ в Астане", "Филиал КМБПЧ в Астане"),
    ],
)
def test_byline_forms(author, expected):
    assert model.byline(author, "интернет-издание «Власть»", "Интернет-издание «Власть»") == expected


def test_dates_are_genitive_and_in_almaty():
    assert model.published_date("2025-11-11T20:30:00+00:00") == date(2025, 11, 12)  # 01:30 in Almaty
    assert dates.format_date(date(2025, 5, 1)) == "1 мая 2025 г."
    assert model.published_date("вчера") is None


def test_rubric_headers():
    assert model.rubric_header("Политзаключенные") == "«Политзаключенные»"
    assert model.rubric_header("NOTA BENE") == "NOTA BENE"


def test_txt_layout_order_and_marking(db, tmp_path):
    torture = add_article(db, title="Пытки в СИЗО", rubric="Пытки", text="Один.\n\nДва.")
    prisoners = add_article(
        db, title="Приговор блогеру", outlet="azattyq", author=None, url="https://rus.azattyq.org/a/1.html"
    )
    second = add_article(db, title="Ещё приговор", published="2025-11-10T09:00:00+05:00")
    for article in (torture, prisoners, second):
        approve(db, article)
    result = export_bulletin(db, "txt", user="editor", out=tmp_path, today=DAY)
    assert result.path == tmp_path / "bulletin-1-2025-11-15.txt"
    text = result.path.read_text("utf-8")
    assert text == (
        "«Политзаключенные»\n\n"
        "ПРИГОВОР БЛОГЕРУ\nРадио «Азаттык»\n12 ноября 2025 г.\n\nПервый абзац.\n\nВторой абзац.\n\n"
        "ИСТОЧНИК:\n\nРадио «Азаттык»\nhttps://rus.azattyq.org/a/1.html\n"
        "* * *\n\n"
        "ЕЩЁ ПРИГОВОР\nТамара ВААЛЬ, интернет-издание «Власть»\n10 ноября 2025 г.\n\nПервый абзац.\n\nВторой абзац.\n\n"
        f"ИСТОЧНИК:\n\nИнтернет-издание «Власть»\n{get_article(db, second)['url']}\n"
        "* * *\n"
        "«Пытки»\n\n"
        "ПЫТКИ В СИЗО\nТамара ВААЛЬ, интернет-издание «Власть»\n12 ноября 2025 г.\n\nОдин.\n\nДва.\n\n"
        f"ИСТОЧНИК:\n\nИнтернет-издание «Власть»\n{get_article(db, torture)['url']}\n"
    )
    assert result.recorded
    record = bulletins.get_bulletin(db, 1)
    assert (record["created_by"], record["items"]) == ("editor", [prisoners, second, torture])
    for article in (torture, prisoners, second):
        row = get_article(db, article)
        assert (row["status"], row["bulletin"]) == ("exported", 1)
        assert decisions.history(db, article)[-1]["to_status"] == "exported"
    with pytest.raises(ExportError, match="nothing to export"):
        export_bulletin(db, "txt", user="editor", out=tmp_path, today=DAY)


def test_rerender_is_byte_identical_and_numbers_increase(db, tmp_path):
    first = add_article(db)
    approve(db, first)
    original = export_bulletin(db, "txt", user="e", out=tmp_path / "one.txt").path.read_bytes()
    again = export_bulletin(db, "txt", user="e", out=tmp_path / "again.txt", number=1)
    assert again.path.read_bytes() == original
    assert not again.recorded
    second = add_article(db)
    approve(db, second)
    assert export_bulletin(db, "txt", user="e", out=tmp_path).bulletin.number == 2


def test_draft_marks_nothing(db, tmp_path):
    article = add_article(db)
    approve(db, article)
    result = export_bulletin(db, "txt", user="e", out=tmp_path, draft=True, today=DAY)
    assert result.path.name == "bulletin-1-2025-11-15-draft.txt"
    assert get_article(db, article)["status"] == "approved"
    assert db["bulletins"].count == 0


def test_edits_replace_title_and_text(db, tmp_path):
    article = add_article(db, title="Старый", text="Старый текст.")
    decisions.edit(db, article, user="m", expected="candidate", title="Новый заголовок", text="Новый текст.")
    approve(db, article)
    text = export_bulletin(db, "txt", user="e", out=tmp_path / "b.txt").path.read_text("utf-8")
    assert "НОВЫЙ ЗАГОЛОВОК" in text and "Новый текст." in text
    assert "СТАРЫЙ" not in text and "Старый текст." not in text


def test_gaps_are_visible_not_fatal(db, tmp_path):
    article = add_article(db, author=None, published=None, text="", title="")
    approve(db, article)
    result = export_bulletin(db, "txt", user="e", out=tmp_path / "b.txt")
    text = result.path.read_text("utf-8")
    assert model.NO_TITLE in text and model.NO_DATE in text and model.NO_TEXT in text
    assert any("has no title, no date, no text" in w for w in result.bulletin.warnings)


def test_rubric_no_longer_in_rules_is_reported_and_exported_last(db, tmp_path):
    old = add_article(db, rubric="Старая рубрика")
    known = add_article(db, rubric="NOTA BENE")
    approve(db, old)
    approve(db, known)
    result = export_bulletin(db, "txt", user="e", out=tmp_path / "b.txt")
    assert result.bulletin.unknown_rubrics == ("Старая рубрика",)
    assert any("'Старая рубрика' is not in the rules" in w for w in result.bulletin.warnings)
    text = result.path.read_text("utf-8")
    assert text.index("NOTA BENE") < text.index("«Старая рубрика»")
    assert get_article(db, old)["status"] == "exported"


def test_full_disk_marks_nothing_and_leaves_no_partial_file(db, tmp_path, monkeypatch):
    article = add_article(db)
    approve(db, article)

    def full_disk(*args):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr("crawler.bulletin.export.os.replace", full_disk)
    with pytest.raises(ExportError, match=r"cannot write .*No space left on device"):
        export_bulletin(db, "txt", user="e", out=tmp_path / "b.txt")
    assert get_article(db, article)["status"] == "approved"
    assert list(tmp_path.glob("*.txt")) == [] and list(tmp_path.glob(".*.part")) == []


def test_unwritable_output_marks_nothing(db, tmp_path):
    article = add_article(db)
    approve(db, article)
    with pytest.raises(ExportError, match=r"cannot write .*does not exist"):
        export_bulletin(db, "txt", user="e", out=tmp_path / "missing" / "b.txt")
    with pytest.raises(ExportError, match=r"cannot write .*not a directory|does not exist"):
        export_bulletin(db, "txt", user="e", out=tmp_path / "b.txt" / "c.txt")
    with pytest.raises(UsageError, match="unknown format 'pdf'"):
        export_bulletin(db, "pdf", user="e", out=tmp_path)
    assert get_article(db, article)["status"] == "approved"
    assert db["bulletins"].count == 0
    assert not any(p.name.endswith(".part") for p in tmp_path.rglob("*"))


# --- the command line --------------------------------------------------------------------------


def test_cli_decisions_and_export(tmp_path, capsys):
    db_path = tmp_path / "c.db"
    store = open_db(db_path)
    a = add_article(store, title="Первая")
    b = add_article(store, title="Вторая")
    c = add_article(store, title="Третья")
    run = lambda *args: main(["--db", str(db_path), *args])  # noqa: E731  # a one-line helper reads best beside its use
    assert run("queue", "approve", str(a), "--user", "aigerim") == 0
    assert run("queue", "approve", str(b), "--rubric", "Пытки", "--user", "aigerim") == 0
    assert run("queue", "approve", str(c), "--rubric", "Нет такой") == 2
    assert "unknown rubric 'Нет такой'" in capsys.readouterr().err
    assert run("queue", "reject", str(c), "--reason", "реклама") == 0
    assert run("queue", "approve", str(c), "--expect", "candidate") == 2
    assert "already decided by" in capsys.readouterr().err
    text_file = tmp_path / "text.txt"
    text_file.write_text("Правленый текст.\n", "utf-8")
    assert run("queue", "edit", str(a), "--title", "Правленый", "--text-file", str(text_file)) == 0
    assert run("queue", "move", str(b), "--rubric", "Политзаключенные") == 0
    assert run("queue", "move", str(b), "up") == 0
    assert run("queue", "approve", "999") == 2
    assert "no article with id 999" in capsys.readouterr().err
    capsys.readouterr()
    assert run("export", "--format", "txt", "--out", str(tmp_path), "--user", "editor") == 0
    out = capsys.readouterr().out
    assert "bulletin 1: 2 item(s) exported" in out
    exported = next(tmp_path.glob("bulletin-1-*.txt")).read_text("utf-8")
    assert exported.index("ВТОРАЯ") < exported.index("ПРАВЛЕНЫЙ") and "Правленый текст." in exported
    assert run("export", "--format", "txt", "--out", str(tmp_path)) == 2
    assert "nothing to export" in capsys.readouterr().err
    assert run("export", "--format", "txt", "--bulletin", "7", "--out", str(tmp_path)) == 2
    assert "no bulletin number 7" in capsys.readouterr().err
    assert run("queue", "list", "--status", "exported", "--json") == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert {row["bulletin"] for row in rows} == {1}


def test_cli_unknown_format_is_a_usage_error(tmp_path, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main(["--db", str(tmp_path / "c.db"), "export", "--format", "pdf"])
    assert exit_info.value.code == 2
    assert "invalid choice: 'pdf'" in capsys.readouterr().err
