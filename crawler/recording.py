"""``crawler snapshot record``: a crawl pass that writes every answer it got as a snapshot folder.

The capture is a downloader middleware (``RecordingMiddleware``), enabled only by ``record()``. It sits
above Scrapy's redirect middleware, so it sees each hop of a redirect (a 3xx becomes a route with
``status`` and ``redirect``; the target, fetched next, becomes its own route) and robots.txt (fetched
through the same chain). Bodies are stored decoded (gzip, deflate, br), without cookies: no request
header and no response header but a short list of harmless ones is ever written. The pass itself is
the normal one — spiders, settings, robots.txt — into a throw-away database.

The folder has the format of ``crawler/snapshot/`` (see its README): ``<outlet>/routes.yml`` and the
bodies under ``<outlet>/<host>/<path>``, plus ``snapshot.yml`` with ``recorded_at``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import logging
import re
import shutil
import tempfile
import zlib
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from urllib.parse import unquote, urlsplit

import yaml
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from crawler.errors import ReplayError
from crawler.replay import SNAPSHOT_DIR, load_snapshot_meta, route_key

logger = logging.getLogger(__name__)

META_FILE = "snapshot.yml"
# Response headers worth replaying besides Content-Type (which becomes `type`). Never Set-Cookie.
KEPT_HEADERS = ("Last-Modified", "ETag", "Retry-After", "Link", "X-Robots-Tag", "Content-Language")
EXTENSIONS = (
    ("html", ".html"),
    ("rss", ".xml"),
    ("atom", ".xml"),
    ("xml", ".xml"),
    ("json", ".json"),
    ("text/plain", ".txt"),
)
MIDDLEWARE = "crawler.recording.RecordingMiddleware"
MIDDLEWARE_ORDER = 650  # above RedirectMiddleware (600): sees every 3xx before it is followed


@dataclass
class OutletRecord:
    """What one outlet's crawl wrote: routes by route key, in fetch order."""

    name: str
    folder: Path
    routes: dict[str, dict[str, Any]] = field(default_factory=dict)
    files: dict[str, str] = field(default_factory=dict)  # sha256 of a body -> its file
    requests: int = 0
    refused: int = 0  # requests not made: --max-pages or the total size cap reached
    unanswered: list[str] = field(default_factory=list)  # timeouts, refused connections, too big

    @property
    def redirects(self) -> int:
        return sum(1 for route in self.routes.values() if "redirect" in route)


@dataclass
class Recording:
    """The shared state of one ``record()`` call: every outlet's crawler writes into it."""

    folder: Path
    max_pages: int
    page_bytes: int
    total_bytes: int
    used_bytes: int = 0
    full: bool = False
    outlets: dict[str, OutletRecord] = field(default_factory=dict)


# The recording in progress in this process, by folder. Each outlet is its own Scrapy crawler with its
# own middleware instance; the total size cap is shared between them.
_ACTIVE: dict[str, Recording] = {}


