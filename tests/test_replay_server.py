import urllib.error
import urllib.request
from pathlib import Path

import pytest

from crawler.errors import ReplayError
from crawler.replay import SnapshotServer, load_routes, route_key


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


def test_the_bundled_snapshot_loads() -> None:
    routes = load_routes()
    assert any(key.startswith("vlast.kz/") for key in routes)
