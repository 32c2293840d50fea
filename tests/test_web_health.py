"""The health page and the Russian decision messages, through Flask's test client."""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient

from crawler.errors import AlreadyDecided, InvalidTransition, UsageError
from crawler.store import decisions, open_db, users
from crawler.web import create_app
from tests.ops_history import add_article, add_run
from tests.test_web_support import PASSWORD, login, make_app

HOSTILE_OUTLET = "<script>window.__pwned=1</script>"
HOSTILE_REASON = '"><img src=x onerror="window.__pwned=2">'


def empty_app(tmp_path: Path) -> Flask:
    db_path = tmp_path / "empty.db"
    db = open_db(db_path)
    users.add_user(db, "anna", PASSWORD)
    db.close()
    return create_app(db_path, rules_dir="rules", secret_key="test-secret", testing=True)


def fabricate_history(db_path: str) -> None:
    """A week of passes: vlast healthy, orda failing the last two passes (a warning) with a reason."""
    now = datetime.now(UTC)
    db = open_db(db_path)
    try:
        for days_back in range(6, 0, -1):
            moment = now - timedelta(days=days_back)
            add_run(db, moment, {"vlast": {}, "orda": {}})
            for _ in range(days_back % 3 + 1):
                add_article(db, "vlast", moment + timedelta(minutes=1))
            add_article(db, "orda", moment + timedelta(minutes=1))
        failing = {"ok": False, "finish_reason": "no discovery strategy answered"}
        add_run(db, now - timedelta(hours=2), {"vlast": {}, "orda": failing})
        add_run(db, now - timedelta(hours=1), {"vlast": {}, "orda": failing})
    finally:
        db.close()


# --- the page --------------------------------------------------------------------------------------


def test_health_needs_a_login(client: FlaskClient) -> None:
    response = client.get("/health")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_health_renders_with_an_empty_database(tmp_path: Path) -> None:
    client = empty_app(tmp_path).test_client()
    login(client)
    response = client.get("/health")
    assert response.status_code == 200
    html = response.get_data(as_text=True)
    assert "Состояние обхода" in html
    assert "Обходов ещё не было" in html
    assert "Обход давно не выполнялся" in html  # no pass has finished yet: the stale warning, in Russian
    assert "ни один обход ещё не завершён" in html


def test_nav_links_to_the_health_page(client: FlaskClient, token: str) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<a href="/health"' in html and "Состояние</a>" in html