class RecordingMiddleware:
    """Writes each answer the crawler gets (status, content type, redirect, decoded body) as a route."""

    def __init__(self, crawler: Crawler, recording: Recording) -> None:
        self.crawler = crawler
        self.recording = recording
        self.outlet: OutletRecord | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RecordingMiddleware:
        folder = crawler.settings.get("CRAWLER_RECORD_DIR")
        if not folder or folder not in _ACTIVE:
            raise NotConfigured("not inside `crawler snapshot record`")
        middleware = cls(crawler, _ACTIVE[folder])
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    def spider_opened(self, spider: Any) -> None:
        folder = self.recording.folder / spider.name
        folder.mkdir(parents=True, exist_ok=True)
        self.outlet = self.recording.outlets.setdefault(spider.name, OutletRecord(spider.name, folder))

    def spider_closed(self, spider: Any) -> None:
        if self.outlet is not None:
            write_routes(self.outlet)

    def process_request(self, request: Request) -> None:
        outlet = self.outlet
        if outlet is None or _is_robots(request.url):  # robots.txt is always fetched: it says what we may
            return
        limit = self.recording.max_pages
        if self.recording.full or (limit and outlet.requests >= limit):
            outlet.refused += 1
            reason = "total size cap" if self.recording.full else f"--max-pages {limit}"
            raise IgnoreRequest(f"recording: {reason} reached, not fetching {request.url}")
        outlet.requests += 1

    def process_response(self, request: Request, response: Response) -> Response:
        if self.outlet is not None and request.method == "GET":
            self._record(request.url, response)
        return response

    def process_exception(self, request: Request, exception: Exception) -> None:
        if self.outlet is not None and not isinstance(exception, IgnoreRequest):
            self.outlet.unanswered.append(f"{request.url}: {exception.__class__.__name__}")

    # --- writing ------------------------------------------------------------------------------------

    def _record(self, url: str, response: Response) -> None:
        outlet = self.outlet
        assert outlet is not None
        key = route_key(url)
        entry: dict[str, Any] = {"url": url}
        location = response.headers.get("Location")
        if 300 <= response.status < 400 and location:
            target = location.decode("latin-1")
            if route_key(response.urljoin(target)) == key:
                # http -> https or www -> bare: one route key in a snapshot; the target's answer stands for it
                return
            entry.update(status=response.status, redirect=target)
        else:
            if key in outlet.routes and "redirect" not in outlet.routes[key] and response.status >= 500:
                return  # a later 5xx (a retry's failed attempt) never replaces an answer already recorded
            content_type = response.headers.get("Content-Type")
            body, problem, oversize = self._body(response)
            if content_type:
                entry["type"] = content_type.decode("latin-1")
            if response.status != 200:
                entry["status"] = response.status
            if problem:
                entry["note"] = problem
                if oversize:
                    entry["pad_to"] = oversize  # the replay answers as many bytes: a size cap still bites
            elif body:
                entry["file"] = self._write(url, body, entry.get("type", ""))
        headers = {
            name: value.decode("latin-1") for name in KEPT_HEADERS if (value := response.headers.get(name)) is not None
        }
        if headers:
            entry["headers"] = headers
        outlet.routes[key] = entry

    def _body(self, response: Response) -> tuple[bytes, str | None, int]:
        """The body as a browser reads it; or why it is not kept, with its size when it is too big."""
        encodings = [
            part.strip().lower()
            for value in response.headers.getlist("Content-Encoding")
            for part in value.split(b",")
            if part.strip() and part.strip().lower() != b"identity"
        ]
        body = response.body
        cap = self.recording.page_bytes
        too_big = f"over the per-page recording cap of {cap} bytes: body not kept"
        for encoding in reversed(encodings):
            try:
                body = _decode(body, encoding, cap)
            except _TooBig:
                return b"", too_big, max(cap + 1, len(response.body))
            except (OSError, EOFError, ValueError, zlib.error) as exc:
                return b"", f"body not kept: cannot undo Content-Encoding {encoding.decode()} ({exc})", 0
        if len(body) > cap:
            return b"", too_big, len(body)
        if self.recording.used_bytes + len(body) > self.recording.total_bytes:
            if not self.recording.full:
                logger.warning("recording: total size cap of %d bytes reached; stopping", self.recording.total_bytes)
            self.recording.full = True
            return b"", "total recording size cap reached: body not kept", 0
        return body, None, 0

    def _write(self, url: str, body: bytes, content_type: str) -> str:
        outlet = self.outlet
        assert outlet is not None
        digest = hashlib.sha256(body).hexdigest()
        if digest in outlet.files:  # the same page under a second URL (short link, AMP twin): one file
            return outlet.files[digest]
        name = file_name(url, content_type)
        path = outlet.folder / name
        taken = set(outlet.files.values())
        if name in taken or path.exists() or any(parent.is_file() for parent in path.parents):
            digest_of_url = hashlib.sha1(url.encode()).hexdigest()[:12]
            name = f"{urlsplit(url).hostname or 'host'}/_{digest_of_url}{Path(name).suffix}"
            path = outlet.folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(body)
        self.recording.used_bytes += len(body)
        outlet.files[digest] = name
        return name


class _TooBig(Exception):
    pass


def _decode(body: bytes, encoding: bytes, cap: int) -> bytes:
    """One Content-Encoding undone, reading at most ``cap`` + 1 bytes (a gzip bomb stops there)."""
    if encoding in (b"gzip", b"x-gzip"):
        with gzip.GzipFile(fileobj=io.BytesIO(body)) as stream:
            data = stream.read(cap + 1)
    elif encoding == b"deflate":
        out = zlib.decompressobj()
        try:
            data = out.decompress(body, cap + 1)
        except zlib.error:
            out = zlib.decompressobj(-zlib.MAX_WBITS)  # raw deflate, as some servers send it
            data = out.decompress(body, cap + 1)
    elif encoding == b"br":
        import brotli  # scrapy only asks for br when it is installed

        data = brotli.decompress(body)
    else:
        raise ValueError("unsupported encoding")
    if len(data) > cap:
        raise _TooBig
    return data


