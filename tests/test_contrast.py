"""Colour contrast of the review page, computed from review.css itself (WCAG 2 relative luminance):
every rubric colour and every text colour at least 4.5:1 on every background it is shown on."""

from __future__ import annotations

import re
from pathlib import Path

CSS = (Path(__file__).resolve().parent.parent / "crawler" / "web" / "static" / "review.css").read_text(encoding="utf-8")
MINIMUM = 4.5


def variables() -> dict[str, str]:
    root = re.search(r":root\s*\{([^}]*)\}", CSS)
    assert root
    return dict(re.findall(r"--([\w-]+):\s*(#[0-9a-fA-F]{6})", root.group(1)))


def rubric_colours() -> dict[str, str]:
    return dict(re.findall(r"\.(rc\d)\s*\{\s*--rc:\s*(#[0-9a-fA-F]{6});", CSS))


def luminance(colour: str) -> float:
    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(colour[i : i + 2], 16) for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast(a: str, b: str) -> float:
    la, lb = sorted((luminance(a), luminance(b)), reverse=True)
    return (la + 0.05) / (lb + 0.05)


def test_contrast_formula() -> None:
    assert round(contrast("#000000", "#ffffff"), 1) == 21.0
    assert round(contrast("#777777", "#ffffff"), 2) == 4.48  # the classic just-too-light grey


def test_ten_distinct_rubric_colours_readable_on_every_background() -> None:
    v = variables()
    colours = rubric_colours()
    assert len(colours) == 10 and len(set(colours.values())) == 10
    backgrounds = {name: v[name] for name in ("bg", "card", "sel", "flash-ok")}
    low = [
        (rc, colour, bg, round(contrast(colour, value), 2))
        for rc, colour in colours.items()
        for bg, value in backgrounds.items()
        if contrast(colour, value) < MINIMUM
    ]
    assert low == []


def test_text_colours_readable_on_every_background() -> None:
    v = variables()
    pairs = [
        (text, bg)
        for text in ("fg", "muted", "accent", "ok", "bad")
        for bg in ("bg", "card", "sel", "flash-ok", "flash-bad")
    ]
    pairs += [("fg", "mark")]
    low = [(t, b, round(contrast(v[t], v[b]), 2)) for t, b in pairs if contrast(v[t], v[b]) < MINIMUM]
    assert low == []
