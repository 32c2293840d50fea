"""HTML for an e-mail body: one self-contained file, inline styles only, no scripts, no external assets.
Every scraped string is escaped; only http(s) sources become links."""

from __future__ import annotations

import re
from html import escape

from crawler.bulletin.model import SEPARATOR, SOURCE_LABEL, Bulletin, Item

EXTENSION = "html"
BODY = "margin:0;padding:16px;font-family:Georgia,'Times New Roman',serif;font-size:16px;line-height:1.5;color:#111"
HEADING = "font-size:22px;margin:0 0 16px"
RUBRIC = "font-size:19px;margin:24px 0 8px;color:#7a1a1a"
TITLE = "font-weight:bold;margin:16px 0 4px"
META = "margin:0;font-style:italic;font-size:14px;color:#555"
PARAGRAPH = "margin:0 0 12px"
SOURCE = "margin:12px 0 0"
LINK = "color:#0563c1"
SEPARATOR_STYLE = "text-align:center;margin:16px 0;color:#555"


def render(bulletin: Bulletin) -> bytes:
    """The bulletin as one UTF-8 HTML document."""
    parts = [
        "<!DOCTYPE html>",
        '<html lang="ru">',
        f'<head><meta charset="utf-8"><title>{_e(bulletin.title)}</title></head>',
        f'<body style="{BODY}">',
        '<div style="max-width:720px">',
    ]
    if bulletin.heading:
        parts.append(f'<h1 style="{HEADING}">{_e(bulletin.heading)}</h1>')
    first = True
    for section in bulletin.sections:
        for index, item in enumerate(section.items):
            if not first:
                parts.append(f'<p style="{SEPARATOR_STYLE}">{SEPARATOR}</p>')
            first = False
            if index == 0:
                parts.append(f'<h2 style="{RUBRIC}">{_e(section.header)}</h2>')
            parts.append(_item(item))
    parts += ["</div>", "</body>", "</html>", ""]
    return "\n".join(parts).encode("utf-8")


def _item(item: Item) -> str:
    lines = [
        f'<p style="{TITLE}">{_e(item.title)}</p>',
        f'<p style="{META}">{_e(item.byline)}</p>',
        f'<p style="{META};margin-bottom:12px">{_e(item.date)}</p>',
    ]
    lines += [f'<p style="{PARAGRAPH}">{_e(p).replace(chr(10), "<br>")}</p>' for p in item.paragraphs]
    if item.bare_source:
        lines.append(f'<p style="{SOURCE}">{_link(item.url)}</p>')
    else:
        lines.append(
            f'<p style="{SOURCE}"><strong>{SOURCE_LABEL}</strong><br>{_e(item.source_credit)}<br>{_link(item.url)}</p>'
        )
    return "\n".join(lines)


def _link(url: str) -> str:
    if re.match(r"^https?://", url, re.IGNORECASE):
        return f'<a href="{_e(url)}" style="{LINK}">{_e(url)}</a>'
    return _e(url)


def _e(text: str) -> str:
    return escape(text, quote=True)
