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
    "Мы используем файлы cookie",
    "Сайт использует cookies",
    "Поделиться",
    "Бөлісу",
    "Подписывайтесь",
    "Telegram",
    "Ctrl+Enter",
    "Читайте также",
    "Комментариев пока нет",
    "Добавить комментарий",
    "Фото: архив редакции",
    "Просмотров",
    "Автор:",
    "Свидетельство о постановке",
    "Все права защищены",
    "Похожие записи",
    "Главное за день",
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
    run = crawler(where, db, "run", "--snapshot", str(SITES), "--outlet", site, "--json")
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


# ------------------------------------------------------------------------------------ bad input


def tiny_site(tmp_path: Path, pages: dict[str, str], robots: str = "User-agent: *\nDisallow:\n") -> Path:
    """A one-outlet snapshot at https://tiny.example.kz/ with ``pages`` (path → HTML)."""
    folder = tmp_path / "snapshot" / "tiny"
    folder.mkdir(parents=True)
    (folder / "robots.txt").write_text(robots, "utf-8")
    routes = [{"url": "https://tiny.example.kz/robots.txt", "file": "robots.txt"}]
    for number, (path, html) in enumerate(pages.items()):
        (folder / f"{number}.html").write_text(html, "utf-8")
        routes.append({"url": f"https://tiny.example.kz{path}", "file": f"{number}.html"})
    (folder / "routes.yml").write_text(yaml.safe_dump(routes), "utf-8")
    return folder.parent


def article_page(title: str) -> str:
    text = "".join(f"<p>{title}: абзац {n} — " + "текст новости о событиях в области. " * 6 + "</p>" for n in range(4))
    date = '<meta property="article:published_time" content="2026-11-27T10:00:00+05:00">'
    return f"<html><head><title>{title}</title>{date}</head><body><h1>{title}</h1>{text}</body></html>"


def one_error_line(done: subprocess.CompletedProcess[str]) -> str:
    assert done.returncode == 2, done.stdout + done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("crawler: error: "), done.stderr
    return lines[0]


def add_tiny(tmp_path: Path, snapshot: Path, *extra: str) -> subprocess.CompletedProcess[str]:
    where = sandbox(tmp_path / "where")
    return crawler(
        where,
        where / "unused.db",
        "outlet",
        "add",
        "https://tiny.example.kz/",
        "--name",
        "tiny",
        "--replay",
        "--snapshot",
        str(snapshot),
        *extra,
    )


def test_unreachable_home_page_is_one_line_and_nothing_written(tmp_path: Path) -> None:
    where = sandbox(tmp_path)
    done = crawler(where, where / "x.db", "outlet", "add", "http://127.0.0.1:9/", "--name", "nowhere")
    assert "cannot reach the home page http://127.0.0.1:9/" in one_error_line(done)
    assert not (where / "spiders" / "nowhere.py").exists()


def test_a_home_page_the_snapshot_does_not_have_answers_404(tmp_path: Path) -> None:
    done = add_tiny(tmp_path, tiny_site(tmp_path, {"/other": "<html></html>"}))
    assert "the home page https://tiny.example.kz/ answered HTTP 404" in one_error_line(done)


def test_robots_txt_forbidding_the_site_is_refused(tmp_path: Path) -> None:
    snapshot = tiny_site(
        tmp_path, {"/": "<html><body><a href='/a-b-c/'>x</a></body></html>"}, "User-agent: *\nDisallow: /\n"
    )
    done = add_tiny(tmp_path, snapshot)
    assert "robots.txt of tiny.example.kz forbids crawling https://tiny.example.kz/" in one_error_line(done)
    assert not (tmp_path / "where" / "spiders" / "tiny.py").exists()


def test_a_site_without_articles_is_refused(tmp_path: Path) -> None:
    nav = "<nav><a href='/about'>О нас</a><a href='/contacts'>Контакты</a></nav>"
    home = f"<html><body>{nav}<p>Скоро открытие.</p></body></html>"
    done = add_tiny(tmp_path, tiny_site(tmp_path, {"/": home, "/about": "<html><body>О нас</body></html>"}))
    assert "no article found" in one_error_line(done)


