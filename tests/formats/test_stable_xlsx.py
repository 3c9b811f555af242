"""Every XLSX Kodeks writes depends on its content only (``cells.stable_xlsx``): the same content at
another moment gives the same bytes, so exports can be compared and cached."""

from __future__ import annotations

import io
import zipfile
from datetime import datetime

from openpyxl import Workbook

from kodeks.formats.cells import stable_xlsx


def _book(moment: datetime) -> Workbook:
    book = Workbook(write_only=True)
    book.properties.created = moment
    book.properties.modified = moment
    sheet = book.create_sheet("Ark")
    sheet.append(["kode", "titel"])
    sheet.append(["27.24.00", "Særlig støtte"])
    return book


def test_the_moment_of_writing_leaves_no_trace() -> None:
    early, late = stable_xlsx(_book(datetime(2001, 2, 3, 4, 5, 6))), stable_xlsx(_book(datetime(2031, 1, 1)))
    assert early == late
    with zipfile.ZipFile(io.BytesIO(early)) as archive:
        assert {i.date_time for i in archive.infolist()} == {(1980, 1, 1, 0, 0, 0)}
        assert archive.namelist()[:2] == ["[Content_Types].xml", "xl/workbook.xml"]
        core = archive.read("docProps/core.xml")
    assert b"2031-01-01" not in core and b"2001-02-03" not in core
