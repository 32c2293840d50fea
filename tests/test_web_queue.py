"""The queue's default view: every undecided candidate whatever its date, progress counts, the empty
queue, and reprints that stay folded under their original whatever was decided on it."""

from __future__ import annotations

import re

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crawler.store import bulletins, decisions, open_db


def _db(app: Flask):  # the app's database file, opened as the CLI would
    return open_db(app.config["DB_PATH"])


def card_ids(html: str) -> list[int]:
    return [int(n) for n in re.findall(r'<article class="card[^"]*" id="a(\d+)"', html)]


def test_a_bulletin_issued_after_publication_hides_no_candidate(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, ids = app_ids
    db = _db(app)
    decisions.approve(db, ids["second"], user="anna", expected="candidate")
    bulletins.record_bulletin(db, 1, [ids["second"]], user="anna")  # today, after every publication date
    html = client.get("/").get_data(as_text=True)
    assert "Последний бюллетень №1" in html
    assert {ids["best"], ids["rally"], ids["hostile"]} <= set(card_ids(html))
    # an approval taken back comes back to the default view too
    decisions.approve(db, ids["rally"], user="anna", expected="candidate")
    decisions.unapprove(db, ids["rally"], user="anna", expected="approved")
    assert ids["rally"] in card_ids(client.get("/").get_data(as_text=True))


def test_counts_at_the_top(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str) -> None:
    app, ids = app_ids
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'id="count-left">5<', html)  # best, second, rally, hostile, reprint
    assert re.search(r'id="count-today">0<', html)
    db = _db(app)
    decisions.approve(db, ids["best"], user="anna", expected="candidate")
    decisions.reject(db, ids["second"], user="boris", expected="candidate")
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'id="count-left">3<', html)
    assert re.search(r'id="count-today">2<', html)


