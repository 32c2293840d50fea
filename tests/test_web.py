"""Route tests for the review page: every page and action, through Flask's test client."""

from __future__ import annotations

import re
from pathlib import Path

from flask import Flask
from flask.testing import FlaskClient

from crawler.store import open_db
from tests.test_web_support import ONERROR_TEXT, SCRIPT_TITLE, login, make_app


def post(client: FlaskClient, path: str, token: str, **data: str):
    return client.post(path, data={"csrf_token": token, **data})


def status_of(app: Flask, article_id: int) -> dict:
    db = open_db(app.config["DB_PATH"])
    try:
        row = db.execute(
            "SELECT status, approved_rubric, decided_by, edited_title, reject_reason FROM articles WHERE id = ?",
            [article_id],
        ).fetchone()
    finally:
        db.close()
    return dict(zip(("status", "approved_rubric", "decided_by", "edited_title", "reject_reason"), row, strict=True))


# --- auth ------------------------------------------------------------------------------------------


def test_every_page_needs_a_login(client: FlaskClient, ids: dict[str, int]) -> None:
    for path in ("/", f"/article/{ids['best']}", f"/article/{ids['best']}/raw", "/search?q=суд", "/approved"):
        response = client.get(path)
        assert response.status_code == 302
        assert response.location.startswith("/login")


def test_wrong_password_is_refused(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"name": "anna", "password": "nope", "csrf_token": csrf})
    assert response.status_code == 401
    assert "Неверное имя или пароль" in response.get_data(as_text=True)
    assert client.get("/").status_code == 302


def test_login_then_logout(client: FlaskClient, token: str) -> None:
    assert client.get("/").status_code == 200
    assert post(client, "/logout", token).status_code == 302
    assert client.get("/").status_code == 302


