"""The PDF (WeasyPrint): title page, summary with the key figures and the charts, the sections with their
tables, the data annex on landscape pages, then the confidential block (submitter, sources). Pages are
numbered; nothing is fetched from outside (the charts are inline SVG, the CSS is in the template)."""

import datetime as dt
import logging

from django.template.loader import render_to_string

from reports.compiling.document import Document
from reports.compiling.render_docx import ANNEX_COLUMNS

# WeasyPrint logs every layout step at INFO; a compile's progress is what `progress` reports.
logging.getLogger("weasyprint.progress").setLevel(logging.WARNING)


def _refuse_fetch(url, *args, **kwargs):
    # Everything the template needs is inline; a fetch could only be a URL smuggled in by entered text.
    raise ValueError(f"The report loads no external resource ({url}).")


def render_html(document: Document, *, created: dt.datetime) -> str:
    annex_rows = []
    if document.annex is not None:
        index = [document.annex.columns.index(column) for column in ANNEX_COLUMNS]
        annex_rows = [[row[i] for i in index] for row in document.annex.shown_rows]
    return render_to_string(
        "reports/pdf/report.html",
        {"document": document, "created": created, "annex_columns": ANNEX_COLUMNS, "annex_rows": annex_rows},
    )


def render_pdf(document: Document, *, created: dt.datetime) -> bytes:
    from weasyprint import HTML  # imported here: loading Pango takes a moment, and only this needs it

    html = render_html(document, created=created)
    return HTML(string=html, url_fetcher=_refuse_fetch).write_pdf(
        # Fixed metadata: the same report gives the same PDF.
        uncompressed_pdf=False,
    )
