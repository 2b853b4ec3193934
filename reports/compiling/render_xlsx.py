"""The XLSX annex: the ACLED-style data annex on the first sheet, then a sheet per table of the report
(never the confidential block: no submitter, no sources). Rows in the report's order."""

import datetime as dt
import io
import re

from openpyxl import Workbook
from openpyxl.styles import Font
from openpyxl.utils import get_column_letter

from reports.compiling.document import Document, Table

_SHEET_FORBIDDEN = re.compile(r"[\[\]\*\?/\\:]")


def _sheet_title(name: str, used: set[str]) -> str:
    base = _SHEET_FORBIDDEN.sub("-", name)[:31] or "sheet"
    title, n = base, 2
    while title.lower() in used:
        suffix = f"-{n}"
        title, n = base[: 31 - len(suffix)] + suffix, n + 1
    used.add(title.lower())
    return title


def _write(sheet, table: Table) -> None:
    sheet.append([str(column) for column in table.columns])
    for cell in sheet[1]:
        cell.font = Font(bold=True)
    for row in table.rows:
        sheet.append(
            [value if isinstance(value, int | float) or value is None else str(value) for value in row]
        )
    if table.note:
        sheet.append([])
        sheet.append([str(table.note)])
    for i, column in enumerate(table.columns, start=1):
        width = max(
            [len(str(column)), *(len(str(row[i - 1])) for row in table.rows[:200] if row[i - 1] is not None)]
        )
        sheet.column_dimensions[get_column_letter(i)].width = min(max(width + 2, 8), 60)
    sheet.freeze_panes = "A2"


def render_xlsx(document: Document, *, created: dt.datetime) -> bytes:
    workbook = Workbook()
    used: set[str] = set()
    first = workbook.active
    tables = ([document.annex] if document.annex else []) + document.tables
    if not tables:
        tables = [
            Table(
                key="figures", caption=document.title, columns=["figure", "value"], rows=document.key_figures
            )
        ]
    for i, table in enumerate(tables):
        sheet = first if i == 0 else workbook.create_sheet()
        sheet.title = _sheet_title(table.key, used)
        _write(sheet, table)
    # A fixed creation time (the report's compile time): the same report gives the same properties.
    workbook.properties.created = created.replace(tzinfo=None)
    workbook.properties.modified = created.replace(tzinfo=None)
    workbook.properties.title = document.title
    buffer = io.BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()
