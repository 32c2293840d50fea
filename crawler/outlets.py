"""The outlet registry: the spider classes are the one place an outlet is declared.

Everything outside ``spiders/`` asks here instead of naming an outlet, so the bulletin credits live
only on the spider classes (their ``credit`` attribute).
"""

from __future__ import annotations

import ast
import importlib.util
from collections.abc import Sequence
from functools import cache
from pathlib import Path

from crawler import settings
from crawler.errors import NotFound, UsageError

STAFF_PREFIX = "сайт "  # a credit 'сайт X' becomes 'Редакция сайта X' for unsigned pieces (as the sample does)


@cache
def load_outlets() -> dict[str, type]:
    """Every outlet's spider class by name (outlet slug = spider name), loaded once per process."""
    from scrapy.spiderloader import SpiderLoader  # imported here: commands that crawl nothing start faster

    from crawler.config import scrapy_settings

    loader = SpiderLoader.from_settings(scrapy_settings())
    return {name: loader.load(name) for name in sorted(loader.list())}


@cache
def outlet_names() -> list[str]:
    """Every outlet's name, read from the spider modules' source without importing them (nor Scrapy):
    for commands such as ``status`` that need the names only and must start fast. Each spider class
    declares ``name = "..."`` in its body; tests check this list equals ``load_outlets()``'s."""
    names: set[str] = set()
    for module in settings.SPIDER_MODULES:
        spec = importlib.util.find_spec(module)
        if spec is None or spec.origin is None:
            continue
        origin = Path(spec.origin)
        for path in sorted(origin.parent.rglob("*.py")) if origin.name == "__init__.py" else [origin]:
            for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
                if isinstance(node, ast.ClassDef):
                    names.update(
                        statement.value.value
                        for statement in node.body
                        if isinstance(statement, ast.Assign)
                        and any(isinstance(t, ast.Name) and t.id == "name" for t in statement.targets)
                        and isinstance(statement.value, ast.Constant)
                        and isinstance(statement.value.value, str)
                    )
    return sorted(names)


def select_outlets(names: Sequence[str] | None) -> list[str]:
    """The named outlets (all when none are named), each once, in the order given; an unknown name is a
    UsageError listing the known ones."""
    known = list(load_outlets())
    selected = list(dict.fromkeys(names or known))
    unknown = [name for name in selected if name not in known]
    if unknown:
        raise UsageError(f"unknown outlet {', '.join(unknown)}: choose from {', '.join(known)}")
    return selected


def names_outlet(text: str, outlet: str) -> bool:
    """Whether ``text`` names ``outlet`` (a reprint crediting its source), by the spider's ``names``."""
    spider = load_outlets().get(outlet)
    return bool(spider) and any(name in text for name in getattr(spider, "names", ()))


def credit(outlet: str) -> str:
    """How the bulletin credits ``outlet``, e.g. 'интернет-издание «Власть»'."""
    try:
        spider = load_outlets()[outlet]
    except KeyError:
        raise NotFound(f"unknown outlet {outlet!r}: known outlets are {', '.join(load_outlets())}") from None
    value = getattr(spider, "credit", "") or ""
    return value or outlet


def staff_credit(outlet: str) -> str:
    """The byline of an unsigned piece: the credit itself, or 'Редакция сайта X' for a 'сайт X' credit."""
    value = credit(outlet)
    if value.startswith(STAFF_PREFIX):
        return "Редакция сайта " + value[len(STAFF_PREFIX) :]
    return capitalised(value)


def capitalised(text: str) -> str:
    """First letter upper-cased, the rest untouched: 'интернет-издание …' → 'Интернет-издание …'."""
    return text[:1].upper() + text[1:]
