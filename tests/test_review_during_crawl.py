"""The review page keeps answering, and a monitor's decision lands, while a crawl pass writes."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from crawler.store import open_db
from crawler.store import users as accounts
from crawler.web.app import create_app
from tests.test_web_support import PASSWORD

ROOT = Path(__file__).resolve().parent.parent


def test_queue_and_decisions_work_during_a_crawl(tmp_path: Path) -> None:
    db_path = tmp_path / "crawler.db"
    db = open_db(db_path)
    accounts.add_user(db, "anna", PASSWORD)
    db.close()
    client = create_app(db_path, secret_key="test-secret", testing=True).test_client()
    page = client.get("/login").get_data(as_text=True)
    token = page.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
    assert client.post("/login", data={"name": "anna", "password": PASSWORD, "csrf_token": token}).status_code == 302

    crawl = subprocess.Popen(
        [sys.executable, "-m", "crawler", "--db", str(db_path), "run", "--replay"],
        cwd=ROOT, env={**os.environ, "PYTHONPATH": str(ROOT)},
        stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
    )  # fmt: skip
    pages = approved = 0
    try:
        while crawl.poll() is None:
            response = client.get("/?status=all")
            assert response.status_code == 200
            pages += 1
            if not approved:
                reader = open_db(db_path)
                row = reader.execute("SELECT id FROM articles WHERE status = 'candidate' LIMIT 1").fetchone()
                reader.close()
                if row:
                    csrf = client.get("/search").get_data(as_text=True)
                    csrf = csrf.split('name="csrf_token" value="', 1)[1].split('"', 1)[0]
                    response = client.post(
                        f"/article/{row[0]}/approve", data={"csrf_token": csrf, "expected": "candidate"}
                    )
                    assert response.status_code in (200, 302, 303)
                    approved = row[0]
    finally:
        crawl.wait(timeout=120)
    assert crawl.returncode == 0
    assert pages >= 3 and approved
    final = open_db(db_path)
    assert final.execute("SELECT status, decided_by FROM articles WHERE id = ?", [approved]).fetchone() == (
        "approved",
        "anna",
    )
