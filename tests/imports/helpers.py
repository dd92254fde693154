"""Files as organisers bring them: CSV from Dutch Excel, CSV from elsewhere, real .xlsx."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from openpyxl import Workbook


def csv_file(
    rows: Sequence[Sequence[object]], *, delimiter: str = ";", encoding: str = "utf-8"
) -> bytes:
    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    writer.writerows([["" if v is None else str(v) for v in row] for row in rows])
    return out.getvalue().encode(encoding)


def xlsx_file(rows: Sequence[Sequence[object]]) -> bytes:
    workbook = Workbook()
    sheet = workbook.active
    assert sheet is not None
    for row in rows:
        sheet.append(list(row))
    out = io.BytesIO()
    workbook.save(out)
    return out.getvalue()