def test_session_cookie_is_httponly_and_samesite(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post("/login", data={"name": "anna", "password": "correct horse battery", "csrf_token": csrf})
    cookie = response.headers["Set-Cookie"]
    assert "HttpOnly" in cookie and "SameSite=Lax" in cookie


def test_tampered_session_is_logged_out(client: FlaskClient, token: str) -> None:
    cookie = client.get_cookie("crawler_session")
    assert cookie is not None
    value = cookie.value
    client.set_cookie("crawler_session", value[:-3] + ("AAA" if not value.endswith("AAA") else "BBB"))
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_login_redirect_stays_on_this_site(client: FlaskClient) -> None:
    page = client.get("/login").get_data(as_text=True)
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
    response = client.post(
        "/login",
        data={"name": "anna", "password": "correct horse battery", "csrf_token": csrf, "next": "//evil.example/"},
    )
    assert response.location == "/"


def test_login_page_says_how_to_create_the_first_account(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path, accounts=())
    assert "crawler user add" in app.test_client().get("/login").get_data(as_text=True)


# --- CSRF and headers --------------------------------------------------------------------------------


def test_post_without_csrf_token_is_403(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    response = client.post(f"/article/{ids['best']}/approve", data={"expected": "candidate"})
    assert response.status_code == 403
    response = client.post(f"/article/{ids['best']}/approve", data={"expected": "candidate", "csrf_token": "x"})
    assert response.status_code == 403
    assert client.post("/login", data={"name": "anna", "password": "x"}).status_code == 403


def test_security_headers(client: FlaskClient, token: str) -> None:
    headers = client.get("/").headers
    csp = headers["Content-Security-Policy"]
    assert "script-src 'self'" in csp and "unsafe-inline" not in csp.split("script-src")[1].split(";")[0]
    assert "frame-ancestors 'none'" in csp
    assert headers["X-Frame-Options"] == "DENY"
    assert headers["X-Content-Type-Options"] == "nosniff"


def test_pages_have_no_inline_script(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    for path in ("/", f"/article/{ids['best']}", "/search?q=приговор", "/approved", "/login"):
        html = client.get(path).get_data(as_text=True)
        for tag in re.findall(r"<script[^>]*>", html):
            assert 'src="/static/' in tag, (path, tag)
        assert not re.search(r"<[a-z][^<>]*\son[a-z]+=", html), path  # no event-handler attribute


# --- queue -------------------------------------------------------------------------------------------


def test_queue_groups_by_rubric_in_bulletin_order_best_first(client: FlaskClient, token: str) -> None:
    html = client.get("/").get_data(as_text=True)
    prisoners = html.index("<h2>Политзаключенные")
    rallies = html.index("<h2>Право на свободу мирных собраний")
    assert prisoners < rallies
    section = html[prisoners:rallies]
    assert section.index("дело 1") < section.index("дело 2")  # 9.0 before 5.0
    assert "Погода" not in html  # ignored items are not in the default queue


def test_queue_card_shows_highlights_link_and_folded_reprint(client: FlaskClient, token: str) -> None:
    html = client.get("/").get_data(as_text=True)
    assert '<mark title="приговор → Политзаключенные">приговор</mark>' in html
    assert 'href="https://vlast.kz/novosti/1-test.html"' in html
    assert "Перепечатки и похожие: 1" in html
    # the original leads its family although the reprint scored higher
    assert html.index('id="a1"') < html.index('id="a6"')


def test_queue_filters(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    html = client.get("/?outlet=azattyq").get_data(as_text=True)
    assert 'id="a2"' in html and 'id="a1"' not in html
    html = client.get("/?rubric=Право на свободу мирных собраний").get_data(as_text=True)
    assert 'id="a3"' in html and 'id="a1"' not in html
    html = client.get("/?status=ignored").get_data(as_text=True)
    assert "Погода" in html
    assert 'id="a1"' not in client.get("/?from=2025-11-13").get_data(as_text=True)
    assert 'id="a1"' in client.get("/?from=2025-11-12&to=2025-11-12").get_data(as_text=True)
    assert 'id="a1"' not in client.get("/?lang=kk").get_data(as_text=True)


def test_queue_bad_filter_gives_a_clear_message(client: FlaskClient, token: str) -> None:
    response = client.get("/?status=deleted")
    assert response.status_code == 400
    assert "неизвестный статус" in response.get_data(as_text=True)
    assert "ГГГГ-ММ-ДД" in client.get("/?from=yesterday").get_data(as_text=True)


# --- hostile text ------------------------------------------------------------------------------------


def assert_inert(html: str) -> None:
    assert "<script>window.__pwned" not in html
    assert "<img src=x" not in html
    assert 'href="javascript:' not in html


def test_hostile_text_is_escaped_everywhere(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    hostile = ids["hostile"]
    pages = ["/", f"/article/{hostile}", "/search?q=блогера", "/search?q=pwned"]
    for path in pages:
        html = client.get(path).get_data(as_text=True)
        assert_inert(html)
    article = client.get(f"/article/{hostile}").get_data(as_text=True)
    assert "&lt;script&gt;window.__pwned = 1&lt;/script&gt;" in article
    assert "&lt;img src=x onerror=" in article
    assert "javascript:alert(document.cookie)" in article  # shown as text, not as a link
    # approved, it reaches the export preview: still text
    post(client, f"/article/{hostile}/approve", token, expected="candidate")
    approved = client.get("/approved").get_data(as_text=True)
    assert_inert(approved)
    assert "&lt;SCRIPT&gt;" in approved or "&lt;script&gt;" in approved


def test_raw_page_is_sandboxed(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    response = client.get(f"/article/{ids['hostile']}/raw")
    assert response.status_code == 200
    csp = response.headers["Content-Security-Policy"]
    assert csp.startswith("sandbox") and "default-src 'none'" in csp and "script-src" not in csp
    assert response.headers["X-Frame-Options"] == "SAMEORIGIN"
    article = client.get(f"/article/{ids['hostile']}").get_data(as_text=True)
    assert re.search(r'<iframe class="raw" src="/article/\d+/raw" sandbox=""', article)
    source = client.get(f"/article/{ids['hostile']}/source")
    assert source.mimetype == "text/plain" and b"<script>" in source.data


def test_unknown_article_is_404(client: FlaskClient, token: str) -> None:
    for path in ("/article/99999", "/article/99999/raw", "/article/abc"):
        response = client.get(path)
        assert response.status_code == 404
        assert "Не найдено" in response.get_data(as_text=True)
    assert post(client, "/article/99999/approve", token, expected="candidate").status_code == 404


# --- article and search ------------------------------------------------------------------------------


def test_article_page_shows_text_meta_history(client: FlaskClient, token: str, ids: dict[str, int]) -> None:
    html = client.get(f"/article/{ids['best']}").get_data(as_text=True)
    assert "Тамара Вааль" in html
    assert "12.11.2025 14:05" in html  # Almaty time
    assert "<mark" in html and "Адвокат обжалует" in html
    assert "crawler" in html and "История" in html  # the crawl's own transition


def test_search_finds_ignored_items_and_promotes_them(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, ids = app_ids
    html = client.get("/search?q=гололёд").get_data(as_text=True)
    assert "Погода в Алматы" in html and "<mark>гололёд</mark>" in html
    assert "Добавить в бюллетень" in html
    response = post(client, f"/article/{ids['ignored']}/approve", token, expected="ignored", rubric="NOTA BENE")
    assert response.status_code == 302
    assert status_of(app, ids["ignored"])["approved_rubric"] == "NOTA BENE"


def test_search_survives_fts_syntax(client: FlaskClient, token: str) -> None:
    for query in ('"', "NEAR(", "-", "title:x", "*", "a AND OR"):
        assert client.get("/search", query_string={"q": query}).status_code == 200
    html = client.get("/search?q=приговор&status=ignored").get_data(as_text=True)
    assert "Ничего не найдено" in html


# --- actions -----------------------------------------------------------------------------------------


def test_approve_under_another_rubric_records_the_user(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, ids = app_ids
    response = post(client, f"/article/{ids['best']}/approve", token, expected="candidate", rubric="Пытки", next="/")
    assert response.status_code == 302 and response.location == "/"
    row = status_of(app, ids["best"])
    assert row["status"] == "approved" and row["approved_rubric"] == "Пытки" and row["decided_by"] == "anna"
    html = client.get(f"/article/{ids['best']}").get_data(as_text=True)
    assert "anna" in html


def test_unknown_rubric_gets_a_clear_message(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, ids = app_ids
    response = post(client, f"/article/{ids['best']}/approve", token, expected="candidate", rubric="Нет такой")
    html = client.get(response.location).get_data(as_text=True)
    assert "Нет такой" in html and "flash error" in html
    assert status_of(app, ids["best"])["status"] == "candidate"


def test_reject_with_reason_and_restore(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str) -> None:
    app, ids = app_ids
    post(client, f"/article/{ids['second']}/reject", token, expected="candidate", reason="не о Казахстане")
    assert status_of(app, ids["second"])["reject_reason"] == "не о Казахстане"
    assert 'id="a2"' not in client.get("/").get_data(as_text=True)
    post(client, f"/article/{ids['second']}/restore", token, expected="rejected")
    assert status_of(app, ids["second"])["status"] == "candidate"


def test_second_monitor_gets_already_decided(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, ids = app_ids
    other = app.test_client()
    other_token = login(other, "boris")
    post(other, f"/article/{ids['best']}/reject", other_token, expected="candidate", reason="дубль")
    response = post(client, f"/article/{ids['best']}/approve", token, expected="candidate", next="/")
    html = client.get(response.location).get_data(as_text=True)
    assert "Уже решено" in html and "boris" in html
    row = status_of(app, ids["best"])
    assert row["status"] == "rejected" and row["decided_by"] == "boris"


def test_edit_title_and_untouched_form(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str) -> None:
    app, ids = app_ids
    article = client.get(f"/article/{ids['rally']}").get_data(as_text=True)
    text = re.search(r'<textarea name="text"[^>]*>(.*?)</textarea>', article, re.S).group(1)
    version = re.search(r'name="version" value="(\d+)"', article).group(1)  # the version the edit is made from
    edit = f"/article/{ids['rally']}/edit"
    post(client, edit, token, expected="candidate", version=version, title="Митинг матерей", text=text)
    assert status_of(app, ids["rally"])["edited_title"] == "Митинг матерей"
    response = post(client, edit, token, expected="candidate", version=str(int(version) + 1), title="Митинг матерей")
    assert "Ничего не изменилось" in client.get(response.location).get_data(as_text=True)


def test_approved_list_reorder_move_unapprove_and_preview(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str
) -> None:
    app, ids = app_ids
    for key in ("best", "second"):
        post(client, f"/article/{ids[key]}/approve", token, expected="candidate")
    preview = lambda: client.get("/approved").get_data(as_text=True).split('<pre id="preview">')[1]  # noqa: E731  # a one-line helper reads best beside its use
    assert preview().index("ДЕЛО 1") < preview().index("ДЕЛО 2")
    post(client, f"/article/{ids['second']}/up", token, expected="approved")
    assert preview().index("ДЕЛО 2") < preview().index("ДЕЛО 1")
    post(client, f"/article/{ids['best']}/rubric", token, expected="approved", rubric="NOTA BENE")
    assert status_of(app, ids["best"])["approved_rubric"] == "NOTA BENE"
    assert "NOTA BENE" in preview()
    post(client, f"/article/{ids['best']}/unapprove", token, expected="approved")
    assert "ДЕЛО 1" not in preview()


def test_export_draft_then_final(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str) -> None:
    app, ids = app_ids
    post(client, f"/article/{ids['best']}/approve", token, expected="candidate")
    draft = post(client, "/approved/export", token, format="txt")
    assert draft.status_code == 200 and "attachment" in draft.headers["Content-Disposition"]
    assert "ДЕЛО 1" in draft.get_data(as_text=True)
    assert status_of(app, ids["best"])["status"] == "approved"
    docx = post(client, "/approved/export", token, format="docx")
    assert docx.data[:2] == b"PK"
    final = post(client, "/approved/export", token, format="txt", final="1", number="1")
    assert final.status_code == 302 and "issued=1" in final.headers["Location"]
    assert status_of(app, ids["best"])["status"] == "exported"
    page = client.get(final.headers["Location"]).get_data(as_text=True)
    assert "Бюллетень №1 выпущен: 1 материал." in page and "Следующий бюллетень №2" in page
    assert "ДЕЛО 1" in client.get("/bulletins/1.txt").get_data(as_text=True)
    again = post(client, "/approved/export", token, format="txt", final="1", number="1")  # a second click
    assert again.status_code == 302
    assert "Бюллетень №1 уже выпущен" in client.get(again.headers["Location"]).get_data(as_text=True)
    nothing = post(client, "/approved/export", token, format="txt", final="1", number="2")
    assert nothing.status_code == 302
    assert "Нечего выпускать: одобренных материалов нет." in client.get("/approved").get_data(as_text=True)
    html = client.get("/").get_data(as_text=True)
    assert "Последний бюллетень №1" in html


def test_hostile_title_in_exports(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, token: str) -> None:
    _, ids = app_ids
    post(client, f"/article/{ids['hostile']}/approve", token, expected="candidate")
    html_export = post(client, "/approved/export", token, format="html").get_data(as_text=True)
    assert "<script>" not in html_export.lower().replace("&lt;script&gt;", "")
    assert SCRIPT_TITLE.upper()[:8] not in html_export
    assert ONERROR_TEXT[:10] in html_export
