"""Plain text exactly in the sample's layout (the consistent version of it)."""

from __future__ import annotations

from crawler.bulletin.model import SEPARATOR, SOURCE_LABEL, Bulletin, Item

EXTENSION = "txt"


def render(bulletin: Bulletin) -> bytes:
    """The bulletin as UTF-8 text, one item after another, ``* * *`` between items."""
    blocks: list[str] = []
    if bulletin.heading:
        blocks.append(bulletin.heading + "\n")
    first = True
    for section in bulletin.sections:
        for index, item in enumerate(section.items):
            if not first:
                blocks.append(SEPARATOR)
            first = False
            # a title always follows a blank line: after its rubric header, or after the separator
            blocks.append(section.header + "\n" if index == 0 else "")
            blocks.append(_item(item))
    return ("\n".join(blocks) + "\n").encode("utf-8")


def _item(item: Item) -> str:
    lines = [item.title, item.byline, item.date, ""]
    lines.append("\n\n".join(item.paragraphs))
    lines += ["", item.url] if item.bare_source else ["", SOURCE_LABEL, "", item.source_credit, item.url]
    return "\n".join(lines)
