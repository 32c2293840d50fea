"""Showing hostile scraped text: highlights built from escaped pieces, safe links, Almaty times.

Every helper here escapes scraped text itself and only ever adds markup of its own (``<mark>``);
nothing from the page reaches the browser unescaped."""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from datetime import datetime
from functools import cache
from typing import Any
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo

from flask import Flask
from markupsafe import Markup, escape

from crawler.errors import CrawlerError
from crawler.outlets import capitalised, credit
from crawler.store.review import SNIPPET_CHARS
from crawler.web.explain import explain, in_words

ALMATY = ZoneInfo("Asia/Almaty")
STATUS_NAMES = {
    "candidate": "кандидат",
    "ignored": "не подошла",
    "approved": "одобрена",
    "rejected": "отклонена",
    "exported": "в бюллетене",
    "all": "все",
}
LANG_NAMES = {"ru": "рус", "kk": "қаз", "en": "eng"}


def register(app: Flask) -> None:
    from crawler.web.messages import note_in_russian  # messages shows times through this module

    app.jinja_env.filters.update(
        almaty=almaty,
        day=day,
        safe_url=safe_url,
        status_name=lambda status: STATUS_NAMES.get(status or "", status or "—"),
        lang_name=lambda lang: LANG_NAMES.get(lang or "", lang or "?"),
        search_snippet=search_snippet,
        published=published,
        outlet_name=outlet_name,
        note_ru=note_in_russian,
        plural=plural,
    )
    app.jinja_env.globals.update(
        highlight=highlight, first_lines=first_lines, explain=explain, STATUS_NAMES=STATUS_NAMES
    )


def highlight(text: str | None, matches: Iterable[Mapping[str, Any]], field: str) -> Markup:
    """``text`` escaped, with the matches of ``field`` wrapped in ``<mark>`` (overlaps merged away)."""
    text = text or ""
    spans = sorted(
        (int(m["start"]), int(m["end"]), str(m.get("term", "")), str(m.get("rubric", "")))
        for m in matches
        if m.get("field") == field
    )
    out: list[str] = []
    pos = 0
    for start, end, term, rubric in spans:
        if start < pos or start >= end or end > len(text):
            continue  # overlapping, empty or beyond the (possibly truncated) text
        out.append(str(escape(text[pos:start])))
        label = f"{in_words(term)} → {rubric}" if rubric else in_words(term)
        out.append(f'<mark title="{escape(label)}">{escape(text[start:end])}</mark>')
        pos = end
    out.append(str(escape(text[pos:])))
    return Markup("".join(out))


def first_lines(snippet: str | None, matches: Iterable[Mapping[str, Any]], lines: int = 3) -> Markup:
    """The first lines of a text (already cut to a few hundred characters) with its highlights."""
    snippet = snippet or ""
    cut = -1
    for _ in range(lines):
        cut = snippet.find("\n", cut + 1)
        if cut < 0:
            cut = len(snippet)
            break
    more = cut < len(snippet) or len(snippet) >= SNIPPET_CHARS
    if cut == len(snippet) and more:
        space = snippet.rfind(" ", 0, cut)
        cut = space if space > 0 else cut
    body = highlight(snippet[:cut], matches, "text")
    return Markup(body + (Markup(" …") if more else Markup("")))


def search_snippet(pieces: Iterable[tuple[str, bool]] | None) -> Markup:
    """A search snippet's (piece, is_hit) pairs: every piece escaped, the hits wrapped in ``<mark>``.
    No marker characters travel inside the text, so nothing in scraped text can turn into markup."""
    out = []
    for piece, hit in pieces or ():
        out.append(f"<mark>{escape(piece)}</mark>" if hit else str(escape(piece)))
    return Markup("".join(out))


def plural(n: int, one: str, few: str, many: str) -> str:
    """``n`` with the Russian noun form it takes: 1 материал, 3 материала, 11 материалов."""
    if n % 10 == 1 and n % 100 != 11:
        word = one
    elif 2 <= n % 10 <= 4 and not 12 <= n % 100 <= 14:
        word = few
    else:
        word = many
    return f"{n} {word}"


def safe_url(url: str | None) -> str | None:
    """``url`` when it is an http(s) link; None for ``javascript:``, ``data:`` and anything else."""
    if not url:
        return None
    try:
        scheme = urlsplit(url.strip()).scheme.lower()
    except ValueError:
        return None
    return url.strip() if scheme in ("http", "https") else None


def almaty(value: str | None, fmt: str = "%d.%m.%Y %H:%M") -> str:
    """An ISO 8601 timestamp shown in Asia/Almaty time; a bare date as it is; '—' when unknown."""
    if not value:
        return "—"
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        return value
    if moment.tzinfo is None:
        return moment.strftime(fmt if len(value) > 10 else "%d.%m.%Y")
    return moment.astimezone(ALMATY).strftime(fmt)


def published(value: str | None, raw: str | None = None) -> str:
    """A publication time in Almaty; a page that gave only a day shows only the day (never an invented
    00:00): its raw date has no clock time, or (the queue, without the raw text) the time is midnight."""
    if not value:
        return "дата неизвестна"
    shown = almaty(value)
    if raw:
        return shown if re.search(r"\d{1,2}:\d{2}", raw) else almaty(value, "%d.%m.%Y")
    return shown[:-6] if shown.endswith(" 00:00") else shown


@cache
def outlet_name(slug: str | None) -> str:
    """An outlet as the bulletin credits it (the spider's ``credit``), e.g. «Интернет-издание «Власть»»;
    the slug itself for an outlet no spider declares any more."""
    if not slug:
        return "—"
    try:
        return capitalised(credit(slug))
    except CrawlerError:
        return slug


def day(value: str | None) -> str:
    """Only the date, in Almaty."""
    return almaty(value, "%d.%m.%Y")
