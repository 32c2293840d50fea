"""Lost update (issue 12): an edit carries the version of the article it was made from; a stale one
is refused with the same conflict message as a stale decision, never saved over someone else's."""

from __future__ import annotations

import html
import json
import re
from pathlib import Path

import pytest
import sqlite_utils
from flask import Flask
from flask.testing import FlaskClient

from crawler.cli import main
from crawler.errors import AlreadyDecided
from crawler.store import decisions, open_db
from tests.test_web_support import add_article, login


def test_two_edits_from_the_same_version_the_second_is_refused(db: sqlite_utils.Database) -> None:
    article = add_article(db, 1)
    version = db["articles"].get(article)["version"]
    decisions.edit(db, article, user="anna", expected="candidate", title="Заголовок Анны", version=version)
    with pytest.raises(AlreadyDecided) as stale:
        decisions.edit(db, article, user="boris", expected="candidate", title="Заголовок Бориса", version=version)
    assert re.fullmatch(
        rf"article {article} was already decided by anna at \S+: it is now version {version + 1},"
        rf" not version {version} as you saw it; reload and decide again",
        str(stale.value),
    )
    assert db["articles"].get(article)["edited_title"] == "Заголовок Анны"


def test_a_decision_in_between_makes_an_edit_stale_too(db: sqlite_utils.Database) -> None:
    article = add_article(db, 1)
    seen = db["articles"].get(article)["version"]
    decisions.approve(db, article, user="anna", expected="candidate")
    with pytest.raises(AlreadyDecided, match="already decided by anna"):
        decisions.edit(db, article, user="boris", expected="approved", text="Новый текст.", version=seen)


def test_every_change_bumps_the_version(db: sqlite_utils.Database) -> None:
    article = add_article(db, 1)
    versions = [db["articles"].get(article)["version"]]
    decisions.edit(db, article, user="anna", expected="candidate", title="Т")
    versions.append(db["articles"].get(article)["version"])
    decisions.approve(db, article, user="anna", expected="candidate")
    versions.append(db["articles"].get(article)["version"])
    assert versions == sorted(set(versions))


def _edit_form(client: FlaskClient, article: int) -> dict[str, str]:
    page = client.get(f"/article/{article}").get_data(as_text=True)
    form = page[page.index('class="edit-form"') :]
    form = form[: form.index("</form>")]
    fields = {name: html.unescape(value) for name, value in re.findall(r'name="(\w+)" value="([^"]*)"', form)}
    assert "version" in fields, form
    return fields


def test_two_monitors_editing_one_title_the_second_is_told_not_overwritten(
    app_ids: tuple[Flask, dict[str, int]], ids: dict[str, int]
) -> None:
    app = app_ids[0]
    anna, boris = app.test_client(), app.test_client()
    login(anna, "anna")
    login(boris, "boris")
    article = ids["best"]
    anna_form, boris_form = _edit_form(anna, article), _edit_form(boris, article)  # both open the page
    saved = anna.post(f"/article/{article}/edit", data={**anna_form, "title": "Правка Анны"}, follow_redirects=True)
    assert "Правка сохранена" in saved.get_data(as_text=True)
    stale = boris.post(f"/article/{article}/edit", data={**boris_form, "title": "Правка Бориса"}, follow_redirects=True)
    text = html.unescape(stale.get_data(as_text=True))
    assert "Правка сохранена" not in text
    assert "Уже решено другим монитором: anna" in text
    assert (
        f"Статья №{article} изменилась после того, как вы открыли страницу. Обновите страницу и решите заново." in text
    )
    assert open_db(app.config["DB_PATH"])["articles"].get(article)["edited_title"] == "Правка Анны"
    again = boris.post(f"/article/{article}/edit", data={**_edit_form(boris, article), "title": "Правка Бориса"})
    assert again.status_code == 302  # reloaded: now it is his turn
    assert open_db(app.config["DB_PATH"])["articles"].get(article)["edited_title"] == "Правка Бориса"


def test_an_edit_form_without_its_version_is_not_saved(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    article = ids["best"]
    form = {k: v for k, v in _edit_form(client, article).items() if k != "version"}
    page = client.post(f"/article/{article}/edit", data={**form, "title": "Без версии"}, follow_redirects=True)
    assert "Форма без версии статьи: обновите страницу." in page.get_data(as_text=True)
    assert open_db(client.application.config["DB_PATH"])["articles"].get(article)["edited_title"] is None


def test_cli_edit_with_a_stale_version_is_one_line(db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    db = open_db(db_path)
    article = add_article(db, 1)
    base = ["--db", str(db_path), "queue"]
    assert main([*base, "list", "--json"]) == 0
    rows = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    version = next(row["version"] for row in rows if row["id"] == article)
    assert main([*base, "edit", str(article), "--title", "Первая", "--expect-version", str(version)]) == 0
    capsys.readouterr()
    assert main([*base, "edit", str(article), "--title", "Вторая", "--expect-version", str(version)]) == 2
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "was already decided by" in err[0] and "reload and decide again" in err[0]
    assert open_db(db_path)["articles"].get(article)["edited_title"] == "Первая"