def _is_robots(url: str) -> bool:
    return urlsplit(url).path == "/robots.txt"


def file_name(url: str, content_type: str) -> str:
    """``<host>/<path>[__<query>].<ext>`` — readable, safe on any file system, one per URL."""
    parts = urlsplit(url)
    extension = next((ext for word, ext in EXTENSIONS if word in content_type.lower()), "")
    path = unquote(parts.path).strip("/")
    segments = [_safe(segment) for segment in path.split("/") if segment] or ["index"]
    last = segments[-1]
    suffix = Path(last).suffix.lower()
    if not extension:
        extension = suffix if suffix in (".html", ".xml", ".json", ".txt") else ".bin"
    if suffix == extension:
        last = last[: -len(suffix)]
    if parts.query:
        last += "__" + _safe(unquote(parts.query))
    segments[-1] = _shorten(last) + extension
    return "/".join([_safe(parts.hostname or "host"), *segments])


def _safe(text: str) -> str:
    cleaned = re.sub(r"[^\w.=-]+", "_", text).strip("._") or "_"
    return _shorten(cleaned)


def _shorten(text: str, limit: int = 100) -> str:
    if len(text.encode()) <= limit:
        return text
    digest = hashlib.sha1(text.encode()).hexdigest()[:8]
    return text.encode()[: limit - 9].decode(errors="ignore") + "-" + digest


def write_routes(outlet: OutletRecord) -> None:
    """The outlet's routes.yml (sorted by host and path); files no route names any more are removed."""
    entries = sorted(outlet.routes.values(), key=lambda entry: route_key(entry["url"]))
    header = f"# Recorded by `crawler snapshot record` at {datetime.now(UTC).isoformat(timespec='seconds')}.\n"
    text = yaml.safe_dump(entries, allow_unicode=True, sort_keys=False, width=200)
    (outlet.folder / "routes.yml").write_text(header + text if entries else header + "[]\n", encoding="utf-8")
    used = {entry["file"] for entry in entries if entry.get("file")}
    for name in set(outlet.files.values()) - used:
        (outlet.folder / name).unlink(missing_ok=True)


# --- the command ------------------------------------------------------------------------------------


@dataclass
class RecordResult:
    folder: Path
    recorded_at: str
    outlets: dict[str, dict[str, Any]]
    full: bool

    @property
    def ok(self) -> bool:
        return all(row["routes"] for row in self.outlets.values())

    def as_json(self) -> dict[str, Any]:
        return {"folder": str(self.folder), "recorded_at": self.recorded_at, "full": self.full, "outlets": self.outlets}

    def text(self) -> str:
        header = f"{'outlet':<10} {'routes':>6} {'files':>5} {'MB':>6} {'redirects':>9} {'articles':>8}  notes"
        lines = [f"recorded into {self.folder} (recorded_at {self.recorded_at})", header, "-" * len(header)]
        for name, row in self.outlets.items():
            notes = []
            if row["refused"]:
                notes.append(f"{row['refused']} requests not made (cap)")
            if row["unanswered"]:
                notes.append(f"{len(row['unanswered'])} without an answer (not recorded)")
            if not row["routes"]:
                notes.append("NOTHING RECORDED")
            counts = f"{row['routes']:>6} {row['files']:>5} {row['bytes'] / 1e6:>6.2f} {row['redirects']:>9}"
            lines.append(f"{name:<10} {counts} {row['articles']:>8}  {'; '.join(notes)}")
        if self.full:
            lines.append("the total size cap was reached: the recording is incomplete")
        lines.append(f"next: crawler snapshot check {self.folder}")
        return "\n".join(lines)


