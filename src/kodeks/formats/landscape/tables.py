"""Any landscape view as a CSV or XLSX download: a header and rows of text (formula-safe cells)."""

from __future__ import annotations

import csv
import io
from collections.abc import Sequence

from kodeks.formats.cells import csv_row, stable_xlsx, xlsx_row

MEDIA = {
    "csv": "text/csv; charset=utf-8",
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}


def write(
    format: str, header: Sequence[str], rows: Sequence[Sequence[object]], sheet: str = "Landskab"
) -> bytes:
    cells = [[_text(v) for v in row] for row in rows]
    if format == "csv":
        buffer = io.StringIO()
        writer = csv.writer(buffer, lineterminator="\n")
        writer.writerow(csv_row(header))
        for row in cells:
            writer.writerow(csv_row(row))
        return buffer.getvalue().encode("utf-8")
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    ws = book.create_sheet(sheet[:31])
    ws.append(xlsx_row(ws, header))
    for row in cells:
        ws.append(xlsx_row(ws, row))
    return stable_xlsx(book)


def _text(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, list | tuple):
        return "; ".join(_text(v) for v in value)
    return str(value)
