"""The review page in a real headless Chromium: login, keyboard through the queue, decisions,
reorder, the export preview, and hostile scraped text that never runs."""

from __future__ import annotations

from typing import Any

import pytest

from tests.test_web_support import PASSWORD

pytestmark = pytest.mark.browser


def selected_id(page: Any) -> str:
    return page.get_attribute("article.card.selected", "data-id")


def select_card(page: Any, article_id: int) -> None:
    """Move the selection to ``article_id`` with j/k only."""
    target = str(article_id)
    for _ in range(20):
        ids = page.eval_on_selector_all("article.card:not(.folded)", "cards => cards.map(c => c.dataset.id)")
        here = ids.index(selected_id(page))
        if ids[here] == target:
            return
        page.keyboard.press("j" if ids.index(target) > here else "k")
    raise AssertionError(f"could not select article {article_id}")


def assert_no_injection(page: Any, dialogs: list[str]) -> None:
    assert page.evaluate("typeof window.__pwned") == "undefined"
    assert dialogs == []


def test_monitor_morning(browser_page: Any, live_server: tuple[str, dict[str, int]]) -> None:
    page = browser_page
    base, ids = live_server
    dialogs: list[str] = []
    page.on("dialog", lambda dialog: (dialogs.append(dialog.message), dialog.dismiss()))

    # log in
    page.goto(base + "/")
    assert "/login" in page.url
    page.fill("input[name=name]", "anna")
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_selector("article.card.selected")
    assert_no_injection(page, dialogs)

    # the keyboard: j/k move, ? help, / search
    order = page.eval_on_selector_all("article.card:not(.folded)", "cards => cards.map(c => c.dataset.id)")
    assert order[:3] == [str(ids["best"]), str(ids["hostile"]), str(ids["second"])]
    assert selected_id(page) == order[0]
    page.keyboard.press("j")
    page.keyboard.press("j")
    assert selected_id(page) == order[2]
    page.keyboard.press("k")
    assert selected_id(page) == order[1]
    page.keyboard.press("?")
    assert page.is_visible("#shortcuts")
    page.keyboard.press("Escape")
    assert not page.is_visible("#shortcuts")
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "search-box"
    page.keyboard.press("Escape")

    # approve the third card under another rubric, with `a`
    page.keyboard.press("j")
    assert selected_id(page) == str(ids["second"])
    page.select_option(f"#a{ids['second']} .approve-form select", "Пытки")
    page.keyboard.press("Escape")  # leave the select: shortcuts are off while a field has focus
    page.keyboard.press("a")
    page.wait_for_selector(f"#a{ids['second']}", state="detached")  # no reload: the card just leaves
    assert "Одобрено: «Пытки»" in page.inner_text(".flashes")

    # approve the first two under the suggested rubric
    select_card(page, ids["best"])
    page.keyboard.press("a")
    page.wait_for_selector(f"#a{ids['best']}.context")  # decided, kept as the head of its reprint
    select_card(page, ids["hostile"])
    page.keyboard.press("a")
    page.wait_for_selector(f"#a{ids['hostile']}", state="detached")
    assert_no_injection(page, dialogs)

    # edit a title from the article page: `e` focuses the title field
    page.goto(f"{base}/article/{ids['best']}")
    page.keyboard.press("e")
    assert page.evaluate("document.activeElement.id") == "edit-title"
    page.fill("#edit-title", "Блогер осуждён: исправленный заголовок")
    with page.expect_navigation():
        page.click(".edit-form button[type=submit]")
    assert "Правка сохранена" in page.inner_text(".flashes")

    # the hostile article: text stays text, its stored page runs nothing
    page.goto(f"{base}/article/{ids['hostile']}")
    assert "<script>window.__pwned = 1</script>" in page.inner_text("h1")
    page.wait_for_timeout(300)  # give the sandboxed frame the time to (not) run anything
    assert_no_injection(page, dialogs)

    # the next bulletin: reorder two items and see the preview follow
    page.goto(f"{base}/approved")
    preview = page.inner_text("#preview")
    first, second = "БЛОГЕР ОСУЖДЁН: ИСПРАВЛЕННЫЙ ЗАГОЛОВОК", "<script>window.__pwned = 1</script> СУД НАД БЛОГЕРОМ"
    assert preview.index(first) < preview.index(second)
    assert "«Пытки»" in preview
    page.click(f"#a{ids['best']} .move-down button")
    page.wait_for_function(
        "([a, b]) => { const t = document.querySelector('#preview').innerText; return t.indexOf(b) < t.indexOf(a); }",
        arg=[first, second],
    )
    preview = page.inner_text("#preview")
    assert preview.index(second) < preview.index(first)
    assert_no_injection(page, dialogs)


def test_health_page_draws_without_breaking_the_policy(
    browser_page: Any, live_server: tuple[str, dict[str, int]]
) -> None:
    page = browser_page
    base, _ = live_server
    errors: list[str] = []
    page.on("console", lambda message: errors.append(message.text) if message.type == "error" else None)
    page.goto(base + "/health")
    page.fill("input[name=name]", "anna")
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")
    assert page.url.endswith("/health")
    assert page.locator("section.outlet-health").count() == 3  # vlast, azattyq, orda
    box = page.locator("svg.chart").first.bounding_box()
    assert box and box["width"] > 200 and box["height"] > 40
    assert page.locator("svg.chart").first.locator("rect").count() == 30
    refused = [e for e in errors if "Content Security Policy" in e or "Refused" in e]
    assert refused == []  # nothing refused by the Content-Security-Policy (the favicon's 404 is no concern)
