"""Typing as a monitor in the Russian layout: key events whose ``code`` is the physical key (KeyJ) while
``key`` is the Russian letter on it («о»), sent through Chrome's input pipeline (trusted events)."""

from __future__ import annotations

from typing import Any

from tests.test_web_support import PASSWORD

# physical key -> (Russian letter, Windows virtual key code)
RUSSIAN = {
    "KeyJ": ("о", 74),
    "KeyK": ("л", 75),
    "KeyA": ("ф", 65),
    "KeyR": ("к", 82),
    "KeyU": ("г", 85),
    "KeyO": ("щ", 79),
    "KeyE": ("у", 69),
    "Slash": (".", 191),
    **{f"Digit{n}": (str(n), 48 + n) for n in range(10)},
    "Enter": ("Enter", 13),
    "Escape": ("Escape", 27),
}


class RussianKeyboard:
    """Presses keys by their physical position with the Russian layout active; counts every press."""

    def __init__(self, page: Any) -> None:
        self.page = page
        self.cdp = page.context.new_cdp_session(page)
        self.presses = 0

    def press(self, code: str, *, shift: bool = False) -> None:
        key, vk = RUSSIAN[code]
        if shift and code == "KeyJ":
            key = "О"
        elif shift and code == "KeyK":
            key = "Л"
        text = key if len(key) == 1 else ("\r" if code == "Enter" else "")
        base = {"code": code, "key": key, "windowsVirtualKeyCode": vk, "modifiers": 8 if shift else 0}
        down = {"type": "keyDown", "text": text, **base} if text else {"type": "rawKeyDown", **base}
        self.cdp.send("Input.dispatchKeyEvent", down)
        self.cdp.send("Input.dispatchKeyEvent", {"type": "keyUp", **base})
        self.presses += 1


def log_in(page: Any, base: str, name: str = "anna") -> None:
    page.goto(base + "/")
    page.fill("input[name=name]", name)
    page.fill("input[name=password]", PASSWORD)
    with page.expect_navigation():
        page.click("button[type=submit]")


def selected_id(page: Any) -> str | None:
    return page.get_attribute(".card.selected", "data-id")
