"""Markdown: a heading per rubric, the item title as a sub-heading, each source a link.
Scraped text is escaped so it stays text (no HTML, no links, no lists it did not ask for)."""

from __future__ import annotations

import re
from urllib.parse import quote

from crawler.bulletin.model import SEPARATOR, SOURCE_LABEL, Bulletin, Item

EXTENSION = "md"
_INLINE = re.compile(r"([\\`*_\[\]<>#|~&])")  # characters that change Markdown's meaning anywhere in a line
_LINE_START = re.compile(r"^(\s*)([-+=]|\d+)([.)]?)", re.MULTILINE)  # list and setext markers


def render(bulletin: Bulletin) -> bytes:
    """The bulletin as UTF-8 Markdown (CommonMark)."""
    blocks: list[str] = []
    if bulletin.heading:
        blocks.append(f"# {escape(bulletin.heading)}")
    first = True
    for section in bulletin.sections:
        for index, item in enumerate(section.items):
            if not first:
                blocks.append(SEPARATOR)
            first = False
            if index == 0:
                blocks.append(f"## {escape(section.header)}")
            blocks.append(_item(item))
    return ("\n\n".join(blocks) + "\n").encode("utf-8")


def _item(item: Item) -> str:
    lines = [f"### {escape(item.title)}", "", f"*{escape(item.byline)}*  ", f"*{escape(item.date)}*"]
    for paragraph in item.paragraphs:
        lines += ["", "  \n".join(escape(line) for line in paragraph.split("\n"))]
    lines += (
        ["", link(item.url)]
        if item.bare_source
        else ["", f"**{SOURCE_LABEL}** {escape(item.source_credit)}  ", link(item.url)]
    )
    return "\n".join(lines)


def escape(text: str) -> str:
    """``text`` as literal Markdown: inline markup characters backslash-escaped, and line-start markers too."""
    text = _INLINE.sub(r"\\\1", text)
    return _LINE_START.sub(_escape_marker, text)


def _escape_marker(match: re.Match[str]) -> str:
    indent, marker, dot = match.groups()
    if marker.isdigit():  # '1.' starts an ordered list, '1\.' does not; a bare number is harmless
        return f"{indent}{marker}\\{dot}" if dot else match.group(0)
    return f"{indent}\\{marker}{dot}"


def link(url: str) -> str:
    """An autolink for an http(s) URL (characters that would end it percent-encoded); other text escaped."""
    if re.match(r"^https?://", url, re.IGNORECASE):
        return "<" + quote(url, safe=":/?#[]@!$&'()*+,;=%~-._") + ">"
    return escape(url)
