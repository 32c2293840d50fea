"""The rubrics in bulletin order, as the rules declare them (read once when the app starts)."""

from __future__ import annotations

from flask import current_app

from crawler.bulletin import rubric_order as load_rubric_order


def load(rules_dir: str) -> list[str]:
    """Every rubric name in bulletin order, from the rules in ``rules_dir``."""
    return load_rubric_order(rules_dir)


def rubric_order() -> list[str]:
    """The app's rubric names, in the order the bulletin prints them."""
    return list(current_app.config["RUBRICS"])
