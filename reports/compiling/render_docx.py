"""The DOCX: the same document as the PDF, editable, for the lawyer (the WGAD form) or an office that will
adapt the text. Placeholders are left as visible boxes of text to replace."""

import datetime as dt
import io

from django.utils.translation import gettext, ngettext
from docx import Document as Docx
from docx.enum.section import WD_ORIENT
from docx.shared import Pt, RGBColor

from reports.compiling.document import Document, Section


def _paragraphs(doc, text: str) -> None:
    for part in (text or "").split("\n\n"):
        if part.strip():
            doc.add_paragraph(part.strip())


def _table(doc, columns, rows, caption: str = "") -> None:
    if caption:
        doc.add_paragraph(caption).runs[0].bold = True
    table = doc.add_table(rows=1, cols=len(columns))
    table.style = "Table Grid"
    for cell, column in zip(table.rows[0].cells, columns, strict=True):
        cell.text = str(column)
        cell.paragraphs[0].runs[0].bold = True
    for row in rows:
        cells = table.add_row().cells
        for cell, value in zip(cells, row, strict=True):
            cell.text = "" if value is None else str(value)


def _left_out(doc, table) -> None:
    if table.rows_left_out:
        text = ngettext(
            "%(n)s more row is in the XLSX annex.",
            "%(n)s more rows are in the XLSX annex.",
            table.rows_left_out,
        ) % {"n": table.rows_left_out}
        doc.add_paragraph(text).runs[0].italic = True


def _section(doc, section: Section) -> None:
    doc.add_heading(section.title, level=1)
    _paragraphs(doc, section.text)
    for block in section.blocks:
        if block.kind == "table":
            _table(doc, block.columns, block.shown_rows, block.caption)
            _left_out(doc, block)
            if block.note:
                doc.add_paragraph(str(block.note)).runs[0].italic = True
        elif block.kind == "fields":
            _table(doc, [gettext("Question"), gettext("Answer")], block.rows, block.caption)
        elif block.kind == "paragraphs":
            for text in block.texts:
                paragraph = doc.add_paragraph(text)
                if block.placeholder:
                    run = paragraph.runs[0]
                    run.italic = True
                    run.font.color.rgb = RGBColor(0x8C, 0x2D, 0x19)
        # Charts stay in the PDF: the DOCX is for editing text.


def render_docx(document: Document, *, created: dt.datetime) -> bytes:
    doc = Docx()
    doc.styles["Normal"].font.name = "DejaVu Sans"
    doc.styles["Normal"].font.size = Pt(10)
    doc.core_properties.title = document.title
    doc.core_properties.created = created.replace(tzinfo=None)
    doc.core_properties.modified = created.replace(tzinfo=None)
    doc.core_properties.language = document.language
    doc.add_heading(document.title, level=0)
    doc.add_paragraph(document.recipient)
    doc.add_paragraph(document.period)
    if document.subtitle:
        doc.add_paragraph(document.subtitle)
    if document.key_figures:
        _table(doc, [gettext("Key figure"), gettext("Number")], document.key_figures, gettext("Key figures"))
    for section in document.public_sections:
        _section(doc, section)
    if document.annex is not None:
        annex = doc.add_section()
        annex.orientation = WD_ORIENT.LANDSCAPE
        annex.page_width, annex.page_height = annex.page_height, annex.page_width
        doc.add_heading(document.annex.caption, level=1)
        columns = ANNEX_COLUMNS
        index = [document.annex.columns.index(c) for c in columns]
        _table(doc, columns, [[row[i] for i in index] for row in document.annex.shown_rows])
        _left_out(doc, document.annex)
        doc.add_paragraph(str(document.annex.note)).runs[0].italic = True
    if document.confidential_sections or document.sources:
        doc.add_page_break()
        doc.add_heading(gettext("Confidential: not for publication"), level=1)
        doc.add_paragraph(document.confidential_note)
        for section in document.confidential_sections:
            _section(doc, section)
        if document.sources:
            doc.add_heading(gettext("Sources"), level=2)
            for line in document.sources:
                doc.add_paragraph(line, style="List Number")
    buffer = io.BytesIO()
    doc.save(buffer)
    return buffer.getvalue()


# The annex has ACLED's many columns; the documents show the ones a reader needs, the XLSX has them all.
ANNEX_COLUMNS = [
    "event_date",
    "admin1",
    "location",
    "sub_event_type",
    "assoc_actor_1",
    "demands",
    "participants_low",
    "detentions",
    "outcome",
    "source",
]
