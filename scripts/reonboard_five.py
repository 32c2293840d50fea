"""Re-onboard the five outlets with `crawler outlet add` on the bundled snapshot and compare the result with
the hand-written spiders: what each declares, and what each collects from the same replay.

    python scripts/reonboard_five.py [--snapshot DIR] [--keep DIR]

Everything happens in a scratch folder holding a copy of spiders/ (the checkout is never written):
for each outlet, `outlet add HOME --name gen_<outlet> --replay` writes spiders/gen_<outlet>.py there;
then `crawler run --replay` crawls the snapshot once with the hand-written spider and once with the
generated one, into two databases, and the stored articles are compared (URL, title, date, first and
last paragraph). Prints a Markdown report (docs/onboarding.md quotes it).
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import sqlite3
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
# The home page first; the bundled snapshot holds only azattyq's, so a page it does hold comes second.
HOMES = {
    "vlast": ("https://vlast.kz/", "https://vlast.kz/novosti/?archive=1"),
    "azattyq": ("https://rus.azattyq.org/", "https://www.azattyqasia.org/"),
    "orda": ("https://orda.kz/", "https://orda.kz/last-news/"),
    "ulysmedia": ("https://ulysmedia.kz/", "https://ulysmedia.kz/news/"),
    "bureau": ("https://bureau.kz/", "https://bureau.kz/novosti/podslushannye-razgovory/"),
}


def crawler(where: Path, db: Path, *args: str, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in {"CRAWLER_DB", "CRAWLER_CONFIG"}}
    environ.update(PYTHONPATH=f"{where}{os.pathsep}{ROOT}", CRAWLER_CONFIG="", **env)
    return subprocess.run(
        [sys.executable, "-m", "crawler", "--db", str(db), *args],
        cwd=where,
        env=environ,
        capture_output=True,
        text=True,
        timeout=600,
        check=False,
    )


def articles(db: Path) -> dict[str, dict]:
    if not db.exists():
        return {}
    with sqlite3.connect(db) as conn:
        conn.row_factory = sqlite3.Row
        rows = conn.execute("SELECT url, title, published, text, lang FROM articles WHERE skip_reason IS NULL")
        return {row["url"]: dict(row) for row in rows}


def compare(hand: dict[str, dict], gen: dict[str, dict]) -> dict[str, object]:
    common = sorted(set(hand) & set(gen))
    same = {"title": 0, "published": 0, "first": 0, "last": 0}
    for url in common:
        a, b = hand[url], gen[url]
        pa, pb = a["text"].split("\n\n"), b["text"].split("\n\n")
        same["title"] += a["title"] == b["title"]
        same["published"] += (a["published"] or "")[:16] == (b["published"] or "")[:16]
        same["first"] += pa[0] == pb[0]
        same["last"] += pa[-1] == pb[-1]
    return {
        "hand": len(hand),
        "generated": len(gen),
        "both": len(common),
        "only_hand": sorted(set(hand) - set(gen)),
        "only_generated": sorted(set(gen) - set(hand)),
        "same_fields": same,
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--snapshot", help="snapshot folder (default: the bundled crawler/snapshot)")
    parser.add_argument("--keep", type=Path, help="copy the generated spiders here")
    args = parser.parse_args()
    env = {"CRAWLER_SNAPSHOT": args.snapshot} if args.snapshot else {}
    snapshot_args = ["--snapshot", args.snapshot] if args.snapshot else []
    with tempfile.TemporaryDirectory(prefix="reonboard-") as scratch:
        where = Path(scratch)
        shutil.copytree(ROOT / "spiders", where / "spiders", ignore=shutil.ignore_patterns("__pycache__"))
        columns = "articles hand / generated / both | fields equal on both (title, date, first, last)"
        print(f"| outlet | probed from | generated declares | {columns} |")
        print("|---|---|---|---|---|")
        details = []
        for outlet, homes in HOMES.items():
            name = f"gen_{outlet}"
            tried = []
            for home in homes:
                done = crawler(
                    where,
                    where / "x.db",
                    "outlet",
                    "add",
                    home,
                    "--name",
                    name,
                    "--replay",
                    "--json",
                    *snapshot_args,
                    env=env,
                )
                if done.returncode == 0:
                    break
                tried.append(f"{home}: {done.stderr.strip().splitlines()[-1].removeprefix('crawler: error: ')}")
            if done.returncode != 0:
                print(f"| {outlet} | — | nothing: {'; '.join(tried)} | | |")
                continue
            report = json.loads(done.stdout)
            hand_db, gen_db = where / f"{outlet}.db", where / f"{name}.db"
            crawler(where, hand_db, "run", "--replay", "--outlet", outlet, env=env)
            crawler(where, gen_db, "run", "--replay", "--outlet", name, env=env)
            result = compare(articles(hand_db), articles(gen_db))
            same = result["same_fields"]
            declares = ", ".join(
                f"{report['source'].split(key + ' = ')[1].split(')')[0].count(chr(34)) // 2} {key}"
                for key in ("feeds", "sitemaps", "numbered_sitemaps", "listings")
                if f"    {key} = " in report["source"]
            )
            rules = [line.strip() for line in report["source"].split("page_rules = ")[1].splitlines()[:6]]
            fallback = f" (home page not in the snapshot: {tried[0].split(': ', 1)[1]})" if tried else ""
            print(
                f"| {outlet} | {report['home']}{fallback} "
                f"| `{report['article_url']}`; {declares or 'no strategy'}; rules: {' '.join(rules)[:140]} "
                f"| {result['hand']} / {result['generated']} / {result['both']} "
                f"| {same['title']}, {same['published']}, {same['first']}, {same['last']} of {result['both']} |"
            )
            details.append((outlet, result))
            if args.keep:
                args.keep.mkdir(parents=True, exist_ok=True)
                shutil.copy(where / "spiders" / f"{name}.py", args.keep / f"{name}.py")
        print()
        for outlet, result in details:
            if result["only_hand"]:
                print(f"- {outlet}: only the hand-written spider stored {', '.join(result['only_hand'])}")
            if result["only_generated"]:
                print(f"- {outlet}: only the generated spider stored {', '.join(result['only_generated'])}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
