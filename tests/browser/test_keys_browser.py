"""The keys in the Russian layout (by physical position), decisions without reloads, undo, the
selected card kept in view below the sticky header, Enter on a focused button, reordering by keys."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.keyboard import RussianKeyboard, log_in, selected_id

pytestmark = pytest.mark.browser

IN_VIEW = """() => {
  const card = document.querySelector('.card.selected');
  const header = document.querySelector('header.top').getBoundingClientRect();
  const box = card.getBoundingClientRect();
  return {top: box.top, bottom: box.bottom, header: header.bottom, height: innerHeight};
}"""


def order(page: Any) -> list[str]:
    return page.eval_on_selector_all(
        ".card[data-id]:not(.folded):not(.context)", "cards => cards.map(c => c.dataset.id)"
    )


def assert_in_view(page: Any) -> None:
    box = page.evaluate(IN_VIEW)
    assert box["top"] >= box["header"], box  # never under the sticky header
    assert box["top"] < box["height"], box  # and on the screen


def test_russian_layout_decide_undo_without_reload(browser_page: Any, live_server: tuple[str, dict[str, int]]) -> None:
    page = browser_page
    base, _ = live_server
    page.set_viewport_size({"width": 1366, "height": 520})
    log_in(page, base)
    page.evaluate("window.__stay = 1; window.__keys = []; addEventListener('keydown', e => __keys.push(e.key))")
    keys = RussianKeyboard(page)
    cards = order(page)
    assert selected_id(page) == cards[0]

    keys.press("KeyJ")
    assert page.evaluate("__keys") == ["о"]  # the event really carries the Russian letter
    assert selected_id(page) == cards[1]
    assert_in_view(page)

    # approve under the suggested rubric: the card leaves, the next one is selected, no reload
    target = cards[1]
    title = page.inner_text(f"#a{target} h3")
    keys.press("KeyA")
    page.wait_for_selector(f"#a{target}", state="detached")
    message = page.inner_text("#flashes .flash")
    assert message.startswith("Одобрено: «Политзаключенные»") and title[:20] in message
    assert selected_id(page) == cards[2]
    assert_in_view(page)
    assert page.inner_text("#count-today") == "1"

    # u takes it back: the card returns
    keys.press("KeyU")
    page.wait_for_selector(f"#a{target}")
    assert "Отменено" in page.inner_text("#flashes .flash") and title[:20] in page.inner_text("#flashes .flash")
    assert page.inner_text("#count-today") == "0"

    # 8 approves under rubric 8 (Пытки); r rejects, with its own undo
    chosen = selected_id(page)
    keys.press("Digit8")
    page.wait_for_selector(f"#a{chosen}", state="detached")
    assert page.inner_text("#flashes .flash").startswith("Одобрено: «Пытки»")
    rejected = selected_id(page)
    keys.press("KeyR")
    page.wait_for_selector(f"#a{rejected}", state="detached")
    assert page.inner_text("#flashes .flash").startswith("Отклонено:")
    assert page.locator("#flashes .flash").first.locator("button.undo").count() == 1

    # keys are ignored while typing in a field (a Russian reason or query) ...
    now = selected_id(page)
    page.focus("#search-box")
    keys.press("KeyJ")
    assert selected_id(page) == now
    assert page.input_value("#search-box") == "о"
    keys.press("Escape")
    # ... and Enter on a focused button does that button's action, not "open the article"
    page.focus("#help-button")
    keys.press("Enter")
    assert page.is_visible("#shortcuts")
    assert page.url.rstrip("/") == base
    assert page.evaluate("window.__stay") == 1  # never reloaded


def test_selected_card_stays_below_the_header_both_ways(
    browser_page: Any, live_server: tuple[str, dict[str, int]]
) -> None:
    page = browser_page
    base, _ = live_server
    page.set_viewport_size({"width": 1366, "height": 420})
    log_in(page, base)
    keys = RussianKeyboard(page)
    n = len(order(page))
    for _ in range(n):
        keys.press("KeyJ")
        assert_in_view(page)
    for _ in range(n):
        keys.press("KeyK")
        assert_in_view(page)


def test_reorder_the_bulletin_by_keys(browser_page: Any, live_server: tuple[str, dict[str, int]]) -> None:
    page = browser_page
    base, _ = live_server
    log_in(page, base)
    keys = RussianKeyboard(page)
    for done in ("1", "2"):  # best, hostile: approved under the suggested rubric
        keys.press("KeyA")
        page.wait_for_function("n => document.getElementById('count-today').textContent === n", arg=done)
    page.goto(base + "/approved")
    assert page.locator("main > section.export").count() == 1
    assert page.evaluate("document.querySelector('main section.export').getBoundingClientRect().top < 300")
    page.evaluate("window.__stay = 1")
    items = page.eval_on_selector_all(".approved-item", "items => items.map(i => i.dataset.id)")
    assert len(items) == 2 and selected_id(page) == items[0]
    keys.press("KeyJ", shift=True)  # Shift+J: the selected item one place down
    page.wait_for_function("first => document.querySelectorAll('.approved-item')[1].dataset.id === first", arg=items[0])
    assert selected_id(page) == items[0]  # the selection follows the item
    assert "Перемещено ниже" in page.inner_text("#flashes")
    keys.press("KeyK", shift=True)
    page.wait_for_function("first => document.querySelectorAll('.approved-item')[0].dataset.id === first", arg=items[0])
    assert page.evaluate("window.__stay") == 1
