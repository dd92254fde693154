"""A spreadsheet file as a header row and rows of text, whatever program wrote it.

CSV from Excel in the Netherlands comes with semicolons and often in Windows-1252; CSV from
elsewhere with commas, tabs, a byte order mark. An Excel file is read from its first sheet.
Every cell becomes text (a date as ``YYYY-MM-DD HH:MM``, a whole number without ``.0``), so
the rules for a value are the same whatever the format.
"""

from __future__ import annotations

import csv
import io
import zipfile
from dataclasses import dataclass
from datetime import date, datetime, time

from django.utils.translation import gettext as _
from openpyxl import load_workbook

#: More rows than this is not a registration list but a mistake.
MAX_ROWS = 50_000
MAX_COLUMNS = 100
#: A cell longer than this is no name, address or description (a session's is far shorter).
MAX_CELL_CHARS = 10_000
#: What an .xlsx file may unpack to. A zip compresses repeated XML a thousandfold: 200 KB can
#: unpack to 200 MB, so the limit on the uploaded file alone says nothing.
MAX_UNPACKED_BYTES = 50 * 1024 * 1024


class UnreadableFile(Exception):
    """The file is not a table we can read; ``str()`` says why, for the organiser."""


@dataclass(frozen=True)
class Sheet:
    headers: list[str]
    rows: list[list[str]]  # each as long as ``headers``; an empty list for a blank line


def column_letter(index: int) -> str:
    """0 → A, 25 → Z, 26 → AA: the column as a spreadsheet names it."""
    letters = ""
    index += 1
    while index:
        index, remainder = divmod(index - 1, 26)
        letters = chr(ord("A") + remainder) + letters
    return letters


def _cell_text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, datetime):
        return (
            value.strftime("%Y-%m-%d %H:%M")
            if value.time() != time(0)
            else value.date().isoformat()
        )
    if isinstance(value, date):
        return value.isoformat()
    if isinstance(value, time):
        return value.strftime("%H:%M")
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value).strip()


def _decode(content: bytes) -> str:
    for encoding in ("utf-8-sig", "cp1252"):
        try:
            return content.decode(encoding)
        except UnicodeDecodeError:
            continue
    raise UnreadableFile(_("The file is not text in a known encoding: save it as CSV UTF-8."))


def _read_csv(content: bytes) -> list[list[str]]:
    text = _decode(content)
    if "\x00" in text:
        raise UnreadableFile(_("This is not a CSV file. Choose a .csv or .xlsx file."))
    first_line = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first_line.count)
    rows: list[list[str]] = []
    try:
        for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter):
            if len(rows) > MAX_ROWS + 1:
                break
            cells = [cell.strip() for cell in row[: MAX_COLUMNS + 1]]
            for column, cell in enumerate(cells):
                if len(cell) > MAX_CELL_CHARS:
                    raise _too_long(len(rows) + 1, column)
            rows.append(cells)
        return rows
    except csv.Error as error:
        raise UnreadableFile(
            _("The CSV file cannot be read: %(problem)s.") % {"problem": error}
        ) from error


def _not_xlsx() -> UnreadableFile:
    return UnreadableFile(
        _("This is not an Excel file (.xlsx) we can read. Save it again as .xlsx or CSV.")
    )


def _check_unpacked_size(content: bytes) -> None:
    """Refuse a zip that unpacks to more than ``MAX_UNPACKED_BYTES``, before unpacking it.

    The sizes come from the zip's directory; a member that lies about its size is stopped by
    the zip module itself when it unpacks more than it said.
    """
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            unpacked = sum(member.file_size for member in archive.infolist())
    except (zipfile.BadZipFile, OSError, ValueError) as error:
        raise _not_xlsx() from error
    if unpacked > MAX_UNPACKED_BYTES:
        raise UnreadableFile(
            _(
                "The Excel file unpacks to %(size)s MB, more than %(limit)s MB. Save only the "
                "sheet with the list, or save it as CSV."
            )
            % {"size": unpacked >> 20, "limit": MAX_UNPACKED_BYTES >> 20}
        )


def _too_long(row: int, column: int) -> UnreadableFile:
    return UnreadableFile(
        _("Cell %(cell)s has more than %(count)s characters.")
        % {"cell": f"{column_letter(column)}{row}", "count": MAX_CELL_CHARS}
    )


def _read_xlsx(content: bytes) -> list[list[str]]:
    _check_unpacked_size(content)
    try:
        workbook = load_workbook(io.BytesIO(content), read_only=True, data_only=True)
    except Exception as error:
        # openpyxl raises whatever its XML and zip layers raise on a damaged or crafted file.
        raise _not_xlsx() from error
    try:
        sheet = workbook.worksheets[0]
        rows: list[list[str]] = []
        for values in sheet.iter_rows(values_only=True):
            if len(rows) > MAX_ROWS + 1:
                break
            row = [_cell_text(value) for value in values[: MAX_COLUMNS + 1]]
            for column, text in enumerate(row):
                if len(text) > MAX_CELL_CHARS:
                    raise _too_long(len(rows) + 1, column)
            rows.append(row)
        return rows
    except UnreadableFile:
        raise
    except Exception as error:  # malformed XML inside the zip, found while reading the rows
        raise _not_xlsx() from error
    finally:
        workbook.close()


def read_sheet(*, filename: str, content: bytes) -> Sheet:
    """The first row as headers, the others as rows; empty rows and empty trailing columns
    are left out. Raises ``UnreadableFile`` with the reason."""
    if filename.lower().endswith((".xlsx", ".xlsm")) or content[:4] == b"PK\x03\x04":
        raw = _read_xlsx(content)
    else:
        raw = _read_csv(content)
    while raw and not any(raw[0]):
        raw.pop(0)
    if not raw:
        raise UnreadableFile(_("The file is empty."))
    headers = raw[0]
    while headers and not headers[-1]:
        headers = headers[:-1]
    if not headers:
        raise UnreadableFile(_("The first row has no column names."))
    if len(headers) > MAX_COLUMNS:
        raise UnreadableFile(
            _("The file has more than %(count)s columns.") % {"count": MAX_COLUMNS}
        )
    width = len(headers)
    rows: list[list[str]] = []
    for row in raw[1:]:
        if not any(cell for cell in row):
            rows.append([])  # kept, so row numbers stay those of the file
            continue
        rows.append((row + [""] * width)[:width])
    while rows and not rows[-1]:
        rows.pop()
    if len(rows) > MAX_ROWS:
        raise UnreadableFile(
            _("The file has more than %(count)s rows; split it in parts.") % {"count": MAX_ROWS}
        )
    headers = [header or column_letter(i) for i, header in enumerate(headers)]
    return Sheet(headers=headers, rows=rows)
