"""The queue's default view: every undecided candidate whatever its date, progress counts, the empty
queue, and reprints that stay folded under their original whatever was decided on it."""

from __future__ import annotations

import re

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
