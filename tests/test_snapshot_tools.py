"""`crawler snapshot record` / `check` and `--snapshot DIR`: recorded from the replay server itself
(no network), replayed back, and the same articles come out with the same fields."""

from __future__ import annotations

import gzip
import json
import os
import shutil
import sqlite3
from pathlib import Path
from typing import Any

import pytest
import yaml

from crawler import snapshot_check
from crawler.errors import ReplayError
from crawler.recording import recorded_at
from crawler.replay import SNAPSHOT_DIR, resolve_snapshot
from tests.conftest import run_crawler as crawler

FIELDS = ("title", "author", "published", "text", "lang")


def articles(db: Path, outlet: str | None = None) -> dict[str, dict[str, Any]]:
    conn = sqlite3.connect(db)
    conn.row_factory = sqlite3.Row
    try:
        sql = "SELECT * FROM articles" + (" WHERE outlet = ?" if outlet else "")
        return {row["key"]: dict(row) for row in conn.execute(sql, [outlet] if outlet else [])}
    finally:
        conn.close()


def runs(db: Path) -> int:
    if not db.exists():
        return 0
    conn = sqlite3.connect(db)
    try:
        return int(conn.execute("SELECT count(*) FROM runs").fetchone()[0])
    except sqlite3.OperationalError:  # no schema yet: nothing was ever written
        return 0
    finally:
        conn.close()


def routes(folder: Path, outlet: str) -> list[dict[str, Any]]:
    return yaml.safe_load((folder / outlet / "routes.yml").read_text(encoding="utf-8"))


def copy_outlet(folder: Path, outlet: str = "bureau") -> None:
    """One outlet of the bundled snapshot, with the snapshot's own ``snapshot.yml`` when it has one."""
    shutil.copytree(SNAPSHOT_DIR / outlet, folder / outlet)
    if (SNAPSHOT_DIR / "snapshot.yml").is_file():
        shutil.copy(SNAPSHOT_DIR / "snapshot.yml", folder / "snapshot.yml")


def one_line_error(result: Any, *words: str) -> None:
    assert result.returncode == 2, (result.returncode, result.stdout[-500:], result.stderr[-2000:])
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.startswith("crawler: error:")]
    assert len(lines) == 1, result.stderr
    for word in words:
        assert word in lines[0], lines[0]