def test_health_shows_chart_runs_warnings_and_strategies(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, _ = app_ids
    fabricate_history(app.config["DB_PATH"])
    html = client.get("/health").get_data(as_text=True)
    # a 30-day chart per outlet, drawn on the server: 30 bars, each with its day and count
    vlast = html[html.index("<h2>vlast") :]
    chart = vlast[: vlast.index("</svg>")]
    assert len(re.findall(r"<rect ", chart)) == 30
    assert re.search(r"<title>\d\d\.\d\d\.\d{4}: [1-3]</title>", chart)
    assert "новых за 30 дней: <strong>" in vlast
    # orda's two failed passes: a warning in Russian, with the detail; the runs table shows them
    orda = html[html.index("<h2>orda") :]
    assert "Обход издания не удаётся" in orda
    assert "последние 2 обхода не удались (no discovery strategy answered)" in orda  # the detail in Russian too
    assert "the last 2 crawls failed" not in orda
    assert "предупреждений:" in html
    runs = html[html.index("Последние обходы") :]
    assert runs.count("<tr>") == 1 + 8  # header + eight passes
    assert "с ошибками" in runs and "успешно" in runs
    # the strategies that answered in the last pass
    assert "Источники ссылок, ответившие в последнем обходе (2 из 2)" in vlast
    assert "лента RSS/Atom · 10 ссыл." in vlast and "страница-список · 20 ссыл." in vlast
    assert "https://example.kz/feed/" in vlast  # in the full table


def test_health_times_are_almaty(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str) -> None:
    app, _ = app_ids
    db = open_db(app.config["DB_PATH"])
    add_run(db, datetime(2025, 11, 20, 20, 30, tzinfo=UTC), {"vlast": {}})
    db.close()
    html = client.get("/health").get_data(as_text=True)
    assert "21.11.2025 01:30" in html  # 20:30 UTC is 01:30 the next day in Almaty


def test_health_escapes_hostile_outlet_and_warning_text(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, _ = app_ids
    now = datetime.now(UTC)
    db = open_db(app.config["DB_PATH"])
    hostile = {"ok": False, "finish_reason": HOSTILE_REASON, "strategies": {"javascript:alert(1)": {"kind": "<b>x"}}}
    add_run(db, now - timedelta(hours=2), {HOSTILE_OUTLET: hostile})
    add_run(db, now - timedelta(hours=1), {HOSTILE_OUTLET: hostile})
    db.close()
    response = client.get("/health")
    html = response.get_data(as_text=True)
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html and "<b>x" not in html
    assert "&lt;script&gt;window.__pwned=1&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=" in html  # the failure reason, shown as text in the warning
    assert 'href="javascript:' not in html
    # the page keeps the strict policy: no inline script, no style attribute, no event handler
    csp = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "style-src 'self'" in csp and "unsafe-inline" not in csp
    for tag in re.findall(r"<script[^>]*>", html):
        assert 'src="/static/' in tag
    tags = re.sub(r'"[^"]*"', '""', html)  # attribute values hold escaped hostile text: look at the names only
    assert not re.search(r"<[a-z][^<>]*\s(on[a-z]+|style)=", tags)


# --- Russian decision messages ------------------------------------------------------------------------


def post(client: FlaskClient, path: str, token: str, **data: str) -> str:
    response = client.post(path, data={"csrf_token": token, **data})
    assert response.status_code == 302, response.status_code
    return client.get(response.location).get_data(as_text=True)


def flash_error(html: str) -> str:
    match = re.search(r'<div class="flash error"[^>]*>(.*?)</div>', html, re.S)
    assert match, "no error message on the page"
    return match.group(1)


def test_already_decided_is_russian(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str) -> None:
    app, ids = app_ids
    other = app.test_client()
    post(other, f"/article/{ids['best']}/reject", login(other, "boris"), expected="candidate")
    message = flash_error(post(client, f"/article/{ids['best']}/approve", token, expected="candidate", next="/"))
    assert message.startswith("Уже решено другим монитором: boris, ")
    assert "теперь «отклонена», а не «кандидат»" in message
    assert "already" not in message and "article" not in message


def test_invalid_transition_is_russian(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    message = flash_error(post(client, f"/article/{ids['best']}/restore", token, expected="candidate"))
    assert message == f"Нельзя вернуть в очередь статью №{ids['best']}: она сейчас «кандидат»."
    message = flash_error(post(client, f"/article/{ids['best']}/up", token, expected="candidate"))
    assert message == f"Нельзя переместить статью №{ids['best']}: она сейчас «кандидат»."


def test_approving_without_a_rubric_is_russian(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    message = flash_error(post(client, f"/article/{ids['ignored']}/approve", token, expected="ignored", rubric=""))
    assert message == f"У статьи №{ids['ignored']} нет предложенной рубрики: выберите рубрику, чтобы одобрить её."


def test_unknown_rubric_is_russian(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    message = flash_error(post(client, f"/article/{ids['best']}/approve", token, expected="candidate", rubric="Нет"))
    assert message.startswith("Рубрики «Нет» нет в правилах. Выберите одну из: ")
    assert "Политзаключенные, " in message
    post(client, f"/article/{ids['best']}/approve", token, expected="candidate")
    message = flash_error(post(client, f"/article/{ids['best']}/rubric", token, expected="approved", rubric="Нет"))
    assert message.startswith("Рубрики «Нет» нет в правилах.")
    message = flash_error(post(client, f"/article/{ids['best']}/rubric", token, expected="approved", rubric=" "))
    assert message == "Выберите рубрику."


def test_unknown_article_is_a_russian_404(client: FlaskClient, token: str) -> None:
    response = client.post("/article/99999/reject", data={"csrf_token": token, "expected": "candidate"})
    assert response.status_code == 404
    html = response.get_data(as_text=True)
    assert "Не найдено" in html and "no article" not in html


def test_the_cli_keeps_its_english_messages(tmp_path: Path) -> None:
    _, ids = make_app(tmp_path)
    db = open_db(tmp_path / "crawler.db")
    with pytest.raises(UsageError, match="unknown rubric 'Нет'"):
        decisions.approve(db, ids["best"], user="anna", expected="candidate", rubric="Нет", rubrics=["Пытки"])
    with pytest.raises(InvalidTransition, match="cannot restore article"):
        decisions.restore(db, ids["best"], user="anna", expected="candidate")
    decisions.reject(db, ids["best"], user="boris", expected="candidate")
    with pytest.raises(AlreadyDecided, match="already decided by boris"):
        decisions.approve(db, ids["best"], user="anna", expected="candidate")
    db.close()


def test_russian_plurals() -> None:
    from crawler.web.text import plural

    forms = ("материал", "материала", "материалов")
    assert [plural(n, *forms) for n in (1, 2, 4, 5, 11, 12, 21, 22, 25, 111)] == [
        "1 материал",
        "2 материала",
        "4 материала",
        "5 материалов",
        "11 материалов",
        "12 материалов",
        "21 материал",
        "22 материала",
        "25 материалов",
        "111 материалов",
    ]
