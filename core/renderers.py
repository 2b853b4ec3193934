import csv
from io import StringIO

from rest_framework_csv.renderers import CSVRenderer


class FlatCsvRenderer(CSVRenderer):
    """`?format=csv`: nested objects become dotted columns (charges.0.article)."""

    format = "csv"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        rendered = super().render(data, accepted_media_type, renderer_context or {})
        if not rendered:
            # An empty page still names its columns; an empty body would also lose its Content-Type (DRF
            # drops the header of an empty response).
            rendered = self._header_only((renderer_context or {}).get("view"))
        return rendered

    @staticmethod
    def _header_only(view) -> bytes:
        fields = list(view.get_serializer().fields) if hasattr(view, "get_serializer") else []
        buffer = StringIO()
        csv.writer(buffer).writerow(fields)
        return buffer.getvalue().encode()


# --- Exports (issue 8): the same rows as CSV, XLSX or JSON -------------------------------------------------

_XLSX_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
# A cell starting with one of these is a formula to Excel and LibreOffice: a name typed as "=HYPERLINK(…)"
# would run when a partner opens the export (CSV/formula injection), so it is quoted.
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def _cell(value):
    if isinstance(value, str) and value.startswith(_FORMULA_START):
        return "'" + value
    return value


def xlsx_bytes(headers: list[str], rows) -> bytes:
    """One worksheet: a bold header row, then `rows` (sequences of str, numbers, dates or None)."""
    import datetime as dt
    from io import BytesIO

    from django.utils import timezone
    from openpyxl import Workbook
    from openpyxl.cell import WriteOnlyCell
    from openpyxl.cell.cell import ILLEGAL_CHARACTERS_RE
    from openpyxl.styles import Font

    workbook = Workbook(write_only=True)
    sheet = workbook.create_sheet("export")
    bold = Font(bold=True)
    header_cells = []
    for header in headers:
        cell = WriteOnlyCell(sheet, value=str(header))
        cell.font = bold
        header_cells.append(cell)
    sheet.append(header_cells)
    for row in rows:
        values = []
        for value in row:
            if isinstance(value, dt.datetime) and value.tzinfo is not None:
                # Spreadsheets have no time zones: the local time, as the admin shows it.
                value = timezone.localtime(value).replace(tzinfo=None)
            elif not isinstance(value, (str, int, float, dt.date, type(None))):
                value = str(value)
            if isinstance(value, str):
                # Control characters are fine in JSON and CSV, not in an XLSX cell: drop them, keep the row.
                value = ILLEGAL_CHARACTERS_RE.sub("", value)
            values.append(_cell(value))
        sheet.append(values)
    buffer = BytesIO()
    workbook.save(buffer)
    return buffer.getvalue()


def csv_bytes(headers: list[str], rows) -> bytes:
    """UTF-8 with a BOM, so Excel opens Cyrillic text correctly."""
    buffer = StringIO()
    writer = csv.writer(buffer)
    writer.writerow(headers)
    for row in rows:
        writer.writerow(["" if v is None else _cell(v if isinstance(v, str) else str(v)) for v in row])
    return ("\ufeff" + buffer.getvalue()).encode()


class XlsxRenderer(FlatCsvRenderer):
    """`?format=xlsx`: the CSV renderer's flat columns (nested objects as dotted columns), as a workbook."""

    media_type = _XLSX_TYPE
    format = "xlsx"
    charset = None
    render_style = "binary"

    def render(self, data, accepted_media_type=None, renderer_context=None):
        renderer_context = renderer_context or {}
        if isinstance(data, dict) and "results" in data:
            data = data["results"]
        if not isinstance(data, list):
            data = [data] if data else []
        table = list(self.tablize(data, header=renderer_context.get("header")))
        if not table:
            view = renderer_context.get("view")
            fields = list(view.get_serializer().fields) if hasattr(view, "get_serializer") else []
            return xlsx_bytes(fields, [])
        return xlsx_bytes(list(table[0]), table[1:])