class Called:
    """``crawler.cli.main`` in this process, shaped like a CompletedProcess: for the mistakes caught
    before any crawl starts (the reactor never runs, so no child process is needed)."""

    def __init__(self, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> None:
        self.capsys = capsys
        self.monkeypatch = monkeypatch

    def __call__(self, db: Path, *args: str, **env: str) -> Any:
        from types import SimpleNamespace

        from crawler.cli import main

        self.capsys.readouterr()
        with self.monkeypatch.context() as patch:
            for name in ("CRAWLER_SNAPSHOT", "CRAWLER_SNAPSHOT_DIR", "CRAWLER_CONFIG", "CRAWLER_DB"):
                patch.delenv(name, raising=False)
            for name, value in env.items():
                patch.setenv(name, value)
            code = main(["--db", str(db), *args])
        out, err = self.capsys.readouterr()
        return SimpleNamespace(returncode=code, stdout=out, stderr=err)


@pytest.fixture
def call(capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch) -> Called:
    return Called(capsys, monkeypatch)


# --- the round trip over the whole bundled snapshot -------------------------------------------------


@pytest.fixture(scope="module")
def round_trip(tmp_path_factory: pytest.TempPathFactory) -> dict[str, Any]:
    root = tmp_path_factory.mktemp("roundtrip")
    recording = root / "recording"
    made = crawler(root / "unused.db", "snapshot", "record", str(recording), "--replay", "--json")
    assert made.returncode == 0, made.stderr[-3000:]
    original = crawler(root / "original.db", "run", "--replay", "--json")
    assert original.returncode == 0, original.stderr[-3000:]
    replayed = crawler(root / "replayed.db", "run", "--snapshot", str(recording), "--json")  # implies --replay
    assert replayed.returncode == 0, replayed.stderr[-3000:]
    return {
        "recording": recording,
        "summary": json.loads(made.stdout),
        "original": articles(root / "original.db"),
        "replayed": articles(root / "replayed.db"),
        "unused": root / "unused.db",
    }


@pytest.mark.slow
def test_a_recording_of_the_snapshot_replays_to_the_same_articles_and_fields(round_trip: dict[str, Any]) -> None:
    original, replayed = round_trip["original"], round_trip["replayed"]
    assert len(original) >= 50
    assert sorted(replayed) == sorted(original)
    for key, row in original.items():
        for name in FIELDS:
            assert replayed[key][name] == row[name], (key, name)
        assert replayed[key]["url"] == row["url"]
        assert replayed[key]["outlet"] == row["outlet"]


@pytest.mark.slow
def test_the_recording_is_a_snapshot_folder_of_every_outlet(round_trip: dict[str, Any]) -> None:
    recording: Path = round_trip["recording"]
    assert sorted(p.name for p in recording.iterdir()) == [
        "azattyq",
        "bureau",
        "orda",
        "snapshot.yml",
        "ulysmedia",
        "vlast",
    ]
    assert "recorded_at" in yaml.safe_load((recording / "snapshot.yml").read_text(encoding="utf-8"))
    for outlet in ("azattyq", "bureau", "orda", "ulysmedia", "vlast"):
        entries = routes(recording, outlet)
        urls = [entry["url"] for entry in entries]
        assert any(url.endswith("/robots.txt") for url in urls), outlet  # robots.txt is recorded too
        for entry in entries:
            assert set(entry) <= {"url", "file", "status", "type", "redirect", "headers", "note", "pad_to"}
            if entry.get("file"):
                assert (recording / outlet / entry["file"]).is_file()
        assert round_trip["summary"]["outlets"][outlet]["routes"] == len(entries)
    vlast = {entry["url"]: entry for entry in routes(recording, "vlast")}
    assert vlast["https://vlast.kz/rss"]["status"] == 404  # an error answer is recorded with its status
    bureau = {entry["url"]: entry for entry in routes(recording, "bureau")}
    kokshetau = bureau["https://bureau.kz/novosti/monitoring-ivs-kokshetau/"]
    assert kokshetau["type"] == "text/html"  # the content type exactly as sent (no charset)
    assert (recording / "bureau" / kokshetau["file"]).read_bytes() == (
        SNAPSHOT_DIR / "bureau" / "articles/41890.html"
    ).read_bytes()  # windows-1251 bytes kept as they came
    assert not round_trip["unused"].exists()  # the recording pass never touches --db


@pytest.mark.slow
def test_check_shows_each_article_per_outlet(round_trip: dict[str, Any], tmp_path: Path) -> None:
    result = crawler(tmp_path / "unused.db", "snapshot", "check", str(round_trip["recording"]), "--json")
    assert result.returncode == 0, result.stderr[-2000:]
    report = json.loads(result.stdout)
    assert sorted(report) == ["azattyq", "bureau", "orda", "ulysmedia", "vlast"]
    by_url = {row["url"]: row for row in round_trip["original"].values()}
    for outlet, block in report.items():
        assert block["stored"] >= 9, outlet
        for article in block["articles"]:
            row = by_url[article["url"]]
            assert (article["title"], article["published"], article["author"]) == (
                row["title"],
                row["published"],
                row["author"],
            )
            assert article["chars"] == len(row["text"])
    audio = next(a for a in report["azattyq"]["articles"] if a["skip_reason"])
    assert audio["url"].endswith("/33592500.html")
    flagged = [(a["url"], a["problems"]) for block in report.values() for a in block["articles"] if a["problems"]]
    assert flagged == [("https://orda.kz/obnovlenie-408990/", ["skipped: no text"])]  # the snapshot's empty page
    assert any(f["url"].endswith("62150-zhiteli-karagandy-pozhalovalis-na-otsutstvie-otoplenija/")
               for f in report["ulysmedia"]["failures"])  # fmt: skip

    checks = [
        snapshot_check.OutletCheck(
            outlet,
            block["finish_reason"],
            [snapshot_check.CheckedArticle(**article) for article in block["articles"]],
            block["failures"],
        )
        for outlet, block in report.items()
    ]
    people = snapshot_check.text(checks)  # what a person reads without --json
    assert f"== bureau: {report['bureau']['stored']} articles stored, 0 flagged, 0 failed (finished)" in people
    assert "  skipped (no text): https://orda.kz/obnovlenie-408990/\n    ! skipped: no text" in people
    assert f"  skipped (media page): {audio['url']}" in people
    podslushannye = next(a for a in report["bureau"]["articles"] if "podslushannye" in a["url"])
    assert f"    «{podslushannye['first_line']}»" in people
    assert not (tmp_path / "unused.db").exists()


# --- redirects, cookies, compression, caps: a doctored copy of one outlet ----------------------------


@pytest.fixture
def doctored(tmp_path: Path) -> Path:
    """bureau's snapshot with a redirected feed, cookies, a gzip-encoded sitemap index and a recorded_at."""
    source = tmp_path / "source"
    copy_outlet(source)
    entries = routes(source, "bureau")
    feed = next(entry for entry in entries if entry["url"] == "https://bureau.kz/feed/")
    feed_file = feed.pop("file")
    feed.update(redirect="https://bureau.kz/feed/rss2/", status=301, headers={"Set-Cookie": "session=secret1"})
    entries.append({"url": "https://bureau.kz/feed/rss2/", "file": feed_file, "headers": {"Set-Cookie": "a=secret2"}})
    index = next(entry for entry in entries if entry["url"] == "https://bureau.kz/sitemap_index.xml")
    gz = source / "bureau" / "sitemaps" / "sitemap_index.xml.gz"
    gz.write_bytes(gzip.compress((source / "bureau" / index["file"]).read_bytes()))
    index.update(file="sitemaps/sitemap_index.xml.gz", type="application/xml; charset=utf-8")
    index["headers"] = {"Content-Encoding": "gzip", "Last-Modified": "Sat, 15 Nov 2025 10:00:00 GMT"}
    (source / "bureau" / "routes.yml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    if not (source / "snapshot.yml").exists():
        (source / "snapshot.yml").write_text("recorded_at: '2025-11-15T12:00:00+05:00'\n", encoding="utf-8")
    return source


@pytest.mark.slow
def test_redirects_cookies_and_compression_are_recorded_as_the_site_meant_them(
    doctored: Path, tmp_path: Path, round_trip: dict[str, Any]
) -> None:
    recording = tmp_path / "rec"
    made = crawler(
        tmp_path / "x.db", "snapshot", "record", str(recording), "--snapshot", str(doctored), "--outlet", "bureau"
    )
    assert made.returncode == 0, made.stderr[-3000:]
    entries = {entry["url"]: entry for entry in routes(recording, "bureau")}
    assert entries["https://bureau.kz/feed/"] == {
        "url": "https://bureau.kz/feed/",
        "status": 301,
        "redirect": "https://bureau.kz/feed/rss2/",
    }
    target = entries["https://bureau.kz/feed/rss2/"]
    assert (recording / "bureau" / target["file"]).read_bytes() == (SNAPSHOT_DIR / "bureau/feeds/feed.xml").read_bytes()
    index = entries["https://bureau.kz/sitemap_index.xml"]
    assert (recording / "bureau" / index["file"]).read_bytes() == (
        SNAPSHOT_DIR / "bureau/sitemaps/sitemap_index.xml"
    ).read_bytes()  # stored decoded ...
    assert index["headers"] == {"Last-Modified": "Sat, 15 Nov 2025 10:00:00 GMT"}  # ... without Content-Encoding
    listed = (recording / "bureau" / "routes.yml").read_text("utf-8").lower()
    assert "set-cookie" not in listed and "cookie:" not in listed  # no cookie header of either direction
    assert not [path for path in recording.rglob("*") if path.is_file() and b"secret" in path.read_bytes()]
    assert recorded_at(recording) == recorded_at(doctored) is not None  # a replay stands for its source's moment

    replay = crawler(tmp_path / "b.db", "run", "--replay", "--snapshot", str(recording), "--outlet", "bureau")
    assert replay.returncode == 0, replay.stderr[-2000:]
    # the doctoring changed how the feeds are served, not what they say: the bundled snapshot's articles
    original = {key: row for key, row in round_trip["original"].items() if row["outlet"] == "bureau"}
    replayed = articles(tmp_path / "b.db")
    assert len(original) >= 12 and sorted(replayed) == sorted(original)
    for key, row in original.items():
        assert {n: replayed[key][n] for n in FIELDS} == {n: row[n] for n in FIELDS}, key


@pytest.mark.slow
def test_max_pages_caps_each_outlet_and_force_replaces_a_recording(tmp_path: Path, call: Called) -> None:
    recording = tmp_path / "rec"
    args = ("snapshot", "record", str(recording), "--replay", "--outlet", "bureau", "--outlet", "ulysmedia")
    first = crawler(tmp_path / "x.db", *args, "--max-pages", "4", "--json")
    assert first.returncode == 0, first.stderr[-2000:]
    summary = json.loads(first.stdout)["outlets"]
    for outlet in ("bureau", "ulysmedia"):
        non_robots = [e for e in routes(recording, outlet) if not e["url"].endswith("/robots.txt")]
        assert len(non_robots) <= 4, outlet
        assert summary[outlet]["refused"] > 0
    one_line_error(call(tmp_path / "x.db", *args, "--max-pages", "4"), "not empty", "--force")
    forced = crawler(tmp_path / "x.db", *args[:-4], "--outlet", "bureau", "--force", "--json")
    assert forced.returncode == 0, forced.stderr[-2000:]
    assert sorted(p.name for p in recording.iterdir()) == ["bureau", "snapshot.yml"]
    assert len(routes(recording, "bureau")) > 5


@pytest.mark.slow
def test_the_size_caps_keep_big_bodies_out_and_stop_the_recording(tmp_path: Path) -> None:
    recording = tmp_path / "rec"
    args = ("snapshot", "record", str(recording), "--replay", "--outlet", "bureau", "--json")
    result = crawler(tmp_path / "x.db", *args, "--max-page-mb", "0.009", "--max-total-mb", "0.03")
    assert result.returncode == 0, result.stderr[-2000:]
    summary = json.loads(result.stdout)
    assert summary["full"] and summary["outlets"]["bureau"]["refused"] > 0
    entries = routes(recording, "bureau")
    big = [e for e in entries if "per-page recording cap" in e.get("note", "")]
    assert big and all(e["pad_to"] > 9000 and "file" not in e for e in big)  # e.g. the 15.9 kB article
    stored = [path for path in (recording / "bureau").rglob("*") if path.is_file() and path.name != "routes.yml"]
    assert 0 < sum(path.stat().st_size for path in stored) <= 30_000


# --- bad input: one line each, exit 2 ------------------------------------------------------------------


def test_record_refuses_a_folder_it_cannot_use(tmp_path: Path, call: Called) -> None:
    crawler = call
    blocker = tmp_path / "a-file"
    blocker.write_text("x")
    one_line_error(crawler(tmp_path / "x.db", "snapshot", "record", str(blocker / "rec"), "--replay"), "cannot record")
    one_line_error(crawler(tmp_path / "x.db", "snapshot", "record", str(blocker), "--replay"), "is a file")
    if os.geteuid() != 0:  # root may write anywhere: the file-in-the-way cases above stand for it there
        locked = tmp_path / "locked"
        locked.mkdir()
        locked.chmod(0o500)
        result = crawler(tmp_path / "x.db", "snapshot", "record", str(locked / "rec"), "--replay")
        one_line_error(result, "cannot record", "ermission denied")
    busy = tmp_path / "busy"
    busy.mkdir()
    (busy / "notes.txt").write_text("mine")
    one_line_error(crawler(tmp_path / "x.db", "snapshot", "record", str(busy), "--replay"), "not empty")
    one_line_error(crawler(tmp_path / "x.db", "snapshot", "record", str(busy), "--replay", "--force"), "notes.txt")
    assert (busy / "notes.txt").read_text() == "mine"
    bundled = crawler(tmp_path / "x.db", "snapshot", "record", str(SNAPSHOT_DIR), "--replay", "--force")
    one_line_error(bundled, "bundled snapshot")
    unknown = crawler(tmp_path / "x.db", "snapshot", "record", str(tmp_path / "new"), "--replay", "--outlet", "tengri")
    one_line_error(unknown, "unknown outlet tengri")
    negative = crawler(tmp_path / "x.db", "snapshot", "record", str(tmp_path / "new"), "--max-pages", "-1")
    one_line_error(negative, "--max-pages")


def broken_copy(tmp_path: Path, how: str) -> Path:
    folder = tmp_path / how
    copy_outlet(folder)
    routes_file = folder / "bureau" / "routes.yml"
    if how == "yaml":
        routes_file.write_text("- url: https://bureau.kz/feed/\n\tfile: feeds/feed.xml\n", encoding="utf-8")
    elif how == "no-url":
        routes_file.write_text("- file: feeds/feed.xml\n", encoding="utf-8")
    elif how == "missing-file":
        routes_file.write_text("- url: https://bureau.kz/feed/\n  file: feeds/gone.xml\n", encoding="utf-8")
    elif how == "not-a-list":
        routes_file.write_text("url: https://bureau.kz/feed/\n", encoding="utf-8")
    elif how == "unknown-outlet":
        shutil.copytree(folder / "bureau", folder / "tengri")
    return folder


@pytest.mark.parametrize(
    ("how", "words"),
    [
        ("yaml", ("routes.yml line 2", "not valid YAML")),
        ("no-url", ("entry 1", "needs a 'url'")),
        ("missing-file", ("feeds/gone.xml is missing",)),
        ("not-a-list", ("must be a YAML list",)),
        ("unknown-outlet", ("tengri: not an outlet",)),
    ],
)
def test_check_names_what_is_wrong_with_a_malformed_snapshot(
    tmp_path: Path, how: str, words: tuple[str, ...], call: Called
) -> None:
    result = call(tmp_path / "x.db", "snapshot", "check", str(broken_copy(tmp_path, how)))
    one_line_error(result, *words)


def test_check_and_replay_name_a_missing_or_empty_folder(tmp_path: Path, call: Called) -> None:
    crawler = call
    db = tmp_path / "x.db"
    one_line_error(crawler(db, "snapshot", "check", str(tmp_path / "nowhere")), "does not exist")
    (tmp_path / "empty").mkdir()
    one_line_error(crawler(db, "snapshot", "check", str(tmp_path / "empty")), "is not a snapshot")
    one_line_error(crawler(db, "run", "--replay", "--snapshot", str(tmp_path / "nowhere")), "--snapshot", "nowhere")
    one_line_error(crawler(db, "run", "--replay", CRAWLER_SNAPSHOT=str(tmp_path / "empty")), "CRAWLER_SNAPSHOT")
    one_line_error(crawler(db, "doctor", "--snapshot", str(tmp_path / "empty")), "is not a snapshot")
    one_line_error(crawler(db, "run", "--replay", CRAWLER_SNAPSHOT_DIR=str(SNAPSHOT_DIR)), "CRAWLER_SNAPSHOT_DIR")
    assert runs(db) == 0  # a bad snapshot stops the pass before it is recorded as a run


def test_check_exits_1_when_an_outlet_stores_nothing(tmp_path: Path) -> None:
    folder = tmp_path / "bare"
    (folder / "bureau").mkdir(parents=True)
    shutil.copy(SNAPSHOT_DIR / "bureau" / "robots.txt", folder / "bureau" / "robots.txt")
    (folder / "bureau" / "routes.yml").write_text("- url: https://bureau.kz/robots.txt\n  file: robots.txt\n", "utf-8")
    result = crawler(tmp_path / "x.db", "snapshot", "check", str(folder))
    assert result.returncode == 1, result.stderr[-2000:]
    assert "bureau STORED NOTHING" in result.stdout


def test_the_snapshot_is_the_option_then_the_environment_then_the_bundled_one(tmp_path: Path) -> None:
    copy_outlet(tmp_path / "a")
    copy_outlet(tmp_path / "b")
    env = {"CRAWLER_SNAPSHOT": str(tmp_path / "b")}
    assert resolve_snapshot(str(tmp_path / "a"), env) == tmp_path / "a"
    assert resolve_snapshot(None, env) == tmp_path / "b"
    assert resolve_snapshot(None, {}) == SNAPSHOT_DIR
    with pytest.raises(ReplayError, match=r"CRAWLER_SNAPSHOT: snapshot folder .* does not exist"):
        resolve_snapshot(None, {"CRAWLER_SNAPSHOT": str(tmp_path / "c")})


@pytest.mark.slow
def test_doctor_probes_the_named_snapshot(tmp_path: Path) -> None:
    folder = tmp_path / "snap"
    copy_outlet(folder)
    entries = [e for e in routes(folder, "bureau") if e["url"] != "https://bureau.kz/feed/"]
    (folder / "bureau" / "routes.yml").write_text(yaml.safe_dump(entries, allow_unicode=True), encoding="utf-8")
    assert any(e["url"] == "https://bureau.kz/feed/" for e in routes(SNAPSHOT_DIR, "bureau"))  # 200 when bundled
    for args, env in ((("--snapshot", str(folder)), {}), ((), {"CRAWLER_SNAPSHOT": str(folder)})):
        result = crawler(tmp_path / "x.db", "doctor", "--replay", "--outlet", "bureau", "--json", *args, **env)
        assert result.returncode == 0, result.stderr[-2000:]
        rows = [json.loads(line) for line in result.stdout.splitlines()]
        assert next(row for row in rows if row["url"] == "https://bureau.kz/feed/")["status"] == 404, (args, env)
