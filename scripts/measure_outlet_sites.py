"""Onboard each outlet of tests/data/outlet_sites with `crawler outlet add`, crawl its replay with the
written spider, and measure the result against the site's expected.yml (what tests/test_outlet_add.py
asserts, as numbers).

    python scripts/measure_outlet_sites.py

Works in a scratch folder with a copy of spiders/; the checkout is never written.
"""

from __future__ import annotations

import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parent.parent
SITES = ROOT / "tests" / "data" / "outlet_sites"
HOMES = {
    "stepnoy": "https://stepnoy-vestnik.kz/",
    "irtysh": "https://irtysh-inform.kz/",
    "zhetysu": "https://zhetysu-today.kz/",
}


def crawler(where: Path, db: Path, *args: str) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"CRAWLER_DB", "CRAWLER_CONFIG"}}
    environ.update(PYTHONPATH=f"{where}{os.pathsep}{ROOT}", CRAWLER_CONFIG="", CRAWLER_SNAPSHOT=str(SITES))
    command = [sys.executable, "-m", "crawler", "--db", str(db), *args]
    return subprocess.run(command, cwd=where, env=environ, capture_output=True, text=True, timeout=600, check=False)


def main() -> int:
    print("| site | articles found | title | date | first ¶ | last ¶ | lang | non-articles stored |")
    print("|---|---|---|---|---|---|---|---|")
    for site, home in HOMES.items():
        with tempfile.TemporaryDirectory(prefix="measure-") as scratch:
            where = Path(scratch)
            shutil.copytree(ROOT / "spiders", where / "spiders", ignore=shutil.ignore_patterns("__pycache__"))
            add = crawler(
                where, where / "x.db", "outlet", "add", home, "--name", site, "--replay", "--snapshot", str(SITES)
            )
            if add.returncode:
                print(f"| {site} | outlet add failed: {add.stderr.strip()[-200:]} |")
                continue
            db = where / "crawl.db"
            crawler(where, db, "run", "--replay", "--outlet", site)
            with sqlite3.connect(db) as conn:
                conn.row_factory = sqlite3.Row
                rows = {r["url"]: dict(r) for r in conn.execute("SELECT * FROM articles WHERE skip_reason IS NULL")}
        expected = yaml.safe_load((SITES / site / "expected.yml").read_text("utf-8"))["articles"]
        found = [a for a in expected if a["url"] in rows]
        right = {"title": 0, "date": 0, "first": 0, "last": 0, "lang": 0}
        for a in found:
            row = rows[a["url"]]
            paragraphs = row["text"].split("\n\n")
            right["title"] += row["title"] == a["title"]
            right["date"] += (row["published"] or "")[:16] == a["published"][:16]
            right["first"] += paragraphs[0] == a["first_paragraph"]
            right["last"] += paragraphs[-1] == a["last_paragraph"]
            right["lang"] += row["lang"] == a["lang"]
        others = sorted(set(rows) - {a["url"] for a in expected})
        cells = " | ".join(f"{right[k]}/{len(found)}" for k in ("title", "date", "first", "last", "lang"))
        print(f"| {site} | {len(found)}/{len(expected)} | {cells} | {len(others)} {' '.join(others)} |")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
