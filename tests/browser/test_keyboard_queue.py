"""A monitor's morning with the keyboard alone, in the Russian layout: a 40-item queue worked through
top to bottom, keys counted per decision (the figures in docs/review.md come from this test, run with
``-s``)."""

from __future__ import annotations

import threading
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from werkzeug.serving import make_server

from crawler.bulletin import rubric_order
from crawler.store import open_db, users
from crawler.web import create_app
from tests.browser.keyboard import RussianKeyboard, log_in, selected_id
from tests.test_web_support import PASSWORD, add_article

pytestmark = pytest.mark.browser

RUBRICS = rubric_order("rules")
ITEMS = 40


@pytest.fixture
def queue_server(tmp_path: Path) -> Iterator[tuple[str, dict[int, tuple[str, str | None]], Path]]:
    """40 candidates over five rubrics, each with the monitor's intended decision:
    ('suggested', None), ('other', rubric) or ('reject', None); one suggested approval is first
    mistaken for a rejection and undone (u)."""
    db_path = tmp_path / "crawler.db"
    db = open_db(db_path)
    plan: dict[int, tuple[str, str | None]] = {}
    for n in range(ITEMS):
        rubric = RUBRICS[1 + n % 5]
        article = add_article(
            db,
            100 + n,
            title=f"Суд вынес приговор активисту, дело {n}",
            rubric=rubric,
            score=50.0 - n,
            url=f"https://vlast.kz/novosti/{100 + n}-k.html",
        )
        if n % 10 == 9:
            plan[article] = ("reject", None)
        elif n % 5 == 3:
            plan[article] = ("other", RUBRICS[7])  # Пытки, key 8
        else:
            plan[article] = ("suggested", None)
    users.add_user(db, "anna", PASSWORD)
    db.close()
    app = create_app(db_path, rules_dir="rules", secret_key="test-secret", testing=True)
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}", plan, db_path
    finally:
        server.shutdown()
        thread.join(timeout=5)
        server.server_close()


def wait_gone(page: Any, article: str, decided: int) -> None:
    page.wait_for_selector(f"#a{article}", state="detached")
    page.wait_for_function("n => document.getElementById('count-today').textContent === String(n)", arg=decided)


def test_forty_items_by_keyboard_in_the_russian_layout(
    browser_page: Any, queue_server: tuple[str, dict[int, tuple[str, str | None]], Path]
) -> None:
    page = browser_page
    base, plan, db_path = queue_server
    page.set_viewport_size({"width": 1366, "height": 768})
    log_in(page, base)
    keys = RussianKeyboard(page)
    presses: dict[str, list[int]] = {"suggested": [], "other": [], "reject": []}
    mistake_made = False
    decided = 0
    while page.locator(".card[data-id]").count():
        article = selected_id(page)
        assert article is not None
        kind, rubric = plan[int(article)]
        before = keys.presses
        if kind == "suggested" and not mistake_made and decided >= 10:
            keys.press("KeyR")  # a slip: rejected by mistake ...
            page.wait_for_selector(f"#a{article}", state="detached")
            keys.press("KeyU")  # ... and taken back
            page.wait_for_selector(f"#a{article}.selected")
            mistake_made = True
        if kind == "suggested":
            keys.press("KeyA")
        elif kind == "other":
            keys.press(f"Digit{RUBRICS.index(rubric) + 1}")
        else:
            keys.press("KeyR")
        decided += 1
        wait_gone(page, article, decided)
        presses[kind].append(keys.presses - before)
        # the next card is selected and in view, below the sticky header
        if page.locator(".card[data-id]").count():
            box = page.evaluate(
                "() => [document.querySelector('.card.selected').getBoundingClientRect().top,"
                " document.querySelector('header.top').getBoundingClientRect().bottom, innerHeight]"
            )
            assert box[1] <= box[0] < box[2]
    assert page.is_visible("#empty") and "Следующий бюллетень" in page.inner_text("#empty")
    assert mistake_made
    # every decision landed as planned
    db = open_db(db_path)
    for article, (kind, rubric) in plan.items():
        row = db.execute("SELECT status, rubric, approved_rubric FROM articles WHERE id = ?", [article]).fetchone()
        if kind == "reject":
            assert row[0] == "rejected", article
        else:
            assert row[0] == "approved", article
            assert row[2] == (rubric if kind == "other" else row[1]), article
    average = {kind: sum(counts) / len(counts) for kind, counts in presses.items()}
    print(
        f"\nkeyboard, Russian layout, {ITEMS} items: "
        + ", ".join(f"{kind} {len(presses[kind])} decisions, {average[kind]:.2f} keys each" for kind in presses)
        + f"; total {keys.presses} keys"
    )
    assert average["suggested"] <= 1.5
    assert average["other"] <= 3
