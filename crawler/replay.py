"""Replay: serve the bundled offline snapshot on 127.0.0.1 and route the outlets' real hosts to it.

The server answers ``GET /<host><path>?<query>`` from each outlet's ``routes.yml``. The download
handler rewrites every request to that form and gives the response back under the real URL, so
robots.txt, redirects, the seen-store and the database all see the real addresses.
"""

from __future__ import annotations

import os
import sys
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import yaml
from scrapy import Request
from scrapy.core.downloader.handlers.http11 import HTTP11DownloadHandler
from scrapy.http import Response

from crawler.errors import ReplayError

SNAPSHOT_DIR = Path(__file__).parent / "snapshot"
SNAPSHOT_ENV = "CRAWLER_SNAPSHOT"  # the snapshot `--replay` serves when no `--snapshot DIR` is given
ROUTE_KEYS = {"url", "file", "status", "type", "delay", "redirect", "pad_to", "note", "headers"}
TYPES = {
    ".html": "text/html; charset=utf-8",
    ".xml": "application/xml; charset=utf-8",
    ".json": "application/json; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
}


@dataclass(frozen=True)
class Route:
    status: int
    body: bytes
    headers: tuple[tuple[str, str], ...]
    delay: float


def route_key(url: str) -> str:
    """``host/path?query`` — the scheme and ``www.`` never matter to the snapshot.

    A route URL ending in ``*`` keeps its ``*``: it is a prefix route (see ``find_route``).
    """
    parts = urlsplit(url)
    host = (parts.hostname or "").lower().removeprefix("www.")
    return f"{host}{parts.path or '/'}" + (f"?{parts.query}" if parts.query else "")


def find_route(routes: dict[str, Route], key: str) -> Route | None:
    """The exact route for ``key``, else the wildcard route with the longest matching prefix."""
    if key in routes:
        return routes[key]
    prefixes = [k for k in routes if k.endswith("*") and key.startswith(k[:-1])]
    return routes[max(prefixes, key=len)] if prefixes else None


def load_snapshot_meta(snapshot_dir: Path = SNAPSHOT_DIR) -> dict[str, Any]:
    """``snapshot.yml`` at the snapshot root: ``recorded_at`` (aware datetime), the moment the snapshot
    stands for — replay's "now" for freshness. Without the file (or the key) ``recorded_at`` is now."""
    path = snapshot_dir / "snapshot.yml"
    meta: dict[str, Any] = {}
    if path.is_file():
        try:
            loaded = yaml.safe_load(path.read_text(encoding="utf-8"))
        except yaml.YAMLError as exc:
            raise ReplayError(f"{path}: not valid YAML ({exc.__class__.__name__})") from exc
        if loaded is not None and not isinstance(loaded, dict):
            raise ReplayError(f"{path}: needs a mapping such as 'recorded_at: 2025-11-20T08:00:00+05:00'")
        meta = dict(loaded or {})
    value = meta.get("recorded_at")
    if value is None:
        meta["recorded_at"] = datetime.now(UTC)
        return meta
    try:
        recorded = value if isinstance(value, datetime) else datetime.fromisoformat(str(value))
    except ValueError as exc:
        raise ReplayError(f"{path}: recorded_at {value!r} is not an ISO date-time") from exc
    if recorded.tzinfo is None:
        raise ReplayError(f"{path}: recorded_at {value} needs a UTC offset, e.g. +05:00")
    meta["recorded_at"] = recorded
    return meta


def load_routes(snapshot_dir: Path = SNAPSHOT_DIR) -> dict[str, Route]:
    """Read every outlet's routes.yml into one table; a malformed entry is a ReplayError naming it."""
    routes: dict[str, Route] = {}
    files = sorted(snapshot_dir.glob("*/routes.yml"))
    if not files:
        raise ReplayError(f"no snapshot found under {snapshot_dir}")
    for routes_file in files:
        entries = yaml.safe_load(routes_file.read_text(encoding="utf-8")) or []
        for number, entry in enumerate(entries, 1):
            where = f"{routes_file} entry {number}"
            if not isinstance(entry, dict) or "url" not in entry:
                raise ReplayError(f"{where}: needs a 'url'")
            unknown = set(entry) - ROUTE_KEYS
            if unknown:
                raise ReplayError(f"{where}: unknown keys {', '.join(sorted(unknown))}")
            routes[route_key(entry["url"])] = _route(routes_file.parent, entry, where)
    return routes


def _route(folder: Path, entry: dict[str, Any], where: str) -> Route:
    body = b""
    if entry.get("file"):
        path = folder / entry["file"]
        if not path.is_file():
            raise ReplayError(f"{where}: file {entry['file']} is missing")
        body = path.read_bytes()
    if entry.get("pad_to"):
        padding = int(entry["pad_to"]) - len(body) - 7
        body += b"<!--" + b"x" * max(padding, 0) + b"-->"
    headers: list[tuple[str, str]] = []
    if entry.get("type"):
        headers.append(("Content-Type", entry["type"]))
    elif entry.get("file"):
        headers.append(("Content-Type", TYPES.get(Path(entry["file"]).suffix, "application/octet-stream")))
    status = int(entry.get("status", 301 if entry.get("redirect") else 200))
    if entry.get("redirect"):
        headers.append(("Location", entry["redirect"]))
    headers.extend((str(k), str(v)) for k, v in (entry.get("headers") or {}).items())
    return Route(status=status, body=body, headers=tuple(headers), delay=float(entry.get("delay", 0)))


