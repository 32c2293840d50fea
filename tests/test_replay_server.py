import urllib.error
import urllib.request
from datetime import UTC, datetime, timedelta, timezone
from pathlib import Path

import pytest

from crawler.errors import ReplayError
from crawler.replay import SnapshotServer, load_routes, load_snapshot_meta, route_key


def write_snapshot(root: Path, routes: str, files: dict[str, bytes]) -> Path:
    outlet = root / "demo"
    outlet.mkdir(parents=True)
    (outlet / "routes.yml").write_text(routes, encoding="utf-8")
    for name, body in files.items():
        (outlet / name).write_bytes(body)
    return root


def fetch(server: SnapshotServer, url: str) -> tuple[int, bytes, str]:
    try:
        with urllib.request.urlopen(f"http://{server.address}/{route_key(url)}", timeout=5) as response:
            return response.status, response.read(), response.headers.get("Content-Type", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.read(), exc.headers.get("Content-Type", "")


def test_routes_serve_files_statuses_and_padding(tmp_path: Path) -> None:
    root = write_snapshot(
        tmp_path,
        """
- url: https://example.kz/a.html?x=1
  file: a.html
- url: https://example.kz/gone
  status: 500
- url: https://example.kz/big
  file: a.html
  pad_to: 10000
- url: https://example.kz/cp
  file: a.html
  type: text/html
""",
        {"a.html": "<p>Привет</p>".encode()},
    )
    with SnapshotServer(root) as server:
        assert fetch(server, "https://www.example.kz/a.html?x=1") == (
            200,
            "<p>Привет</p>".encode(),
            "text/html; charset=utf-8",
        )
        assert fetch(server, "https://example.kz/gone")[0] == 500
        assert len(fetch(server, "https://example.kz/big")[1]) == 10000
        assert fetch(server, "https://example.kz/cp")[2] == "text/html"
        assert fetch(server, "https://example.kz/not-listed")[0] == 404


@pytest.mark.parametrize(
    ("routes", "message"),
    [
        ("- file: a.html\n", "needs a 'url'"),
        ("- url: https://x.kz/\n  fiel: a.html\n", "unknown keys fiel"),
        ("- url: https://x.kz/\n  file: missing.html\n", "file missing.html is missing"),
    ],
)
def test_a_malformed_route_names_its_entry(tmp_path: Path, routes: str, message: str) -> None:
    write_snapshot(tmp_path, routes, {"a.html": b""})
    with pytest.raises(ReplayError, match=message):
        load_routes(tmp_path)


def test_wildcard_routes_longest_prefix_wins_and_exact_routes_first(tmp_path: Path) -> None:
    root = write_snapshot(
        tmp_path,
        """
- url: https://old.example.kz/*
  redirect: https://new.example.kz/
- url: https://old.example.kz/a/*
  status: 410
- url: https://old.example.kz/a/kept.html
  redirect: https://new.example.kz/a/kept.html
- url: https://new.example.kz/
  file: a.html
""",
        {"a.html": b"<p>home</p>"},
    )
    routes = load_routes(root)
    with SnapshotServer(root) as server:
        opener = urllib.request.build_opener(NoRedirect)
        assert location(opener, server, "https://old.example.kz/robots.txt") == (301, "https://new.example.kz/")
        assert location(opener, server, "https://old.example.kz/api/z?x=1") == (301, "https://new.example.kz/")
        assert location(opener, server, "https://old.example.kz/a/kept.html") == (
            301,
            "https://new.example.kz/a/kept.html",
        )
        assert fetch(server, "https://old.example.kz/a/other.html")[0] == 410  # the longer prefix
        assert fetch(server, "https://new.example.kz/")[0] == 200
        assert fetch(server, "https://new.example.kz/elsewhere")[0] == 404  # no wildcard on that host
    assert "old.example.kz/*" in routes


class NoRedirect(urllib.request.HTTPRedirectHandler):
    def redirect_request(self, *args: object, **kwargs: object) -> None:
        return None


def location(opener: urllib.request.OpenerDirector, server: SnapshotServer, url: str) -> tuple[int, str]:
    try:
        with opener.open(f"http://{server.address}/{route_key(url)}", timeout=5) as response:
            return response.status, response.headers.get("Location", "")
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Location", "")


@pytest.mark.parametrize("status", [301, 302, 307, 308])
def test_redirects_to_loops_and_non_http_schemes_are_expressible(tmp_path: Path, status: int) -> None:
    root = write_snapshot(
        tmp_path,
        f"""
- url: https://example.kz/loop-a
  redirect: https://example.kz/loop-b
  status: {status}
- url: https://example.kz/loop-b
  redirect: https://example.kz/loop-a
  status: {status}
- url: https://example.kz/ftp
  redirect: ftp://files.example.kz/a.html
  status: {status}
- url: https://example.kz/js
  redirect: "javascript:alert(1)"
  status: {status}
""",
        {},
    )
    with SnapshotServer(root) as server:
        opener = urllib.request.build_opener(NoRedirect)
        assert location(opener, server, "https://example.kz/loop-a") == (status, "https://example.kz/loop-b")
        assert location(opener, server, "https://example.kz/loop-b") == (status, "https://example.kz/loop-a")
        assert location(opener, server, "https://example.kz/ftp") == (status, "ftp://files.example.kz/a.html")
        assert location(opener, server, "https://example.kz/js") == (status, "javascript:alert(1)")


def test_snapshot_meta_gives_recorded_at(tmp_path: Path) -> None:
    (tmp_path / "snapshot.yml").write_text("recorded_at: 2025-11-20T08:00:00+05:00\n", encoding="utf-8")
    recorded = load_snapshot_meta(tmp_path)["recorded_at"]
    assert recorded == datetime(2025, 11, 20, 8, 0, tzinfo=timezone(timedelta(hours=5)))
    assert recorded.utcoffset() == timedelta(hours=5)


def test_snapshot_meta_without_file_is_now(tmp_path: Path) -> None:
    recorded = load_snapshot_meta(tmp_path)["recorded_at"]
    assert recorded.tzinfo is not None
    assert abs(datetime.now(UTC) - recorded) < timedelta(minutes=5)


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("recorded_at: yesterday\n", "not an ISO date-time"),
        ("recorded_at: '2025-11-20T08:00:00'\n", "needs a UTC offset"),
        ("- recorded_at\n", "needs a mapping"),
        ("recorded_at: [\n", "not valid YAML"),
    ],
)
def test_bad_snapshot_meta_is_one_clear_error(tmp_path: Path, text: str, message: str) -> None:
    (tmp_path / "snapshot.yml").write_text(text, encoding="utf-8")
    with pytest.raises(ReplayError, match=message):
        load_snapshot_meta(tmp_path)


def test_the_bundled_snapshot_loads() -> None:
    routes = load_routes()
    assert any(key.startswith("vlast.kz/") for key in routes)
    assert any(key.endswith("*") for key in routes)  # rus.azattyq.org moved: one wildcard redirect
    assert load_snapshot_meta()["recorded_at"] == datetime(2025, 11, 20, 3, 0, tzinfo=UTC)
