"""At a phone's width (390×844) no page scrolls sideways and every action on it can be reached."""

from __future__ import annotations

from typing import Any

import pytest

from tests.browser.keyboard import log_in

pytestmark = pytest.mark.browser

OVERFLOW = "() => document.documentElement.scrollWidth - document.documentElement.clientWidth"
# every button, link and field that is shown, and whether it lies inside the screen's width
CONTROLS = "main button, main select, main input:not([type=hidden]), main a, header a, header button, header input"
REACHABLE = (
    """() => Array.from(document.querySelectorAll('"""
    + CONTROLS
    + """')).filter(e => e.offsetParent !== null).map(e => {
  const r = e.getBoundingClientRect();
  return {what: e.outerHTML.slice(0, 80), left: r.left, right: r.right, width: r.width};
}).filter(r => r.width === 0 || r.left < -1 || r.right > document.documentElement.clientWidth + 1)"""
)


def test_every_page_fits_a_phone(browser_page: Any, live_server: tuple[str, dict[str, int]]) -> None:
    page = browser_page
    base, ids = live_server
    page.set_viewport_size({"width": 390, "height": 844})
    log_in(page, base)
    page.click(f"#a{ids['best']} button.approve")  # something in the next bulletin
    page.wait_for_selector(f"#a{ids['best']}.context")
    for path in ("/", f"/article/{ids['hostile']}", "/search?q=приговор", "/approved", "/health", "/?status=all"):
        page.goto(base + path)
        page.wait_for_load_state("load")
        assert page.evaluate(OVERFLOW) <= 0, path
        assert page.evaluate(REACHABLE) == [], path
    # the actions of a card can be used at this width: approve the selected card by tapping its button
    page.goto(base + "/")
    first = page.get_attribute(".card.selected", "data-id")
    page.click(f"#a{first} button.reject")
    page.wait_for_selector(f"#a{first}", state="detached")
