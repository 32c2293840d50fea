"""Ops: which database a writing command used, read-only commands that never create one, and the
accounts' remove / passwd with the sessions they end at once."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.store import open_db, users
from tests.conftest import run_crawler
from tests.test_web_support import PASSWORD, login, make_app


@pytest.mark.parametrize(
    "args",
    [
        ("queue", "list"),
        ("status",),
        ("export", "--format", "txt", "--draft"),
        ("queue", "approve", "1"),
        ("rules", "apply"),
        ("user", "remove", "anna"),
    ],
)
def test_a_mistyped_db_creates_nothing(
    tmp_path: Path, args: tuple[str, ...], capsys: pytest.CaptureFixture[str]
) -> None:
    missing = tmp_path / "typo" / "crawlr.db"
    assert main(["--db", str(missing), *args]) == 2
    err = capsys.readouterr().err
    assert err.count("\n") == 1 and f"no database at {missing}" in err
    assert not missing.parent.exists()


def test_writing_commands_say_which_database(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "new" / "c.db"
    monkeypatch.setattr("sys.stdin", io.StringIO(PASSWORD + "\n"))
    assert main(["--db", str(db), "user", "add", "anna"]) == 0
    assert f"crawler: database {db} (new: created now)" in capsys.readouterr().err
    monkeypatch.setattr("sys.stdin", io.StringIO("another password\n"))
    assert main(["--db", str(db), "user", "passwd", "anna"]) == 0
    out = capsys.readouterr()
    assert f"crawler: database {db}\n" in out.err and "password of anna changed" in out.out
    assert users.check_user(open_db(db), "anna", "another password")
    assert main(["--db", str(db), "queue", "list"]) == 0
    assert "crawler: database" not in capsys.readouterr().err  # reading says nothing extra
    assert main(["--db", str(db), "user", "remove", "anna"]) == 0
    assert not users.user_exists(open_db(db), "anna")
    assert main(["--db", str(db), "user", "remove", "anna"]) == 2
    assert "no user 'anna'" in capsys.readouterr().err


def test_run_says_which_database(tmp_path: Path) -> None:
    result = run_crawler(tmp_path / "c.db", "run", "--replay", "--outlet", "bureau")
    assert f"crawler: database {tmp_path / 'c.db'} (new: created now)" in result.stderr


def test_sessions_end_at_once_on_passwd_and_remove(tmp_path: Path) -> None:
    app, _ = make_app(tmp_path)
    anna, boris = app.test_client(), app.test_client()
    login(anna, "anna")
    login(boris, "boris")
    assert anna.get("/").status_code == 200 and boris.get("/").status_code == 200
    db = open_db(app.config["DB_PATH"])
    users.change_password(db, "anna", "a new long password")
    response = anna.get("/")
    assert response.status_code == 302 and "/login" in response.headers["Location"]
    assert boris.get("/").status_code == 200
    users.remove_user(db, "boris")
    assert boris.get("/").status_code == 302
    # logging in again with the new password works, the old one does not
    page = anna.get("/login").get_data(as_text=True)
    token = re.search(r'name="csrf_token" value="([^"]+)"', page)
    assert token
    old = anna.post("/login", data={"name": "anna", "password": PASSWORD, "csrf_token": token.group(1)})
    assert old.status_code == 401
    new = anna.post("/login", data={"name": "anna", "password": "a new long password", "csrf_token": token.group(1)})
    assert new.status_code == 302 and anna.get("/").status_code == 200
