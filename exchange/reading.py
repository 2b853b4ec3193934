"""Reading a spreadsheet into a header row and data rows, whatever monitors saved it as.

XLSX goes through openpyxl (read-only, cell values, so Excel dates arrive as datetimes). CSV is decoded
with the BOM when there is one, else UTF-8, else the byte guess of charset-normalizer (Windows-1251 and
KOI8-R files from Russian Excel are common); its delimiter is the one of `,;\\t|` its header row holds
most of (the csv module's Sniffer decides when it holds none). Entirely blank rows are dropped; row numbers
stay those of the spreadsheet.
"""

import csv
import io
import zipfile
from dataclasses import dataclass

from django.utils.translation import gettext as _

_DELIMITERS = ",;\t|"


class SpreadsheetError(ValueError):
    """The file cannot be read as a spreadsheet at all (not a row-level problem)."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[tuple[int, list]]  # (row number as the spreadsheet shows it, cell values)


def _blank(value) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _decode(data: bytes) -> str:
    if data.startswith(b"\xef\xbb\xbf"):
        return data[3:].decode("utf-8")
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        return data.decode("utf-16")
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:200_000], cp_isolation=["cp1251", "koi8_r", "cp866", "mac_cyrillic", "latin_1"])
    match = best.best()
    if match is None:
        raise SpreadsheetError(_("The file is neither a readable CSV (no known text encoding) nor XLSX."))
    return data.decode(match.encoding)


def _read_csv(data: bytes) -> list[list]:
    text = _decode(data)
    # The header row says it best: the candidate it holds most of. The Sniffer guesses from a few rows and
    # easily mistakes "Дата задержания;Город" for one column; it only decides when the header has none.
    header = next((line for line in text.splitlines() if line.strip()), "")
    counts = {d: header.count(d) for d in _DELIMITERS}
    delimiter = max(counts, key=counts.get)
    if counts[delimiter]:
        return list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    try:
        dialect = csv.Sniffer().sniff(text[:20_000], delimiters=_DELIMITERS)
    except csv.Error:
        dialect = csv.excel
    return list(csv.reader(io.StringIO(text, newline=""), dialect))


def _read_xlsx(data: bytes) -> list[list]:
    from openpyxl import load_workbook

    try:
        workbook = load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise SpreadsheetError(_("The XLSX file cannot be opened: %(error)s") % {"error": exc}) from exc
    try:
        sheet = workbook.worksheets[0]
        return [list(row) for row in sheet.iter_rows(values_only=True)]
    finally:
        workbook.close()


def read_sheet(*, data: bytes, file_name: str) -> Sheet:
    """The first worksheet of an XLSX, or a CSV. Raises SpreadsheetError when the file has no header row."""
    if data[:4] == b"PK\x03\x04" or file_name.lower().endswith((".xlsx", ".xlsm")):
        table = _read_xlsx(data)
    else:
        table = _read_csv(data)
    numbered = [(number, row) for number, row in enumerate(table, start=1) if not all(map(_blank, row))]
    if not numbered:
        raise SpreadsheetError(_("The file is empty: it needs a header row and at least one data row."))
    _header_number, header = numbered[0]
    headers = ["" if cell is None else str(cell).strip() for cell in header]
    while headers and not headers[-1]:
        headers.pop()
    rows = [(number, list(row)) for number, row in numbered[1:]]
    return Sheet(headers=headers, rows=rows)