def prepare_folder(folder: Path, *, force: bool) -> None:
    """An empty folder to record into (created if need be). ``force`` replaces an earlier recording
    there — only a snapshot (``snapshot.yml`` and ``<outlet>/routes.yml`` folders), never other files."""
    folder = folder.expanduser()
    if folder.resolve() == SNAPSHOT_DIR.resolve():
        raise ReplayError(f"{folder} is the bundled snapshot: record somewhere else")
    if folder.exists() and not folder.is_dir():
        raise ReplayError(f"cannot record into {folder}: it is a file, not a folder")
    try:
        folder.mkdir(parents=True, exist_ok=True)
        contents = sorted(folder.iterdir())
    except OSError as exc:
        raise ReplayError(f"cannot record into {folder}: {exc.strerror or exc}") from None
    if contents:
        names = ", ".join(path.name for path in contents[:3]) + (", …" if len(contents) > 3 else "")
        if not force:
            raise ReplayError(f"{folder} is not empty ({names}); use --force to replace a recording there")
        foreign = [p.name for p in contents if not (p.name == META_FILE or (p / "routes.yml").is_file())]
        if foreign:
            raise ReplayError(f"{folder} holds more than a recording ({', '.join(foreign[:3])}); not deleting it")
        for path in contents:
            shutil.rmtree(path) if path.is_dir() else path.unlink()
    probe = folder / ".write-test"
    try:
        probe.write_bytes(b"")
        probe.unlink()
    except OSError as exc:
        raise ReplayError(f"cannot record into {folder}: {exc.strerror or exc}") from None


def recorded_at(snapshot: Path) -> str | None:
    """The moment a snapshot stands for (``recorded_at`` in its ``snapshot.yml``), if it says."""
    if not (snapshot / META_FILE).is_file():
        return None
    return str(load_snapshot_meta(snapshot)["recorded_at"].isoformat())


def record(
    folder: str | Path,
    *,
    outlets: list[str] | None = None,
    max_pages: int = 0,
    page_bytes: int,
    total_bytes: int,
    force: bool = False,
    source: str | Path | None = None,
    replay: bool = False,
    progress: bool = True,
) -> RecordResult:
    """One crawl pass (live, or of a snapshot when ``replay``) written to ``folder`` as a snapshot."""
    from crawler import settings as project
    from crawler.outlets import select_outlets
    from crawler.replay import resolve_snapshot
    from crawler.run import run_pass

    selected = select_outlets(outlets)
    if max_pages < 0:
        raise ReplayError("--max-pages must be 0 (no cap) or more")
    source_dir = resolve_snapshot(source) if replay else None
    target = Path(folder).expanduser()
    prepare_folder(target, force=force)
    target = target.resolve()
    moment = (recorded_at(source_dir) if source_dir else None) or datetime.now(UTC).isoformat(timespec="seconds")
    recording = Recording(folder=target, max_pages=max_pages, page_bytes=page_bytes, total_bytes=total_bytes)
    _ACTIVE[str(target)] = recording
    overrides = {
        "DOWNLOADER_MIDDLEWARES": {**project.DOWNLOADER_MIDDLEWARES, MIDDLEWARE: MIDDLEWARE_ORDER},
        "CRAWLER_RECORD_DIR": str(target),
        "COOKIES_ENABLED": False,  # never a cookie in a recording, whatever the settings say
    }
    try:
        with tempfile.TemporaryDirectory(prefix="crawler-record-") as scratch:
            result = run_pass(
                str(Path(scratch) / "record.db"),  # never the real database
                outlets=selected,
                replay=replay,
                snapshot=source_dir,
                progress=progress,
                overrides=overrides,
            )
    finally:
        _ACTIVE.pop(str(target), None)
    comment = "# Written by `crawler snapshot record`" + (f" from the snapshot {source_dir}" if source_dir else "")
    (target / META_FILE).write_text(f"{comment}\nrecorded_at: '{moment}'\n", encoding="utf-8")
    rows: dict[str, dict[str, Any]] = {}
    for name in selected:
        outlet = recording.outlets.get(name) or OutletRecord(name, target / name)
        if not (outlet.folder / "routes.yml").exists():  # the spider never opened
            outlet.folder.mkdir(parents=True, exist_ok=True)
            write_routes(outlet)
        used = {route["file"] for route in outlet.routes.values() if route.get("file")}
        rows[name] = {
            "routes": len(outlet.routes),
            "files": len(used),
            "bytes": sum((outlet.folder / f).stat().st_size for f in used),
            "redirects": outlet.redirects,
            "articles": result.outlets.get(name, {}).get("new_articles", 0),
            "refused": outlet.refused,
            "unanswered": outlet.unanswered,
        }
    return RecordResult(folder=target, recorded_at=moment, outlets=rows, full=recording.full)
