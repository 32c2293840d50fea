"""Review-page logins under attack (issue 12): throttled guessing per account and per address, sessions
kept in the database that really end (logout, new password, removed account), a Secure cookie behind a
TLS proxy, and a ``next=`` that cannot split headers or leave the site."""

from __future__ import annotations

import logging
import re
from pathlib import Path

import pytest
from flask import Flask
from flask.testing import FlaskClient
from werkzeug.test import TestResponse

from crawler.store import open_db, sessions, users
from crawler.store.logins import Throttle
from crawler.web import create_app
from tests.test_web_support import PASSWORD, login, make_app, seed


def _csrf(client: FlaskClient) -> str:
    page = client.get("/login").get_data(as_text=True)
    match = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert match
    return match.group(1)


def _try(client: FlaskClient, name: str, password: str, address: str = "127.0.0.1", **extra: str) -> TestResponse:
    data = {"name": name, "password": password, "csrf_token": _csrf(client), **extra}
    return client.post("/login", data=data, environ_base={"REMOTE_ADDR": address})


def _text(response: TestResponse) -> str:
    return response.get_data(as_text=True)


def _cookie(client: FlaskClient) -> str:
    cookie = client.get_cookie("crawler_session")
    assert cookie is not None
    return cookie.value


# --- throttling ------------------------------------------------------------------------------------


def test_forty_wrong_passwords_lock_the_account_and_then_the_right_one_is_refused(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient, caplog: pytest.LogCaptureFixture
) -> None:
    app = app_ids[0]
    app.config["LOGIN_THROTTLE"] = Throttle(free_attempts=3, delay_seconds=0, lock_after=10, lock_minutes=15)
    caplog.set_level(logging.INFO, logger="crawler.web.auth")
    codes = [_try(client, "anna", f"guess-{n}").status_code for n in range(40)]
    assert codes[:10] == [401] * 10  # counted ...
    assert set(codes[10:]) == {429}  # ... then refused without a look at the password
    response = _try(client, "anna", PASSWORD)
    assert response.status_code == 429
    assert "Слишком много неверных паролей: вход для этого имени заблокирован до" in _text(response)
    assert client.get("/").status_code == 302  # not logged in
    assert "login failed for 'anna' from 127.0.0.1; user blocked until" in caplog.text
    assert "login refused for 'anna' from 127.0.0.1: user blocked until" in caplog.text
    # another account from the same address is not locked out by anna's lock
    assert _try(client, "boris", PASSWORD).status_code == 302


def test_wrong_passwords_beyond_the_free_ones_make_the_next_attempt_wait(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient
) -> None:
    app_ids[0].config["LOGIN_THROTTLE"] = Throttle(free_attempts=3, delay_seconds=30, lock_after=10)
    for _ in range(3):
        assert "следующая попытка" not in _text(_try(client, "anna", "wrong-password"))
    fourth = _try(client, "anna", "wrong-password")
    assert fourth.status_code == 401
    assert "следующая попытка входа для этого имени — через 30 секунд" in _text(fourth)
    refused = _try(client, "anna", PASSWORD)
    assert refused.status_code == 429
    assert re.search(r"следующая попытка входа для этого имени — через \d+ секунд", _text(refused))


def test_the_delay_doubles_with_each_failure_up_to_a_lock() -> None:
    throttle = Throttle(free_attempts=3, delay_seconds=1, max_delay_seconds=60, lock_after=10, lock_minutes=15)
    waits = [throttle.wait_after(n) for n in range(1, 12)]
    assert [w.total_seconds() for w, _ in waits[:9]] == [0, 0, 0, 1, 2, 4, 8, 16, 32]
    assert waits[9] == waits[10] and waits[9][1] and waits[9][0].total_seconds() == 15 * 60


def test_guessing_many_accounts_from_one_address_locks_that_address(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient
) -> None:
    app_ids[0].config["LOGIN_THROTTLE"] = Throttle(free_attempts=1, delay_seconds=0, lock_after=2, lock_minutes=15)
    for n in range(6):  # six names, one failure each: no account reaches its own limit
        assert _try(client, f"name{n}", "wrong-password", address="10.0.0.66").status_code == 401
    refused = _try(client, "anna", PASSWORD, address="10.0.0.66")
    assert refused.status_code == 429
    assert "вход с вашего адреса заблокирован" in _text(refused)
    assert _try(client, "anna", PASSWORD, address="10.0.0.7").status_code == 302  # elsewhere: fine


def test_after_a_good_login_the_monitor_hears_of_the_wrong_attempts(client: FlaskClient) -> None:
    for _ in range(2):
        _try(client, "anna", "wrong-password", address="10.9.9.9")
    response = _try(client, "anna", PASSWORD)
    assert response.status_code == 302
    page = _text(client.get(response.location))
    assert "перед этим входом было 2 неудачные попытки войти под вашим именем с неверным паролем" in page
    client.post("/logout", data={"csrf_token": _csrf_logged_in(client)})
    assert _try(client, "anna", PASSWORD).status_code == 302
    assert "неудачн" not in _text(client.get("/"))  # counted once, then cleared