def test_empty_queue_says_so_and_links_to_the_next_bulletin(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, ids = app_ids
    db = _db(app)
    for name in ("best", "second", "rally", "hostile", "reprint"):
        decisions.reject(db, ids[name], user="anna", expected="candidate")
    html = client.get("/").get_data(as_text=True)
    assert "Очередь пуста: все кандидаты решены." in html
    assert 'href="/approved">Следующий бюллетень' in html
    html = client.get("/?outlet=nowhere").get_data(as_text=True)
    assert "Нет статей с такими условиями." in html


def test_rubric_numbers_are_shown(client: FlaskClient, token: str) -> None:
    html = client.get("/").get_data(as_text=True)
    assert re.search(r"<kbd>2</kbd> <span[^>]*>Политзаключенные</span>", html)
    assert re.search(r"<kbd>0</kbd> <span[^>]*>NOTA BENE</span>", html)
    assert ">2 · Политзаключенные</option>" in html


def test_reprint_stays_folded_under_an_approved_original(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, ids = app_ids
    for verb in ("approve", "reject"):
        db = _db(app)
        if verb == "approve":
            decisions.approve(db, ids["best"], user="anna", expected="candidate")
        else:
            decisions.unapprove(db, ids["best"], user="anna", expected="approved")
            decisions.reject(db, ids["best"], user="anna", expected="candidate")
        html = client.get("/").get_data(as_text=True)
        head = html.index(f'id="a{ids["best"]}"')
        reprint = html.index(f'id="a{ids["reprint"]}"')
        assert head < reprint
        assert "context" in html[html.rindex("<article", 0, head) : head]  # the original, shown as decided
        assert "folded" in html[html.rindex("<article", 0, reprint) : reprint]
        assert html.count("Перепечатки и похожие: 1") == 1


def test_decision_without_javascript_names_the_article_and_offers_undo(
    client: FlaskClient, token: str, ids: dict[str, int]
) -> None:
    form = {"csrf_token": token, "expected": "candidate", "next": "/"}
    response = client.post(f"/article/{ids['best']}/approve", data=form)
    assert response.status_code == 302 and response.headers["Location"] == "/"
    html = client.get("/").get_data(as_text=True)
    assert "Одобрено: «Политзаключенные» — «Блогеру вынесли приговор, дело 1»." in html
    undo = re.search(r'<form class="inline undo-form" method="post" action="(/article/\d+/undo)">', html)
    assert undo and undo.group(1) == f"/article/{ids['best']}/undo"
    assert 'name="expected" value="approved"' in html
    client.post(undo.group(1), data={**form, "expected": "approved"})
    html = client.get("/").get_data(as_text=True)
    assert "Отменено: «Блогеру вынесли приговор, дело 1» снова в очереди." in html
    assert ids["best"] in card_ids(html)


def test_decision_from_the_script_answers_json(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    headers = {"X-Requested-With": "fetch"}
    form = {"csrf_token": token, "expected": "candidate", "next": "/"}
    answer = client.post(f"/article/{ids['second']}/reject", data=form, headers=headers).get_json()
    assert answer["ok"] is True and answer["status"] == "rejected"
    assert "Отклонено: «Блогеру вынесли приговор, дело 2»." in answer["message"]
    assert f'action="/article/{ids["second"]}/undo"' in answer["message"]
    assert answer["counts"] == {"left": 4, "decided_today": 1}
    again = client.post(f"/article/{ids['second']}/reject", data=form, headers=headers).get_json()
    assert again["ok"] is False and "Уже решено другим монитором" in again["message"]


def test_explanation_in_words_grouped_strongest_first() -> None:
    from crawler.web.explain import explain, in_words

    assert in_words("подписал* ~3 закон*") == "подписал… рядом с закон…"
    assert in_words('"прав* человека"') == "прав… человека"
    matches = [
        {"term": "пытк*", "field": "text", "start": 0, "end": 5, "rubric": "Пытки"},
        {"term": "подписал* ~3 закон*", "field": "text", "start": 10, "end": 30, "rubric": "Прогресс?"},
        {"term": "избил*", "field": "text", "start": 40, "end": 45, "rubric": "Пытки"},
        {"term": "избил*", "field": "text", "start": 50, "end": 55, "rubric": "Пытки"},
        {"term": "пыток", "field": "title", "start": 0, "end": 5, "rubric": "Пытки"},
        *({"term": f"шум{n}", "field": "text", "start": 60, "end": 62, "rubric": "Пытки"} for n in range(5)),
    ]
    order = ["Прогресс?", "Политзаключенные", "Свобода слова", "Свобода совести", "x", "y", "z", "Пытки"]
    [torture, progress] = explain(matches, order)
    assert torture.rubric == "Пытки" and torture.colour == 7
    assert [t.words for t in torture.terms] == ["пыток", "избил…", "пытк…", "шум0"]  # title, then count
    assert torture.more == 4
    assert progress.terms[0].words == "подписал… рядом с закон…" and progress.colour == 0


def test_card_shows_the_explanation_as_text(client: FlaskClient, token: str) -> None:
    html = client.get("/").get_data(as_text=True)
    assert re.search(r'<p class="reason rc1"><span class="why-rubric">Политзаключенные:</span>\s*<span', html)
    assert '<span class="why-term">приговор (в заголовке) ×3</span>' in html


def test_every_string_in_russian(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str) -> None:
    app, ids = app_ids
    db = _db(app)
    decisions.approve(db, ids["best"], user="anna", expected="candidate")
    decisions.approve(db, ids["second"], user="anna", expected="candidate")
    decisions.move(db, ids["second"], -1, user="anna", expected="approved")
    decisions.change_rubric(db, ids["second"], "Пытки", user="anna", expected="approved")
    decisions.edit(db, ids["second"], user="anna", expected="approved", title="Новый заголовок")
    decisions.unapprove(db, ids["second"], user="anna", expected="approved")
    html = client.get(f"/article/{ids['second']}").get_data(as_text=True)
    for russian in ("перемещена с места 2 на 1", "прежняя рубрика: «Политзаключенные»", "заголовок изменён"):
        assert russian in html
    assert "одобрение снято" in html
    for english in ("moved from", "rubric was", "title edited", "unapproved"):
        assert english not in html
    # outlets by the names the bulletin credits them with, not slugs
    html = client.get("/").get_data(as_text=True)
    assert '<span class="outlet">Интернет-издание «Власть»</span>' in html
    assert ">Радио «Азаттык»</option>" in html


def test_date_only_pages_show_no_invented_time(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    from tests.test_web_support import add_article

    app, _ = app_ids
    db = _db(app)
    dated = add_article(db, 40, published="2025-11-10T00:00:00+05:00", published_raw="10.11.2025", score=1.0)
    html = client.get("/").get_data(as_text=True)
    card = html[html.index(f'id="a{dated}"') :]
    assert '<span class="date">10.11.2025</span>' in card[:2000]
    page = client.get(f"/article/{dated}").get_data(as_text=True)
    assert "<dt>Опубликовано</dt><dd>10.11.2025 <small>" in page
    assert "00:00" not in page.split("<dt>Получено</dt>")[0].split("<dt>Опубликовано</dt>")[1]


def test_database_locked_is_said_in_russian(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    import functools
    import sqlite3

    import crawler.web.database as web_database

    app, ids = app_ids
    monkeypatch.setattr(web_database, "open_db", functools.partial(open_db, busy_timeout=0.2))
    holder = sqlite3.connect(app.config["DB_PATH"], timeout=0)
    holder.execute("BEGIN EXCLUSIVE")  # another process writing, longer than the page waits
    try:
        form = {"csrf_token": token, "expected": "candidate"}
        response = client.post(f"/article/{ids['best']}/approve", data=form, headers={"X-Requested-With": "fetch"})
        answer = response.get_json()
        assert response.status_code == 503 and answer["ok"] is False
        assert "База данных занята другим процессом" in answer["message"]
        response = client.post(f"/article/{ids['best']}/approve", data=form)
        assert "База данных занята" in response.get_data(as_text=True)
        assert "locked" not in response.get_data(as_text=True)
    finally:
        holder.rollback()
        holder.close()
