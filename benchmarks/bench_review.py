"""Server time to render the review queue with 1,000 candidates (target: 300 ms).

Measured through Flask's test client (no network), median of several runs after a warm-up."""

from __future__ import annotations

import random
import re
import statistics
import tempfile
import time
from pathlib import Path

from crawler.store import open_db, users
from crawler.store.articles import NewArticle, save_article
from crawler.web import create_app

CANDIDATES = 1_000
RUNS = 7
PASSWORD = "benchmark password"
# Filler plus one rubric term, about one word in fifty: some ten highlighted matches per article, as in real candidates.
FILLER = [
    *[
        "суд",
        "задержан",
        "активист",
        "журналист",
        "блогер",
        "полиция",
        "штраф",
        "закон",
        "депутат",
        "город",
        "область",
        "житель",
        "власти",
    ],
    *[
        "заявил",
        "сообщил",
        "сегодня",
        "вчера",
        "года",
        "министерство",
        "решение",
        "дело",
        "права",
        "человека",
        "участник",
        "адвокат",
    ],
]
WORDS = FILLER * 2 + ["приговор"]


def _seed(db_path: Path, rubrics: list[str]) -> None:
    db = open_db(db_path)
    rng = random.Random(5)
    for n in range(CANDIDATES):
        text = "\n".join(" ".join(rng.choice(WORDS) for _ in range(60)) for _ in range(8))  # ~4,000 characters
        title = " ".join(rng.choice(WORDS) for _ in range(8))
        rubric = rubrics[n % len(rubrics)]
        matches = [
            {"term": m.group(), "field": field, "start": m.start(), "end": m.end(), "rubric": rubric}
            for field, value in (("title", title), ("text", text))
            for m in re.finditer("приговор|митинг", value)
        ]
        save_article(
            db,
            NewArticle(
                key=f"bench:{n}",
                url=f"https://vlast.kz/novosti/{n}-bench.html",
                outlet=("vlast", "azattyq", "orda", "ulysmedia", "bureau")[n % 5],
                title=title,
                text=text,
                published=f"2025-11-{1 + n % 28:02d}T10:00:00+05:00",
                lang="ru",
                rubric=rubric,
                score=rng.uniform(1, 10),
                matches=matches,
                classified=True,
                html=b"<html></html>",
            ),
        )
    users.add_user(db, "bench", PASSWORD)
    db.close()


def run() -> dict[str, float]:
    """{"queue_1000_ms": median server time to render the queue of 1,000 candidates}."""
    with tempfile.TemporaryDirectory() as folder:
        db_path = Path(folder) / "bench.db"
        app = create_app(db_path, rules_dir="rules", secret_key="bench")
        _seed(db_path, app.config["RUBRICS"])
        client = app.test_client()
        page = client.get("/login").get_data(as_text=True)
        token = re.search(r'name="csrf_token" value="([^"]+)"', page).group(1)
        client.post("/login", data={"name": "bench", "password": PASSWORD, "csrf_token": token})
        response = client.get("/")  # warm-up: templates compiled, caches filled
        assert response.status_code == 200 and response.data.count(b'class="card') >= CANDIDATES
        times = []
        for _ in range(RUNS):
            start = time.perf_counter()
            response = client.get("/")
            response.get_data()
            times.append((time.perf_counter() - start) * 1000)
    return {"queue_1000_ms": round(statistics.median(times), 1)}


if __name__ == "__main__":
    result = run()
    print(f"review queue, {CANDIDATES} candidates: {result['queue_1000_ms']} ms (target ≤ 300 ms)")
