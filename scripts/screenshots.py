"""Take the review page's screenshots in docs/screenshots/ from a real crawl of the offline snapshot.

    .venv/bin/python scripts/screenshots.py [--out docs/screenshots]

Crawls the bundled snapshot into a temporary database (``crawler run --replay``, twice, so the health
page has a history), creates a monitor account, approves a few of the sample bulletin's articles,
serves the review app on 127.0.0.1 (a free port) in a thread and photographs the queue, an article
with its highlighted matches, the next bulletin, a search, the health page and the queue at a phone's
width in headless Chromium
(Debian's /usr/bin/chromium, driven by Playwright). Not a test: nothing is asserted beyond "it ran".
"""

from __future__ import annotations

import argparse
import logging
import subprocess
import sys
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from werkzeug.serving import make_server

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from crawler.store import decisions, open_db, users  # noqa: E402 (the repo root must be importable first)
from crawler.web import create_app  # noqa: E402  # same: after the sys.path line
from crawler.web.rubrics import load as load_rubrics  # noqa: E402  # same

CHROMIUM = "/usr/bin/chromium"
CHROMIUM_ARGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
VIEWPORT = {"width": 1366, "height": 768}
PHONE = {"width": 390, "height": 844}
USER, PASSWORD = "monitor", "screenshots only"
# Sample-bulletin articles approved before the pictures are taken (under their suggested rubric).
APPROVE = (
    "https://rus.azattyq.org/a/blogera-i-zhurnalista-mirbolata-myrzatayuly-prigovorili-k-chetyrem-godam-tyurmy/33591001.html",
    "https://bureau.kz/novosti/podslushannye-razgovory/",
    "https://vlast.kz/novosti/67168-mazilis-prinal-popravki-o-zaprete-propagandy-lgbt-v-kazahstane.html",
    "https://ulysmedia.kz/news/62088-izbili-do-smerti-i-ostavili-na-ulitse-mat-pogibshego-soldata-na-mitinge-v-astane/",
)
# The article page shows this one, still a candidate, with its matches highlighted.
ARTICLE = "https://orda.kz/omon-zaderzhal-materej-pogibshih-soldat-na-avtobusnoj-ostanovke-posle-ih-protesta-408930/"
SEARCH = "задержали"


def crawl(db_path: Path) -> None:
    """Two replay passes (the second finds nothing new, as on a quiet day); an outlet failing is fine."""
    for _ in range(2):
        result = subprocess.run(
            [sys.executable, "-m", "crawler", "--db", str(db_path), "run", "--replay"],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=False,
        )
        if result.returncode not in (0, 1):
            sys.exit(f"crawl failed ({result.returncode}):\n{result.stderr[-2000:]}")


def prepare(db_path: Path, rules_dir: str) -> int:
    """The account and the approvals; returns the id of the article to photograph."""
    db = open_db(db_path)
    try:
        users.add_user(db, USER, PASSWORD)
        rubrics = load_rubrics(rules_dir)
        for url in APPROVE:
            row = db.execute("SELECT id, status FROM articles WHERE url = ?", [url]).fetchone()
            if row is None:
                sys.exit(f"not in the snapshot crawl: {url}")
            decisions.approve(db, row[0], user=USER, expected=row[1], rubrics=rubrics)
        row = db.execute("SELECT id FROM articles WHERE url = ?", [ARTICLE]).fetchone()
        if row is None:
            sys.exit(f"not in the snapshot crawl: {ARTICLE}")
        return int(row[0])
    finally:
        db.close()


@contextmanager
def serve(db_path: Path, rules_dir: str) -> Iterator[str]:
    """The review app on 127.0.0.1 and a free port, in a background thread."""
    app = create_app(db_path, rules_dir=rules_dir)
    logging.getLogger("werkzeug").setLevel(logging.WARNING)  # no line per request
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def photograph(base: str, article_id: int, out: Path) -> list[Path]:
    from playwright.sync_api import sync_playwright

    out.mkdir(parents=True, exist_ok=True)
    shots = [
        ("queue.png", "/"),
        ("article.png", f"/article/{article_id}"),
        ("approved.png", "/approved"),
        ("search.png", f"/search?q={SEARCH}"),
        ("health.png", "/health"),
    ]
    taken = []
    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS, headless=True)
        try:
            page = browser.new_page(viewport=VIEWPORT, locale="ru-RU", timezone_id="Asia/Almaty")
            page.set_default_timeout(15_000)
            page.goto(base + "/login")
            page.fill("input[name=name]", USER)
            page.fill("input[name=password]", PASSWORD)
            with page.expect_navigation():
                page.click("button[type=submit]")
            for name, path in shots:
                page.goto(base + path)
                page.wait_for_load_state("networkidle")
                target = out / name
                page.screenshot(path=str(target), full_page=False)
                taken.append(target)
            page.set_viewport_size(PHONE)  # the queue as a phone shows it
            page.goto(base + "/")
            page.wait_for_load_state("networkidle")
            target = out / "queue-phone.png"
            page.screenshot(path=str(target), full_page=False)
            taken.append(target)
        finally:
            browser.close()
    return taken


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=ROOT / "docs" / "screenshots", help="folder for the PNG files")
    args = parser.parse_args()
    rules_dir = str(ROOT / "rules")
    with tempfile.TemporaryDirectory(prefix="screenshots-") as folder:
        db_path = Path(folder) / "crawler.db"
        crawl(db_path)
        article_id = prepare(db_path, rules_dir)
        with serve(db_path, rules_dir) as base:
            for path in photograph(base, article_id, args.out):
                print(f"{path} ({path.stat().st_size // 1024} KB)")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