def test_a_pattern_that_would_take_the_section_pages_is_refused(tmp_path: Path) -> None:
    """WordPress /%postname%/ permalinks and categories at the same depth: no URL shape tells them apart."""
    slugs = ["sud-vynes-reshenie-po-delu", "akimat-obeshchal-remont-dorog", "zhiteli-zhaluyutsya-na-tarify"]
    sections = ["politika-i-obshchestvo", "ekonomika-i-biznes-regiona"]
    nav = "".join(f"<a href='/{s}/'>{s}</a>" for s in sections)
    links = "".join(f"<a href='/{s}/'>{s}</a>" for s in slugs)
    pages = {"/": f"<html><body><nav>{nav}</nav><main>{links}</main></body></html>"}
    pages |= {f"/{s}/": article_page(s.replace("-", " ").capitalize()) for s in slugs}
    pages |= {f"/{s}/": f"<html><body><h1>{s}</h1>{links}</body></html>" for s in sections}
    done = add_tiny(tmp_path, tiny_site(tmp_path, pages))
    line = one_error_line(done)
    assert "would also match the tag/author/section page https://tiny.example.kz/politika-i-obshchestvo/" in line


def test_a_name_that_clashes_with_a_spider_is_refused(tmp_path: Path) -> None:
    where = sandbox(tmp_path)
    done = crawler(where, where / "x.db", "outlet", "add", HOMES["irtysh"], "--name", "vlast", "--replay")
    assert "spider 'vlast' already exists" in one_error_line(done)
    done = crawler(where, where / "x.db", "outlet", "add", HOMES["irtysh"], "--name", "Bad-Name")
    assert "--name 'Bad-Name'" in one_error_line(done)


@pytest.mark.slow
def test_dry_run_writes_nothing_and_an_existing_file_needs_force(tmp_path: Path) -> None:
    where = sandbox(tmp_path)
    written = where / "spiders" / "zhetysu.py"
    done = add(where, "zhetysu", "--dry-run")
    assert done.returncode == 0, done.stderr[-2000:]
    assert "class ZhetysuSpider(OutletSpider):" in done.stdout and not written.exists()
    assert "would write (dry run)" in done.stderr
    assert add(where, "zhetysu").returncode == 0
    first = written.read_text("utf-8")
    assert "use --force" in one_error_line(add(where, "zhetysu"))
    assert written.read_text("utf-8") == first
    done = add(where, "zhetysu", "--force", "--credit", "газета «Жетісу күні»")
    assert done.returncode == 0, done.stderr[-2000:]
    assert 'credit = "газета «Жетісу күні»"' in written.read_text("utf-8")


@pytest.mark.slow
def test_the_new_outlet_is_known_to_status_doctor_queue_export_and_the_review_page(tmp_path: Path) -> None:
    from crawler.store import open_db, users
    from crawler.web import create_app
    from tests.test_web_support import login

    where = sandbox(tmp_path)
    assert add(where, "zhetysu").returncode == 0
    db = tmp_path / "crawl.db"
    assert crawler(where, db, "run", "--snapshot", str(SITES), "--outlet", "zhetysu").returncode == 0

    status = crawler(where, db, "status", "--json")
    assert "zhetysu" in json.loads(status.stdout)["outlets"], status.stdout[-2000:]
    doctor = crawler(where, db, "doctor", "--snapshot", str(SITES), "--outlet", "zhetysu", "--json")
    assert doctor.returncode == 0, doctor.stderr[-2000:]
    rows = [json.loads(line) for line in doctor.stdout.splitlines()]
    assert any(row["outlet"] == "zhetysu" and row["articles"] for row in rows)

    listed = crawler(where, db, "queue", "list", "--outlet", "zhetysu", "--status", "all", "--json")
    items = [json.loads(line) for line in listed.stdout.splitlines()]
    assert len(items) >= 11 and {item["outlet"] for item in items} == {"zhetysu"}
    court = next(item for item in items if item["url"].endswith("/ru/news/8827"))  # reinstated nurse
    rubric = "Право на справедливый суд"
    approved = crawler(where, db, "queue", "approve", str(court["id"]), "--rubric", rubric)
    assert approved.returncode == 0, approved.stderr
    out = tmp_path / "bulletin.txt"
    exported = crawler(where, db, "export", "--format", "txt", "--draft", "--out", str(out))
    assert exported.returncode == 0, exported.stderr
    assert "Жетісу күні" in out.read_text("utf-8")  # the credit written from the site's name

    store = open_db(db)
    users.add_user(store, "anna", "correct horse battery")
    store.close()
    client = create_app(db, rules_dir="rules", secret_key="test-secret", testing=True).test_client()
    login(client)
    queue = client.get("/?status=all&outlet=zhetysu&from=").get_data(as_text=True)
    assert "Жительница Уштобе добилась восстановления на работе" in queue
    assert "zhetysu" in client.get("/health").get_data(as_text=True)
