"""The settings file: commented defaults, overridden key by key by a user file and the environment."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from crawler import settings
from crawler.cli import main
from crawler.config import DEFAULTS_FILE, load_config, scrapy_settings, setting_name
from crawler.errors import ConfigError
from crawler.store import open_db


def write(tmp_path: Path, text: str) -> Path:
    path = tmp_path / "crawler.toml"
    path.write_text(text, encoding="utf-8")
    return path


def test_defaults_are_loaded_and_every_key_is_commented() -> None:
    config = load_config(environ={})
    assert config["interval_minutes"] == 30 and config["quiet_hours"] == "" and config["alert_urls"] == []
    lines = DEFAULTS_FILE.read_text(encoding="utf-8").splitlines()
    for number, line in enumerate(lines):
        if re.match(r"^[a-z_]+ = ", line):
            assert lines[number - 1].startswith("#"), f"{line!r} has no comment above it"


def test_the_settings_file_keys_are_not_defined_twice() -> None:
    config = load_config(environ={})
    assert not [key for key in config if hasattr(settings, setting_name(key))]


def test_a_user_file_overrides_key_by_key_and_the_environment_wins(tmp_path: Path) -> None:
    path = write(tmp_path, 'interval_minutes = 10\nalert_urls = ["json://127.0.0.1:9/hook"]\nsilence_factor = 3\n')
    config = load_config(path, environ={"CRAWLER_INTERVAL_MINUTES": "15"})
    assert config["interval_minutes"] == 15
    assert config["alert_urls"] == ["json://127.0.0.1:9/hook"]
    assert config["silence_factor"] == 3.0 and config["quiet_hours"] == ""
    env = {"CRAWLER_CONFIG": str(path), "CRAWLER_ALERT_URLS": "json://a.example/x, mailto://b.example"}
    assert load_config(environ=env)["alert_urls"] == ["json://a.example/x", "mailto://b.example"]


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("interval_minutes = 10\nintervall = 5\n", r"line 2: unknown key 'intervall'"),
        ("# comment\n\ninterval_minutes = 'soon'\n", r"line 3: interval_minutes must be a whole number"),
        ("interval_minutes = 0\n", r"line 1: interval_minutes must be greater than 0"),
        ('quiet_hours = "late"\n', r"line 1: quiet_hours must look like"),
        ("db = 'x.db'\nlog_level = \n", r"line 2 \(key 'log_level'\): Invalid value"),
        ("[crawler]\ninterval_minutes = 5\n", r"line 1: \[crawler\] sections are not used"),
    ],
)
def test_a_broken_file_names_the_key_and_line(tmp_path: Path, text: str, expected: str) -> None:
    with pytest.raises(ConfigError, match=expected):
        load_config(write(tmp_path, text), environ={})


def test_a_bad_environment_value_names_the_variable() -> None:
    with pytest.raises(ConfigError, match="environment CRAWLER_STALE_HOURS: stale_hours must be a number"):
        load_config(environ={"CRAWLER_STALE_HOURS": "often"})
    with pytest.raises(ConfigError, match="does not exist"):
        load_config(environ={"CRAWLER_CONFIG": "/nonexistent/crawler.toml"})


def test_contact_url_and_log_file_reach_scrapy(tmp_path: Path) -> None:
    config = load_config(
        write(tmp_path, 'contact_url = "mailto:ops@example.org"\nlog_file = "/tmp/x.log"\n'), environ={}
    )
    built = scrapy_settings(config)
    assert built.get("USER_AGENT") == "bulletin-crawler/0.1.0 (+mailto:ops@example.org)"
    assert built.get("LOG_FILE") == "/tmp/x.log" and built.getint("CRAWLER_INTERVAL_MINUTES") == 30


def test_the_cli_stops_before_doing_anything(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    bad = write(tmp_path, "interval_minutes = 10\nquiet_hours = 22\n")
    db = tmp_path / "never.db"
    with pytest.raises(SystemExit) as stop:
        main(["--db", str(db), "--config", str(bad), "status"])
    assert stop.value.code == 2
    err = capsys.readouterr().err.strip()
    assert err.count("\n") == 0 and "line 2" in err and "quiet_hours" in err
    assert not db.exists()


def test_the_file_can_name_the_database(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("CRAWLER_DB", raising=False)
    monkeypatch.delenv("CRAWLER_CONFIG", raising=False)
    db = tmp_path / "from-config.db"
    path = write(tmp_path, f'db = "{db}"\n')
    assert main(["--config", str(path), "status", "--json"]) == 2  # reading names it, creates nothing
    assert not db.exists()
    open_db(db)
    assert main(["--config", str(path), "status", "--json"]) == 1  # no pass yet: unhealthy, but it ran


def test_the_file_named_by_the_environment_names_the_database_too(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("CRAWLER_DB", raising=False)
    db = tmp_path / "env-config.db"
    monkeypatch.setenv("CRAWLER_CONFIG", str(write(tmp_path, f'db = "{db}"\n')))
    assert main(["backup", str(tmp_path / "copy.db")]) == 2  # names the configured database
    assert str(db) in capsys.readouterr().err
    monkeypatch.setenv("CRAWLER_CONFIG", str(write(tmp_path, "db = \n")))
    assert main(["status"]) == 2
    assert "line 1 (key 'db')" in capsys.readouterr().err