def resolve_snapshot(option: str | Path | None = None, environ: dict[str, str] | None = None) -> Path:
    """The snapshot a replay serves: ``--snapshot DIR``, else ``$CRAWLER_SNAPSHOT``, else the bundled one.

    Checked before anything starts: a missing folder, one without ``<outlet>/routes.yml`` or a
    ``routes.yml`` that is not YAML is a ReplayError naming it (the entries themselves are checked by
    ``load_routes`` when the server starts)."""
    environ = dict(os.environ) if environ is None else environ
    if environ.get("CRAWLER_SNAPSHOT_DIR"):
        raise ReplayError(f"environment CRAWLER_SNAPSHOT_DIR is no longer read: set {SNAPSHOT_ENV} (or --snapshot DIR)")
    chosen = option or environ.get(SNAPSHOT_ENV) or None
    if chosen is None:
        return SNAPSHOT_DIR
    where = "--snapshot" if option else SNAPSHOT_ENV
    path = Path(chosen).expanduser()
    if not path.is_dir():
        raise ReplayError(f"{where}: snapshot folder {path} does not exist")
    files = sorted(path.glob("*/routes.yml"))
    if not files:
        raise ReplayError(f"{where}: {path} is not a snapshot (no <outlet>/routes.yml in it)")
    for routes_file in files:
        try:
            entries = yaml.safe_load(routes_file.read_text(encoding="utf-8"))
        except (OSError, UnicodeDecodeError) as exc:
            raise ReplayError(f"{routes_file}: cannot read it ({exc})") from None
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            line = f" line {mark.line + 1}" if mark else ""
            raise ReplayError(f"{routes_file}{line}: not valid YAML ({getattr(exc, 'problem', exc)})") from None
        if entries is not None and not isinstance(entries, list):
            raise ReplayError(f"{routes_file}: must be a YAML list of routes, not a {type(entries).__name__}")
    load_snapshot_meta(path)  # a malformed snapshot.yml, too, is one line before anything starts
    return path


class _Server(ThreadingHTTPServer):
    def handle_error(self, request: Any, client_address: Any) -> None:
        if isinstance(sys.exc_info()[1], ConnectionError):  # a client that hung up (a stopped crawl): expected
            return
        super().handle_error(request, client_address)


class SnapshotServer:
    """The snapshot on a loopback port, in a background thread. Use as a context manager."""

    def __init__(self, snapshot_dir: Path = SNAPSHOT_DIR, host: str = "127.0.0.1", port: int = 0) -> None:
        self.routes = load_routes(snapshot_dir)
        self.recorded_at = load_snapshot_meta(snapshot_dir)["recorded_at"].isoformat()
        self.hits: dict[str, int] = {}
        handler = _make_handler(self)
        self.httpd = _Server((host, port), handler)
        self.httpd.daemon_threads = True  # a deliberately slow answer must not hold up shutdown
        self._thread = threading.Thread(target=self.httpd.serve_forever, name="snapshot-server", daemon=True)

    @property
    def address(self) -> str:
        host, port = self.httpd.server_address[:2]
        return f"{host}:{port}"

    def start(self) -> SnapshotServer:
        self._thread.start()
        return self

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> SnapshotServer:
        return self.start()

    def __exit__(self, *exc: object) -> None:
        self.stop()


def _make_handler(server: SnapshotServer) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            key = self.path.lstrip("/")
            server.hits[key] = server.hits.get(key, 0) + 1
            route = find_route(server.routes, key)
            if route is None:
                route = Route(
                    404,
                    b"<html><body><h1>404 Not Found</h1></body></html>",
                    (("Content-Type", "text/html"),),
                    0,
                )
            if route.delay:
                time.sleep(route.delay)
            try:
                self.send_response(route.status)
                for name, value in route.headers:
                    self.send_header(name, value)
                self.send_header("Content-Length", str(len(route.body)))
                self.end_headers()
                self.wfile.write(route.body)
            except (BrokenPipeError, ConnectionResetError):  # the client gave up (timeout): expected
                pass

        def log_message(self, format: str, *args: Any) -> None:  # quiet: the crawl logs what matters
            pass

    return Handler


class ReplayDownloadHandler(HTTP11DownloadHandler):
    """Scrapy download handler for http/https that sends every request to the snapshot server."""

    def __init__(self, crawler: Any) -> None:
        super().__init__(crawler)
        self.address = crawler.settings.get("CRAWLER_REPLAY_ADDRESS")
        if not self.address:
            raise ReplayError("replay download handler enabled without CRAWLER_REPLAY_ADDRESS")

    async def download_request(self, request: Request) -> Response:
        local = request.replace(url=f"http://{self.address}/{route_key(request.url)}")
        response = await super().download_request(local)
        return response.replace(url=request.url)
