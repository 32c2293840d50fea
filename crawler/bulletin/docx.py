"""Word (.docx) for distribution: rubric headers as Heading 1 (Word's navigation pane lists them),
bold titles, byline and date set apart from the body, each source a working hyperlink. A4 pages; the
document's language is Russian (ru-RU) and a Kazakh item's text Kazakh (kk-KZ), so Word checks the
spelling in the right language instead of marking every word as an English misspelling."""

from __future__ import annotations

import io
import re
from datetime import datetime, time

import docx
from docx.enum.text import WD_ALIGN_PARAGRAPH
from docx.opc.constants import RELATIONSHIP_TYPE
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt, RGBColor
from docx.text.paragraph import Paragraph

from crawler.bulletin.model import SEPARATOR, SOURCE_LABEL, Bulletin, Item
from crawler.dates import ALMATY

EXTENSION = "docx"
META_COLOUR = RGBColor(0x55, 0x55, 0x55)
LANGUAGES = {"ru": "ru-RU", "kk": "kk-KZ"}
LINK_COLOUR = RGBColor(0x05, 0x63, 0xC1)
# XML 1.0 forbids most control characters; scraped text can carry them and lxml would refuse the document.
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


def render(bulletin: Bulletin) -> bytes:
    """The bulletin as a .docx file's bytes."""
    document = docx.Document()
    _page(document)
    _language(document)
    _properties(document, bulletin)
    if bulletin.heading:
        document.add_heading(_clean(bulletin.heading), level=0)
    first = True
    for section in bulletin.sections:
        for index, item in enumerate(section.items):
            if not first:
                separator = document.add_paragraph(SEPARATOR)
                separator.alignment = WD_ALIGN_PARAGRAPH.CENTER
            first = False
            if index == 0:
                document.add_heading(_clean(section.header), level=1)
            _item(document, item)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def _page(document: docx.document.Document) -> None:
    for section in document.sections:  # the template is US Letter
        section.page_width, section.page_height = Mm(210), Mm(297)
        section.left_margin = section.right_margin = Mm(20)
        section.top_margin = section.bottom_margin = Mm(20)


def _language(document: docx.document.Document) -> None:
    """Russian as the default language of every run (docDefaults), in place of the template's en-US."""
    styles = document.styles.element
    defaults = styles.find(qn("w:docDefaults"))
    rpr = defaults.find(qn("w:rPrDefault")).find(qn("w:rPr"))
    lang = rpr.find(qn("w:lang"))
    if lang is None:
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), LANGUAGES["ru"])
    lang.set(qn("w:eastAsia"), LANGUAGES["ru"])
    for style_lang in styles.iter(qn("w:lang")):  # a style that names a language of its own
        if style_lang is not lang:
            style_lang.set(qn("w:val"), LANGUAGES["ru"])


def _mark_language(paragraph: Paragraph, lang: str) -> None:
    """Every run of ``paragraph`` in ``lang`` (a Kazakh item inside the Russian document)."""
    code = LANGUAGES.get(lang)
    if not code or code == LANGUAGES["ru"]:
        return
    for run in paragraph.runs:
        element = OxmlElement("w:lang")
        element.set(qn("w:val"), code)
        run._r.get_or_add_rPr().append(element)


def _properties(document: docx.document.Document, bulletin: Bulletin) -> None:
    props = document.core_properties
    props.title = _clean(bulletin.title)
    props.subject = "Бюллетень" + (" (черновик)" if bulletin.draft else "")
    props.author = "bulletin-crawler"
    props.last_modified_by = "bulletin-crawler"
    props.comments = "; ".join(section.rubric for section in bulletin.sections)
    moment = datetime.combine(bulletin.date, time(12, 0), tzinfo=ALMATY)
    props.created = moment
    props.modified = moment


def _item(document: docx.document.Document, item: Item) -> None:
    title = document.add_paragraph()
    title.paragraph_format.keep_with_next = True
    title.paragraph_format.space_before = Pt(12)
    title.add_run(_clean(item.title)).bold = True
    _mark_language(title, item.lang)
    for text in (item.byline, item.date):
        meta = document.add_paragraph()
        meta.paragraph_format.keep_with_next = True
        meta.paragraph_format.space_after = Pt(0)
        run = meta.add_run(_clean(text))
        run.italic = True
        run.font.size = Pt(10)
        run.font.color.rgb = META_COLOUR
    meta.paragraph_format.space_after = Pt(10)
    for paragraph in item.paragraphs:
        body = document.add_paragraph()
        for index, line in enumerate(paragraph.split("\n")):
            if index:
                body.add_run().add_break()
            body.add_run(_clean(line))
        _mark_language(body, item.lang)
    source = document.add_paragraph()
    source.paragraph_format.space_before = Pt(6)
    if not item.bare_source:  # house style: the Bureau's own items end with the bare URL
        source.add_run(SOURCE_LABEL).bold = True
        source.add_run().add_break()
        source.add_run(_clean(item.source_credit))
        source.add_run().add_break()
    _link(source, item.url)


def _link(paragraph: Paragraph, url: str) -> None:
    """A real hyperlink for http(s) URLs; anything else (a hostile scheme, no URL) stays plain text."""
    url = _clean(url)
    if not re.match(r"^https?://", url, re.IGNORECASE):
        paragraph.add_run(url)
        return
    r_id = paragraph.part.relate_to(url, RELATIONSHIP_TYPE.HYPERLINK, is_external=True)
    hyperlink = OxmlElement("w:hyperlink")
    hyperlink.set(qn("r:id"), r_id)
    run = paragraph.add_run(url)
    run.font.color.rgb = LINK_COLOUR
    run.font.underline = True
    hyperlink.append(run._r)  # moves the run inside the hyperlink
    paragraph._p.append(hyperlink)


def _clean(text: str) -> str:
    return _NOT_XML.sub("", text)
