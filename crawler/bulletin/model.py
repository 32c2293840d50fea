"""The bulletin as data: ordered rubric sections of items, every string already in bulletin form.

The renderers (one module per format) only lay this out; every rule of the sample's format that is
not layout — rubric order, upper-cased titles, bylines, genitive dates, the source credit — is here.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Collection, Iterable, Sequence
from dataclasses import dataclass, field, replace
from datetime import date, datetime
from typing import Any

from crawler import outlets, settings
from crawler.dates import ALMATY, format_date
from crawler.rules import load_rules

SOURCE_LABEL = "ИСТОЧНИК:"
SEPARATOR = "* * *"
# What the editor sees in place of a gap, so a missing field is noticed, not silently dropped.
NO_TITLE = "[БЕЗ ЗАГОЛОВКА]"
NO_DATE = "[дата не указана]"
NO_TEXT = "[текст статьи пуст]"

# Scraped text can carry characters that have no place in a bulletin and that some formats turn into
# trouble: C0/C1 control characters (NUL, ESC, ...; XML forbids most), bidirectional overrides that
# reorder what a reader sees, byte-order marks, non-characters, and the private-use area (icon-font
# glyphs; the review page's search uses two of them as hit markers). They are dropped from every string
# of the bulletin, so no format — txt, html, md, docx — ever carries them. Newline and tab stay.
_UNWANTED = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u202a-\u202e\u2066-\u2069\ufeff\ufffe\uffff\ue000-\uf8ff]")
_PLACEHOLDER = re.compile(r"\{(\w+)\}")
_PERSON_WORD = re.compile(r"^[A-ZА-ЯЁӘҒҚҢӨҰҮҺІ][A-Za-zА-Яа-яЁёӘәҒғҚқҢңӨөҰұҮүҺһІі'’-]*$")
_CYRILLIC = re.compile(r"[\u0400-\u04FF]")


def rubric_order(rules_dir: str = settings.CRAWLER_RULES_DIR) -> list[str]:
    """The rubric names in bulletin order, as the rules declare them."""
    return list(load_rules(rules_dir).rubrics)


@dataclass(frozen=True)
class Item:
    """One article in bulletin form."""

    id: int
    rubric: str
    title: str  # upper-cased as the bulletin prints it
    byline: str
    date: str  # '12 ноября 2025 г.' or NO_DATE
    paragraphs: tuple[str, ...]
    source_credit: str  # 'Интернет-издание «Власть»'
    url: str
    gaps: tuple[str, ...] = ()  # what was missing: 'title', 'date', 'text'
    lang: str = ""  # the article's language ('ru', 'kk'): the Word export marks Kazakh text as Kazakh
    bare_source: bool = False  # house style: the Bureau's own items end with their bare URL only


@dataclass(frozen=True)
class Section:
    """A rubric and its items in the editor's order."""

    rubric: str
    header: str  # '«Политзаключенные»' or 'NOTA BENE'
    items: tuple[Item, ...]


@dataclass(frozen=True)
class Bulletin:
    """What every renderer lays out."""

    number: int
    date: date
    sections: tuple[Section, ...]
    heading: str = ""  # empty: no heading, as in the sample
    draft: bool = False
    unknown_rubrics: tuple[str, ...] = ()  # approved under a rubric rules/ no longer has
    warnings: tuple[str, ...] = field(default=())

    @property
    def items(self) -> list[Item]:
        return [item for section in self.sections for item in section.items]

    @property
    def title(self) -> str:
        return self.heading or f"Бюллетень № {self.number} от {format_date(self.date)}"


def build_bulletin(
    rows: Iterable[dict[str, Any]],
    *,
    number: int,
    on: date,
    order: Sequence[str] | None = None,
    heading_template: str = "",
    draft: bool = False,
    credit: Callable[[str], str] = outlets.credit,
    staff_credit: Callable[[str], str] = outlets.staff_credit,
    bare_url_outlets: Collection[str] = (),
) -> Bulletin:
    """The bulletin from store rows. With ``order`` (rubric names), sections follow it and rubrics not
    in it come last, reported; without it, the rows are taken as already in bulletin order (a re-render).
    Items of ``bare_url_outlets`` (setting ``bulletin_bare_url_outlets``) are cited by their bare URL."""
    rows = list(rows)
    groups: dict[str, list[dict[str, Any]]] = {}
    for row in rows:
        groups.setdefault(row.get("approved_rubric") or row.get("rubric") or "", []).append(row)
    unknown: list[str] = []
    if order is not None:
        known = [r for r in order if r in groups]
        unknown = [r for r in groups if r not in order]
        names = known + unknown
    else:
        names = list(groups)
    sections, warnings = [], []
    for name in names:
        items = tuple(
            replace(_item(row, name, credit, staff_credit), bare_source=row["outlet"] in bare_url_outlets)
            for row in groups[name]
        )
        sections.append(Section(rubric=name, header=clean(rubric_header(name)), items=items))
        warnings += [f"article {item.id} ({item.url}) has no {', no '.join(item.gaps)}" for item in items if item.gaps]
    warnings += [
        f"rubric {name or '(none)'!r} is not in the rules any more: its {len(groups[name])} item(s)"
        " are exported after the others"
        for name in unknown
    ]
    heading = clean(fill(heading_template, number=number, date=format_date(on))) if heading_template else ""
    return Bulletin(
        number=number,
        date=on,
        sections=tuple(sections),
        heading=heading,
        draft=draft,
        unknown_rubrics=tuple(unknown),
        warnings=tuple(warnings),
    )