def _csrf_logged_in(client: FlaskClient) -> str:
    match = re.search(r'name="csrf_token" value="([^"]+)"', _text(client.get("/search")))
    assert match
    return match.group(1)


# --- sessions ----------------------------------------------------------------------------------------


def test_a_logged_out_cookie_no_longer_works(client: FlaskClient, token: str) -> None:
    stolen = _cookie(client)
    assert client.get("/").status_code == 200
    assert client.post("/logout", data={"csrf_token": token}).status_code == 302
    client.set_cookie("crawler_session", stolen)  # the cookie copied before logout, replayed
    response = client.get("/")
    assert response.status_code == 302 and response.location.startswith("/login")


def test_a_password_change_ends_the_accounts_sessions(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient
) -> None:
    login(client)
    other = app_ids[0].test_client()
    login(other, "boris")
    db = open_db(app_ids[0].config["DB_PATH"])
    assert sessions.count_sessions(db, "anna") == 1
    assert users.change_password(db, "anna", "a brand new password") == 1
    assert client.get("/").status_code == 302
    assert other.get("/").status_code == 200  # boris is untouched


def test_a_password_changed_behind_the_stores_back_still_ends_sessions(
    app_ids: tuple[Flask, dict[str, int]], client: FlaskClient
) -> None:
    login(client)
    db = open_db(app_ids[0].config["DB_PATH"])
    db.conn.execute("UPDATE users SET password_hash = 'scrypt:new' WHERE name = 'anna'")  # any code path
    db.conn.commit()
    assert client.get("/").status_code == 302


def test_removing_an_account_ends_its_sessions(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient) -> None:
    login(client)
    db = open_db(app_ids[0].config["DB_PATH"])
    assert users.remove_user(db, "anna") == 1
    assert sessions.count_sessions(db, "anna") == 0
    assert client.get("/").status_code == 302


def test_sessions_are_stored_hashed(app_ids: tuple[Flask, dict[str, int]], client: FlaskClient) -> None:
    login(client)
    db = open_db(app_ids[0].config["DB_PATH"])
    rows = list(db["sessions"].rows)
    assert len(rows) == 1 and rows[0]["user"] == "anna" and len(rows[0]["id"]) == 64
    assert rows[0]["id"] not in _cookie(client)


def test_secure_cookie_setting_for_a_tls_proxy(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("CRAWLER_SESSION_COOKIE_SECURE", "true")
    db = open_db(tmp_path / "c.db")
    seed(db)
    users.add_user(db, "anna", PASSWORD)
    app = create_app(tmp_path / "c.db", rules_dir="rules", secret_key="k", testing=True)
    client = app.test_client()
    response = client.get("/login", base_url="https://review.example")
    assert "Secure" in response.headers["Set-Cookie"]
    monkeypatch.delenv("CRAWLER_SESSION_COOKIE_SECURE")
    plain, _ = make_app(tmp_path / "other")
    assert "Secure" not in plain.test_client().get("/login").headers["Set-Cookie"]


# --- next= -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "target",
    [
        "/\r\nSet-Cookie: planted=1",
        "/search?q=x\nLocation: https://evil.example/",
        "/\x00",
        "https://evil.example/",
        "//evil.example/",
        "/\\evil.example",
        "http://[::1",
    ],
    ids=["crlf", "lf", "nul", "offsite", "scheme-relative", "backslash", "broken-ipv6"],
)
def test_login_next_with_crlf_or_offsite_is_ignored_not_500(target: str, client: FlaskClient) -> None:
    assert client.get("/login", query_string={"next": target}).status_code == 200
    response = _try(client, "anna", PASSWORD, next=target)
    assert response.status_code == 302
    assert response.location == "/"
    assert "planted" not in response.headers.get("Set-Cookie", "")


def test_failures_are_forgotten_after_a_quiet_day(tmp_path: Path) -> None:
    from datetime import UTC, datetime, timedelta

    from crawler.store import logins

    db = open_db(tmp_path / "c.db")
    start = datetime(2025, 11, 20, tzinfo=UTC)
    throttle = Throttle(free_attempts=1, delay_seconds=10, lock_after=5)
    assert logins.record_failure(db, "anna", "10.0.0.1", now=start, throttle=throttle) is None
    assert logins.record_failure(db, "anna", "10.0.0.1", now=start, throttle=throttle) is not None
    for n in range(50):  # random names from elsewhere, a day earlier than the next failure
        logins.record_failure(db, f"guess{n}", "10.0.0.9", now=start, throttle=throttle)
    later = start + timedelta(hours=25)
    assert logins.blocked(db, "anna", "10.0.0.1", now=later, throttle=throttle) is None
    assert logins.record_failure(db, "anna", "10.0.0.1", now=later, throttle=throttle) is None  # a fresh count
    assert db["login_failures"].count == 2  # anna and her address; the day-old guesses are gone
