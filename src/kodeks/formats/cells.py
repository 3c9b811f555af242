"""Cells a spreadsheet program will not run: the tabular writers' defence against formula injection.

A title such as ``=HYPERLINK("http://x","y")`` or ``=cmd|' /C calc'!A0`` is text in the registry, but a
spreadsheet opening an export would run it. So:

* **XLSX**: every cell is written as a string (openpyxl would otherwise store a value beginning with ``=``
  as a formula), and a string that would start a formula also gets Excel's *quote prefix* style, so
  editing the cell in Excel keeps it text. Reading the workbook back gives the exact value.
* **CSV** (as OWASP recommends): a value beginning with ``=``, ``+``, ``-``, ``@``, TAB or CR (or LF,
  which some readers make of a CR) gets a single quote in front (``'=HYPERLINK(...)``). A value that
  is a plain number (``-1``, ``+45``, ``-2.5``, ``1e-3``) is left alone: a spreadsheet reads it as that
  number and cannot make a formula of it, and codes such as ``-1`` stay usable. To keep Kodeks CSV
  lossless, a value that already begins with quotes followed by such a character gets one more
  quote, and :func:`from_csv_cell` removes exactly the one quote :func:`csv_cell` added.
"""

from __future__ import annotations

import io
import re
import zipfile
from collections.abc import Iterable
from datetime import datetime
from typing import Any

#: The first characters with which a spreadsheet starts a formula (or a DDE call).
TRIGGERS = ("=", "+", "-", "@", "\t", "\r", "\n")
_NUMBER = re.compile(r"[+-]?(?:\d+(?:[.,]\d*)?|[.,]\d+)(?:[eE][+-]?\d+)?")


def starts_formula(value: str) -> bool:
    """Would a spreadsheet read ``value`` (after any leading quotes) as a formula?"""
    bare = value.lstrip("'")
    return bare.startswith(TRIGGERS) and not _NUMBER.fullmatch(bare)


def csv_cell(value: str) -> str:
    """``value`` safe to open in a spreadsheet: a quote in front when it would start a formula."""
    return "'" + value if starts_formula(value) else value


def from_csv_cell(value: str) -> str:
    """The value :func:`csv_cell` was given (drops the one quote it added, nothing else)."""
    return value[1:] if value.startswith("'") and starts_formula(value[1:]) else value


def csv_row(values: Iterable[str]) -> list[str]:
    return [csv_cell(v) for v in values]


def xlsx_row(sheet: Any, values: Iterable[object]) -> list[Any]:
    """Write-only cells for ``sheet``: every value a string cell, never a formula."""
    from openpyxl.cell import WriteOnlyCell

    cells: list[Any] = []
    for value in values:
        text = "" if value is None else str(value)
        cell = WriteOnlyCell(sheet, value=text)
        cell.data_type = "s"
        if starts_formula(text):
            cell.quotePrefix = True
        cells.append(cell)
    return cells


#: The creation time written into every workbook, so the same content gives the same bytes.
FIXED_TIME = datetime(2000, 1, 1)


def stable_xlsx(workbook: Any) -> bytes:
    """An openpyxl workbook saved as bytes that depend on its content only: fixed creation and
    modification times and zip time stamps, workbook.xml second and uncompressed (so a sniffer finds it)."""
    workbook.properties.created = FIXED_TIME
    workbook.properties.creator = "Kodeks"
    raw = io.BytesIO()
    workbook.save(raw)
    out = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(raw.getvalue())) as src, zipfile.ZipFile(out, "w") as dst:
        names = src.namelist()
        first = [n for n in ("[Content_Types].xml", "xl/workbook.xml") if n in names]
        for name in first + [n for n in names if n not in first]:
            content = src.read(name)
            if name == "docProps/core.xml":
                content = re.sub(rb"(<dcterms:modified[^>]*>)[^<]*", rb"\g<1>2000-01-01T00:00:00Z", content)
            info = zipfile.ZipInfo(name, date_time=(1980, 1, 1, 0, 0, 0))
            info.compress_type = zipfile.ZIP_STORED if name == "xl/workbook.xml" else zipfile.ZIP_DEFLATED
            info.external_attr = 0o600 << 16
            dst.writestr(info, content)
    return out.getvalue()
