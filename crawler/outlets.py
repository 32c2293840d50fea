"""The outlet registry: the spider classes are the one place an outlet is declared.

Everything outside ``spiders/`` asks here instead of naming an outlet, so the bulletin credits live
only on the spider classes (their ``credit`` attribute).
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import cache

from scrapy.spiderloader import SpiderLoader

from crawler.config import scrapy_settings
from crawler.errors import NotFound, UsageError

STAFF_PREFIX = "сайт "  # a credit 'сайт X' becomes 'Редакция сайта X' for unsigned pieces (as the sample does)


@cache
def load_outlets() -> dict[str, type]:
    """Every outlet's spider class by name (outlet slug = spider name), loaded once per process."""
    loader = SpiderLoader.from_settings(scrapy_settings())
    return {name: loader.load(name) for name in sorted(loader.list())}


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
