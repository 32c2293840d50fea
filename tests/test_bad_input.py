"""Hostile and mistaken input answered with one clear line and a non-zero exit, never a traceback
(issue 12): deep or huge JSON, integers beyond SQLite's, argv that is not UTF-8, devices as text
files, absurd settings, unusable log and backup places, rules files that nest or alias."""

from __future__ import annotations

import io
import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import scrapy
from flask.testing import FlaskClient
from scrapy.http import TextResponse

from crawler import jsonguard
from crawler.backup import backup_database
from crawler.cli import main
from crawler.config import load_config
from crawler.errors import ConfigError, StoreError, UsageError
from crawler.rules import check_rules
from crawler.run import log_file_handler
from crawler.store import open_db
from tests.conftest import ROOT, run_crawler
from tests.test_web_support import add_article

HUGE = "9" * 20  # beyond 2**63
DEEP = "[" * 100_000 + "]" * 100_000


def _one_line(err: str) -> str:
    assert "Traceback" not in err, err
    lines = [line for line in err.strip().splitlines() if line.strip()]
    assert len(lines) == 1, err
    return lines[0]


# --- classify ---------------------------------------------------------------------------------------


def test_classify_line_nested_100k_deep_or_with_a_5000_digit_id_is_a_per_line_error(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    lines = [
        '{"id": 1, "text": ' + DEEP + "}",
        '{"id": ' + "7" * 5000 + ', "text": "x"}',
        '{"id": ' + "1" * 30 + ', "text": "x"}',  # parses, but no 64-bit id
        '{"id": {"a": 1}, "text": "x"}',
        '{"id": 5, "title": "Суд вынес приговор активисту", "text": "Политзаключенный осужден."}',
    ]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert main(["classify"]) == 1
    out, err = capsys.readouterr()
    assert [json.loads(line)["id"] for line in out.splitlines()] == [5]  # the good line still classified
    assert "Traceback" not in err
    assert "line 1: not usable JSON (nested deeper than 64 levels)" in err
    assert "line 2: not usable JSON" in err and "digits" in err
    assert 'line 3: "id" is out of range' in err
    assert 'line 4: "id" must be a string or a whole number' in err


def test_depth_scan_is_not_fooled_by_brackets_inside_strings_or_quadratic_on_unclosed_ones() -> None:
    assert jsonguard.loads('{"a": "[[[[[[[[", "b": [[1]]}') == {"a": "[[[[[[[[", "b": [[1]]}
    assert jsonguard.depth(b'["\\"]]]]", [2]]') == 2
    with pytest.raises(ValueError):
        jsonguard.loads('"\\"' * 200_000)  # many unterminated strings: one linear scan, then a ValueError
    with pytest.raises(jsonguard.TooDeep):
        jsonguard.loads(DEEP)


def test_a_wp_json_answer_nested_deep_fails_that_strategy_not_the_outlet() -> None:
    from scrapy.utils.test import get_crawler

    from spiders.bureau import BureauSpider

    spider = BureauSpider.from_crawler(get_crawler(BureauSpider))
    root = "https://bureau.kz/wp-json/wp/v2/posts?per_page=100"
    spider.strategy_results[root] = {"kind": "json api", "status": None, "links": 0, "ok": False, "problem": None}
    request = scrapy.Request(root, meta={"root": root})
    response = TextResponse(root, body=DEEP.encode(), encoding="utf-8", request=request)
    assert list(spider.parse_json_api(response) or ()) == []
    assert spider.strategy_results[root]["problem"] == "not a JSON list of posts"


# --- integers beyond 2**63 --------------------------------------------------------------------------


@pytest.mark.parametrize(
    "args",
    [
        ("queue", "approve", HUGE),
        ("queue", "reject", HUGE),
        ("queue", "edit", HUGE, "--title", "x"),
        ("queue", "list", "--limit", HUGE),
        ("export", "--format", "txt", "--bulletin", HUGE),
        ("queue", "approve", "-1"),
    ],
    ids=["approve-huge-id", "reject-huge-id", "edit-huge-id", "limit-huge", "bulletin-huge", "negative-id"],
)
def test_an_integer_beyond_2_63_is_a_usage_error(
    args: tuple[str, ...], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with pytest.raises(SystemExit) as done:
        main(["--db", str(tmp_path / "c.db"), *args])
    assert done.value.code == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "out of range (0 to 9223372036854775807)" in err.strip().splitlines()[-1]


def test_article_page_with_a_huge_id_is_404_not_500(client: FlaskClient, token: str) -> None:
    for path in (f"/article/{HUGE}", f"/article/{'9' * 5000}", f"/article/{HUGE}/raw", f"/article/{HUGE}/source"):
        assert client.get(path).status_code == 404, path
    response = client.post(f"/article/{HUGE}/approve", data={"csrf_token": token, "expected": "candidate"})
    assert response.status_code == 404


# --- argv that is not UTF-8 -------------------------------------------------------------------------


@pytest.mark.parametrize("option", ["--reason", "--title"])
def test_argv_with_non_utf8_bytes_is_one_line(option: str, db_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    article = add_article(open_db(db_path), 1)
    verb = "reject" if option == "--reason" else "edit"
    bad = os.fsdecode(b"\xff\xfe \xd0\xbf\xd1\x80\xd0\xb8\xd0\xb2\xd0\xb5\xd1\x82")  # as Python hands it over
    assert main(["--db", str(db_path), "queue", verb, str(article), option, bad]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line == 'crawler: error: argument "\\xff\\xfe привет" is not valid UTF-8 text'
    assert open_db(db_path)["articles"].get(article)["status"] == "candidate"


def test_argv_with_non_utf8_bytes_from_a_real_shell_is_one_line(db_path: Path) -> None:
    environ = {key: value for key, value in os.environ.items() if not key.startswith("CRAWLER_")}
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "--db", str(db_path), "queue", "reject", "1", "--reason", b"\xff\xfe"],
        capture_output=True,
        cwd=ROOT,
        env={**environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 2
    assert _one_line(done.stderr.decode()).endswith("is not valid UTF-8 text")


# --- queue edit --text-file -------------------------------------------------------------------------


@pytest.mark.parametrize("kind", ["dev-zero", "fifo", "folder", "too-big", "not-utf8"])
def test_text_file_must_be_a_regular_utf8_file_under_the_cap(kind: str, db_path: Path, tmp_path: Path) -> None:
    article = add_article(open_db(db_path), 1)
    path = {"dev-zero": Path("/dev/zero"), "folder": tmp_path}.get(kind, tmp_path / "text")
    if kind == "fifo":
        os.mkfifo(path)  # nobody writes: reading it would wait forever
    elif kind == "too-big":
        path.write_bytes(b"a" * 2_000_001)
    elif kind == "not-utf8":
        path.write_bytes("Текст".encode("cp1251"))
    done = run_crawler(db_path, "queue", "edit", str(article), "--text-file", str(path), timeout=30)
    assert done.returncode == 2
    line = _one_line(done.stderr)
    expected = {
        "dev-zero": "not a regular file",
        "fifo": "not a regular file",
        "folder": "Is a directory",
        "too-big": "larger than 2 MB",
        "not-utf8": "not UTF-8 text",
    }[kind]
    assert expected in line
    assert open_db(db_path)["articles"].get(article)["edited_text"] is None


def test_text_file_that_is_regular_and_small_is_used(db_path: Path, tmp_path: Path) -> None:
    article = add_article(open_db(db_path), 1)
    (tmp_path / "text").write_text("Новый текст.\n\nВторой абзац.", "utf-8")
    done = run_crawler(db_path, "queue", "edit", str(article), "--text-file", str(tmp_path / "text"))
    assert done.returncode == 0, done.stderr
    assert open_db(db_path)["articles"].get(article)["edited_text"] == "Новый текст.\n\nВторой абзац."


# --- settings ---------------------------------------------------------------------------------------


@pytest.mark.parametrize("value", ["1e20", "inf", "nan", "-inf", "100000000000000000"])
def test_config_value_out_of_bounds_in_the_file_is_one_line(value: str, tmp_path: Path) -> None:
    path = tmp_path / "crawler.toml"
    path.write_text(f"log_level = 'INFO'\nstale_hours = {value}\n", "utf-8")
    with pytest.raises(ConfigError) as error:
        load_config(path, environ={})
    assert str(error.value).startswith(f"{path} line 2: stale_hours must be")


@pytest.mark.parametrize(
    ("name", "value"),
    [
        ("CRAWLER_SILENCE_FACTOR", "1e20"),
        ("CRAWLER_SILENCE_FACTOR", "inf"),
        ("CRAWLER_SILENCE_FACTOR", "nan"),
        ("CRAWLER_INTERVAL_MINUTES", "100000000000000000000"),
        ("CRAWLER_INTERVAL_MINUTES", "inf"),
    ],
)
def test_config_value_out_of_bounds_in_the_environment_is_one_line(name: str, value: str) -> None:
    with pytest.raises(ConfigError) as error:
        load_config(environ={name: value})
    assert str(error.value).startswith(f"environment {name}: ")


def test_busy_timeout_of_inf_or_nan_in_the_environment_is_one_line(db_path: Path) -> None:
    for value in ("inf", "nan", "1e20"):
        done = run_crawler(db_path, "queue", "list", CRAWLER_BUSY_TIMEOUT_SECONDS=value)
        assert done.returncode == 2
        assert "CRAWLER_BUSY_TIMEOUT_SECONDS: must be from 0 to 3600" in _one_line(done.stderr)


def test_log_file_in_a_missing_folder_is_created(tmp_path: Path) -> None:
    handler = log_file_handler(str(tmp_path / "logs" / "deep" / "crawler.log"))
    handler.close()
    assert (tmp_path / "logs" / "deep" / "crawler.log").is_file()


def test_log_file_under_a_file_stops_the_pass_before_it_starts(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    done = run_crawler(db_path, "run", "--replay", "--outlet", "vlast", CRAWLER_LOG_FILE=str(tmp_path / "plain/x.log"))
    assert done.returncode == 2
    assert _one_line(done.stderr).startswith(f"crawler: error: log_file {tmp_path / 'plain/x.log'}: cannot open it")
    assert open_db(db_path)["runs"].count == 0  # no pass was recorded as started


def test_log_file_under_a_file_stops_the_scheduler_with_one_line(db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    done = run_crawler(db_path, "schedule", "--passes", "1", CRAWLER_LOG_FILE=str(tmp_path / "plain/x.log"))
    assert done.returncode == 2
    assert "cannot open it for writing:" in _one_line(done.stderr)


@pytest.mark.parametrize("interval", ["inf", "nan", "1e20"])
def test_schedule_interval_beyond_a_week_is_one_line(
    interval: str, db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["--db", str(db_path), "schedule", "--interval", interval, "--passes", "1"]) == 2
    line = _one_line(capsys.readouterr().err)
    assert line == "crawler: error: --interval must be greater than 0 and at most 10080 minutes (a week)"


# --- backup -----------------------------------------------------------------------------------------


def test_backup_into_a_read_only_filesystem_is_one_line(db: object, db_path: Path, tmp_path: Path) -> None:
    if not shutil.which("unshare"):
        pytest.skip("needs unshare(1) to mount a read-only filesystem")
    mount = tmp_path / "ro"
    mount.mkdir()
    probe = subprocess.run(
        ["unshare", "-m", "sh", "-c", f"mount -t tmpfs -o ro tmpfs {mount}"], capture_output=True, check=False
    )
    if probe.returncode != 0:
        pytest.skip("no permission to mount a filesystem here")
    command = f"mount -t tmpfs -o ro tmpfs {mount} && {sys.executable} -m crawler --db {db_path} backup {mount}/b.db"
    done = subprocess.run(
        ["unshare", "-m", "sh", "-c", command],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 2
    assert _one_line(done.stderr) == f"crawler: error: cannot write the backup {mount}/b.db: Read-only file system"


@pytest.mark.parametrize("place", ["under-a-file", "proc", "missing-parent-in-proc"])
def test_backup_into_an_unwritable_place_is_one_error(place: str, db: object, db_path: Path, tmp_path: Path) -> None:
    (tmp_path / "plain").write_text("x")
    target = {
        "under-a-file": tmp_path / "plain" / "b.db",
        "proc": Path("/proc/b.db"),  # unwritable even for root
        "missing-parent-in-proc": Path("/proc/nothing-here/b.db"),
    }[place]
    with pytest.raises((StoreError, UsageError), match=f"cannot write the backup {target}"):
        backup_database(db_path, target)
    assert list(tmp_path.glob("**/.*.partial")) == []


# --- rules files ------------------------------------------------------------------------------------


def _rules(tmp_path: Path, body: str) -> list[str]:
    folder = tmp_path / "rules"
    folder.mkdir()
    (folder / "01.yml").write_text(body, "utf-8")
    return check_rules(folder)


def test_rule_groups_nested_200_deep_are_one_problem(tmp_path: Path) -> None:
    inner = '"суд"'
    for _ in range(200):
        inner = "{any: [" + inner + "]}"
    problems = _rules(tmp_path, f"rubric: X\norder: 1\nterms:\n  - {inner}\n")
    assert problems == [f"{tmp_path}/rules/01.yml:4: blocks nested deeper than 40 levels: flatten the groups"]


def test_rules_file_with_yaml_aliases_is_refused_with_file_and_line(tmp_path: Path) -> None:
    laughs = ["rubric: X", "order: 1", 'a: &a ["суд", "суд", "суд", "суд", "суд", "суд", "суд", "суд", "суд"]']
    laughs += [f"{chr(98 + i)}: &{chr(98 + i)} [*{chr(97 + i)}, *{chr(97 + i)}, *{chr(97 + i)}]" for i in range(8)]
    laughs += ["terms: *i"]
    problems = _rules(tmp_path, "\n".join(laughs) + "\n")
    assert problems == [f"{tmp_path}/rules/01.yml:3: YAML anchor &a is not allowed in rules files: write the terms out"]


def test_rules_file_with_a_bare_alias_is_refused(tmp_path: Path) -> None:
    problems = _rules(tmp_path, 'rubric: X\norder: 1\nterms:\n  - "суд"\n  - *nowhere\n')
    assert len(problems) == 1 and problems[0].startswith(f"{tmp_path}/rules/01.yml:5: ")


def test_classify_line_that_is_not_utf8_or_too_long_is_a_per_line_error(db_path: Path) -> None:
    from crawler.cli.rules import _input_lines

    lines = list(_input_lines(io.BytesIO(b"short\n" + b"x" * 100 + b"\nend\n"), limit=50))
    assert lines == [(1, b"short\n"), (2, None), (3, b"end\n")]  # the long one skipped, not held
    done = subprocess.run(
        [sys.executable, "-m", "crawler", "classify"],
        input=b'\xff\xfe{"id": 1, "text": "x"}\n{"id": 2, "text": "x"}\n',
        capture_output=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
        check=False,
    )
    assert done.returncode == 1
    assert [json.loads(line)["id"] for line in done.stdout.splitlines()] == [2]
    assert done.stderr.decode().splitlines()[0] == "crawler: line 1: not UTF-8 text (byte 1)"