def rubric_header(rubric: str) -> str:
    """'«Политзаключенные»'; a name written in capitals (NOTA BENE) stands bare, as in the sample."""
    if not rubric:
        return "«Без рубрики»"
    return rubric if rubric == rubric.upper() else f"«{rubric}»"


def upper_title(title: str) -> str:
    """Upper-case the Cyrillic letters only: quotes, digits and Latin names (Orda.kz, iPhone) stay as written."""
    return "".join(ch.upper() if _CYRILLIC.match(ch) else ch for ch in " ".join(title.split()))


def byline(author: str | None, credit: str, staff_credit: str) -> str:
    """'Тамара ВААЛЬ, интернет-издание «Власть»' for a person; the staff credit when unsigned; an
    organisation's unit ('Филиал КМБПЧ в Астане') as written on the page."""
    author = " ".join((author or "").split())
    if not author:
        return staff_credit
    words = author.split(" ")
    if 2 <= len(words) <= 3 and all(_PERSON_WORD.match(w) for w in words):
        given = [w if not w.isupper() else w.capitalize() for w in words[:-1]]  # 'МИРБОЛАТ' → 'Мирболат'
        return f"{' '.join([*given, words[-1].upper()])}, {credit}"
    return author


def published_date(published: str | None) -> date | None:
    """The calendar day in Almaty of an ISO 8601 timestamp (naive means Almaty); None if absent or unreadable."""
    if not published:
        return None
    try:
        moment = datetime.fromisoformat(published.strip())
    except ValueError:
        return None
    if moment.tzinfo is not None:
        moment = moment.astimezone(ALMATY)
    return moment.date()


def paragraphs(text: str | None) -> tuple[str, ...]:
    """The body's paragraphs: blocks separated by blank lines, each line stripped."""
    blocks = re.split(r"\n\s*\n", (text or "").replace("\r\n", "\n").strip())
    result = []
    for block in blocks:
        lines = [line.strip() for line in block.split("\n") if line.strip()]
        if lines:
            result.append("\n".join(lines))
    return tuple(result)


def fill(template: str, **values: Any) -> str:
    """``template`` with ``{name}`` replaced for the given names only; every other brace stays as written
    (``str.format`` would fail on a stray ``{`` and let ``{number.__class__}`` reach into objects)."""
    return _PLACEHOLDER.sub(lambda m: str(values[m.group(1)]) if m.group(1) in values else m.group(0), template)


def clean(text: str | None) -> str:
    """``text`` without the characters no bulletin format should carry (see _UNWANTED); CR becomes LF."""
    return _UNWANTED.sub("", (text or "").replace("\r\n", "\n").replace("\r", "\n"))


def _item(row: dict[str, Any], rubric: str, credit: Callable[[str], str], staff_credit: Callable[[str], str]) -> Item:
    gaps = []
    title = clean(row.get("edited_title") or row.get("title"))
    if not title.strip():
        gaps.append("title")
    day = published_date(row.get("published"))
    if day is None:
        gaps.append("date")
    body = paragraphs(clean(row.get("edited_text") or row.get("text")))
    if not body:
        gaps.append("text")
    outlet_credit = credit(row["outlet"])
    return Item(
        id=int(row["id"]),
        rubric=rubric,
        title=upper_title(title) if title.strip() else NO_TITLE,
        byline=byline(clean(row.get("author")), outlet_credit, staff_credit(row["outlet"])),
        date=format_date(day) if day else NO_DATE,
        paragraphs=body or (NO_TEXT,),
        source_credit=outlets.capitalised(outlet_credit),
        url=clean(row.get("url")),
        gaps=tuple(gaps),
        lang=row.get("lang") or "",
    )
