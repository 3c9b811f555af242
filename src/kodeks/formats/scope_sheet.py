"""Scopes from a sheet shaped like OS2mo's / FK Organisation's KLE export: organisation unit, KLE
code and aspect (*Udførende*, *Ansvarlig*, *Indsigt*).

Two shapes are read. A workbook whose sheets are named by aspect (OS2mo's ``kle.xlsx`` template:
sheet ``Ansvarlig`` with ``EmneNr`` and ``EnhedNavn``, sheets ``Indsigt`` and ``Udførende`` with
``EnhedNavn`` and ``KLE``); or one sheet (XLSX or CSV) with the columns ``unit``/``EnhedNavn``,
``kle``/``KLE``/``EmneNr`` and ``aspect``/``Aspekt``. Rows without a unit or a code are skipped. Each
(unit, aspect) becomes one scope; every code in it includes its subtree (a unit responsible for a
group is responsible for its emner).
"""

from __future__ import annotations

import csv
import io
from collections import defaultdict
from collections.abc import Iterable

from kodeks.domain.data.scope import Scope
from kodeks.errors import InputTooLarge, MalformedInput

ASPECTS = ("Udførende", "Ansvarlig", "Indsigt")
UNIT = ("enhednavn", "unit", "enhed", "org_unit", "organisationsenhed")
CODE = ("kle", "emnenr", "code", "kle-nummer", "klenummer")
ASPECT = ("aspect", "aspekt")
MAX_ROWS = 200_000
MAX_BYTES = 50 * 1024 * 1024


def _column(header: list[str], names: tuple[str, ...]) -> int | None:
    lowered = [h.strip().lower() for h in header]
    return next((i for i, h in enumerate(lowered) if h in names), None)


def _rows(
    header: list[str], rows: Iterable[list[str]], aspect: str | None, source: str
) -> list[tuple[str, str, str]]:
    unit_at, code_at, aspect_at = _column(header, UNIT), _column(header, CODE), _column(header, ASPECT)
    if unit_at is None or code_at is None or (aspect is None and aspect_at is None):
        raise MalformedInput(
            "a scope sheet needs the columns EnhedNavn (unit), KLE (code) and Aspekt "
            "(or sheets named by aspect)",
            source=source,
        )
    out = []
    for n, row in enumerate(rows, start=2):
        if n > MAX_ROWS:
            raise InputTooLarge(f"more than {MAX_ROWS} rows", source=source)
        unit, code = _cell(row, unit_at), _cell(row, code_at)
        if unit and code:
            out.append((unit, code, aspect or _cell(row, aspect_at)))
    return out


def _cell(row: list[str], at: int | None) -> str:
    return (row[at] if at is not None and at < len(row) else "").strip()


def _text(value: object) -> str:
    return "" if value is None else str(value)


def read_assignments(data: bytes, filename: str) -> list[tuple[str, str, str]]:
    """(unit, code, aspect) of every assignment in the sheet."""
    if len(data) > MAX_BYTES:
        raise InputTooLarge(f"the sheet is larger than {MAX_BYTES // (1024 * 1024)} MB", source=filename)
    if not data:
        raise MalformedInput("the file is empty (0 bytes)", source=filename)
    if filename.lower().endswith(".xlsx"):
        return _xlsx(data, filename)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise MalformedInput("not UTF-8 text", source=filename) from None
    dialect = ";" if text.split("\n", 1)[0].count(";") > text.split("\n", 1)[0].count(",") else ","
    rows = list(csv.reader(io.StringIO(text), delimiter=dialect))
    if not rows:
        raise MalformedInput("no header line", source=filename)
    return _rows(rows[0], rows[1:], None, filename)


def _xlsx(data: bytes, filename: str) -> list[tuple[str, str, str]]:
    import zipfile

    import openpyxl

    try:
        with zipfile.ZipFile(io.BytesIO(data)) as z:
            if sum(i.file_size for i in z.infolist()) > 10 * MAX_BYTES:
                raise InputTooLarge("the workbook unpacks to more than 500 MB", source=filename)
        book = openpyxl.load_workbook(io.BytesIO(data), read_only=True, data_only=True)
    except (zipfile.BadZipFile, KeyError, OSError, ValueError) as exc:
        raise MalformedInput(f"not an XLSX workbook ({type(exc).__name__})", source=filename) from None
    try:
        named = [ws for ws in book.worksheets if ws.title in ASPECTS]
        sheets = [(ws, ws.title) for ws in named] or [(book.worksheets[0], None)]
        out: list[tuple[str, str, str]] = []
        for ws, aspect in sheets:
            rows = ([_text(v) for v in row] for row in ws.iter_rows(values_only=True))
            header = next(rows, None)
            if header is None:
                continue
            out += _rows(header, rows, aspect, f"{filename} [{ws.title}]")
        return out
    finally:
        book.close()


def scopes_of(assignments: Iterable[tuple[str, str, str]]) -> list[Scope]:
    """One scope per (unit, aspect), its codes as subtrees, in first-seen order."""
    grouped: dict[tuple[str, str], list[str]] = defaultdict(list)
    for unit, code, aspect in assignments:
        entry = code if code.endswith("*") else f"{code}.*"
        if entry not in grouped[(unit, aspect)]:
            grouped[(unit, aspect)].append(entry)
    return [Scope.of(codes, aspect=aspect or None, unit=unit) for (unit, aspect), codes in grouped.items()]
