"""`crawler outlet add` end to end, on three outlet snapshots no spider was written for
(tests/data/outlet_sites, built by scripts/build_outlet_sites.py): probe the replayed site, write
spiders/<name>.py into a copy of the spiders package, crawl the replay with it into a fresh database and
hold the result against the site's expected.yml. Nothing is ever written into the checkout's spiders/.
"""

from __future__ import annotations

import json
import os
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest
import yaml

from tests.conftest import LEAKY_ENV, ROOT

SITES = ROOT / "tests" / "data" / "outlet_sites"
HOMES = {
    "stepnoy": "https://stepnoy-vestnik.kz/",
    "irtysh": "https://irtysh-inform.kz/",
    "zhetysu": "https://zhetysu-today.kz/",
}
# Lines of page chrome the three sites carry (cookie banners, share and subscribe blocks, error notes)
CHROME = (
    "cookie",
    "Поделиться",
    "Подписывайтесь",
    "Telegram",
    "Ctrl+Enter",
    "Читайте также",
    "Комментари",
    "Фото:",
    "Просмотров",
    "Автор:",
    "Свидетельство",
    "Все права защищены",
)


def sandbox(tmp_path: Path) -> Path:
    """A folder whose ``spiders`` package is a copy of the checkout's: the written spider lands there."""
    shutil.copytree(ROOT / "spiders", tmp_path / "spiders", ignore=shutil.ignore_patterns("__pycache__"))
    return tmp_path


def crawler(where: Path, db: Path, *args: str, timeout: float = 240, **env: str) -> subprocess.CompletedProcess[str]:
    """``python -m crawler`` run from ``where``, so ``spiders`` is the sandbox's copy."""
    environ = {key: value for key, value in os.environ.items() if key not in LEAKY_ENV}
    environ.update(PYTHONPATH=f"{where}{os.pathsep}{ROOT}", CRAWLER_CONFIG="", **env)
    return subprocess.run(
        [sys.executable, "-m", "crawler", "--db", str(db), *args],
        capture_output=True,
        text=True,
        timeout=timeout,
        cwd=where,
        env=environ,
        check=False,
    )


def add(where: Path, site: str, *extra: str, snapshot: Path = SITES) -> subprocess.CompletedProcess[str]:
    return crawler(
        where,
        where / "unused.db",
        "outlet",
        "add",
        HOMES[site],
        "--name",
        site,
        "--replay",
        "--snapshot",
        str(snapshot),
        *extra,
    )


def stored(db: Path) -> list[dict[str, Any]]:
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        return [
            dict(row) for row in conn.execute("SELECT url, title, published, text, lang, skip_reason FROM articles")
        ]


@pytest.mark.slow
@pytest.mark.parametrize("site", list(HOMES))
def test_onboarded_outlet_collects_its_articles_cleanly(site: str, tmp_path: Path) -> None:
    where = sandbox(tmp_path)
    done = add(where, site, "--json")
    assert done.returncode == 0, done.stderr[-3000:]
    report = json.loads(done.stdout)
    written = where / "spiders" / f"{site}.py"
    assert report["written"] and Path(report["path"]) == written and written.read_text("utf-8") == report["source"]
    assert not (ROOT / "spiders" / f"{site}.py").exists()
    assert len(report["samples"]) >= 4 and all(s["title"] and s["published"] for s in report["samples"])

    db = tmp_path / "crawl.db"
    run = crawler(where, db, "run", "--replay", "--outlet", site, "--json", CRAWLER_SNAPSHOT_DIR=str(SITES))
    assert run.returncode == 0, run.stderr[-3000:]
    expected = yaml.safe_load((SITES / site / "expected.yml").read_text("utf-8"))
    rows = {row["url"]: row for row in stored(db)}
    articles = [row for row in rows.values() if not row["skip_reason"]]

    found = [a for a in expected["articles"] if a["url"] in rows and not rows[a["url"]]["skip_reason"]]
    assert len(found) >= 0.9 * len(expected["articles"]), sorted(
        set(a["url"] for a in expected["articles"]) - set(rows)
    )
    checks = []
    for a in found:
        row = rows[a["url"]]
        paragraphs = row["text"].split("\n\n")
        checks += [
            row["title"] == a["title"],
            (row["published"] or "")[:16] == a["published"][:16],
            paragraphs[0] == a["first_paragraph"],
            paragraphs[-1] == a["last_paragraph"],
            row["lang"] == a["lang"],
        ]
    assert sum(checks) >= 0.95 * len(checks), f"{sum(checks)} of {len(checks)} fields right"
    for row in articles:
        chrome = [marker for marker in CHROME if marker.lower() in row["text"].lower()]
        assert not chrome, f"{row['url']}: {chrome}"
    expected_urls = {a["url"] for a in expected["articles"]}
    non_articles = [row["url"] for row in articles if row["url"] not in expected_urls]
    assert len(non_articles) <= 1, non_articles
