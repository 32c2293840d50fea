"""Accounts: hashing, checking, the CLI, and the server's refusal to be exposed without accounts."""

from __future__ import annotations

import io
from pathlib import Path

import pytest

from crawler.cli import main
from crawler.cli.users import _is_loopback
from crawler.errors import UsageError
from crawler.store import open_db, users
from crawler.web import create_app


def test_password_is_stored_hashed_and_checked(tmp_path: Path) -> None:
    db = open_db(tmp_path / "c.db")
    users.add_user(db, "anna", "long enough pw")
    stored = db.execute("SELECT password_hash FROM users WHERE name = 'anna'").fetchone()[0]
    assert stored.startswith("scrypt:") and "long enough pw" not in stored
    assert users.check_user(db, "anna", "long enough pw")
    assert not users.check_user(db, "anna", "wrong password")
    assert not users.check_user(db, "nobody", "long enough pw")
    assert users.count_users(db) == 1


@pytest.mark.parametrize(("name", "password"), [("anna", "short"), ("bad name", "long enough pw"), ("", "x" * 9)])
def test_bad_accounts_are_refused(tmp_path: Path, name: str, password: str) -> None:
    with pytest.raises(UsageError):
        users.add_user(open_db(tmp_path / "c.db"), name, password)


def test_duplicate_user_is_refused(tmp_path: Path) -> None:
    db = open_db(tmp_path / "c.db")
    users.add_user(db, "anna", "long enough pw")
    with pytest.raises(UsageError, match="already exists"):
        users.add_user(db, "anna", "another long pw")


def test_cli_user_add_reads_the_password_from_stdin(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough pw\n"))
    assert main(["--db", str(tmp_path / "c.db"), "user", "add", "anna"]) == 0
    assert "anna" in capsys.readouterr().out
    assert users.check_user(open_db(tmp_path / "c.db"), "anna", "long enough pw")
    monkeypatch.setattr("sys.stdin", io.StringIO("long enough pw\n"))
    assert main(["--db", str(tmp_path / "c.db"), "user", "add", "anna"]) == 2
    assert "already exists" in capsys.readouterr().err


def test_review_refuses_a_public_host_without_accounts(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--db", str(tmp_path / "c.db"), "review", "--host", "0.0.0.0", "--port", "0"]) == 2
    err = capsys.readouterr().err
    assert "no account exists" in err and "Traceback" not in err


@pytest.mark.parametrize(
    ("host", "loopback"),
    [
        ("127.0.0.1", True),
        ("localhost", True),
        ("::1", True),
        ("127.0.0.2", True),
        ("0.0.0.0", False),
        ("192.168.1.5", False),
        ("example.org", False),
    ],
)
def test_loopback_detection(host: str, loopback: bool) -> None:
    assert _is_loopback(host) is loopback


def test_the_session_key_survives_a_restart_of_the_page(tmp_path: Path) -> None:
    db_path = tmp_path / "crawler.db"
    first = create_app(db_path).config["SECRET_KEY"]
    second = create_app(db_path).config["SECRET_KEY"]
    assert first == second and len(first) == 64
    assert users.session_secret(open_db(tmp_path / "other.db")) != first  # one per database
