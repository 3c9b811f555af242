"""A requirement set as a workbook for suppliers, and their filled-in answers read back.

Sheet ``Krav``: a title row, a ``Leverandør`` row for the supplier's name, then one row per
requirement: ``Kravnr.``, ``Version``, ``Kategori``, ``Titel``, ``Kravtekst``, ``Prioritet``,
``Verifikation``, ``Principper``, ``Begrundelse``, ``Lokalt tilpasset``, and the response columns
``Opfyldelse`` (Ja / Delvist / Nej) and ``Leverandørens svar``. Every cell is a string (never a
formula; see ``formats.cells``). Sheet ``Om`` names the set and its revision.

Reading answers: the sheet ``Krav`` (else the first), the row whose first cell is ``Kravnr.`` is the
header; ``Kravnr.``, ``Opfyldelse`` and ``Leverandørens svar`` are needed. Rows without a requirement
number are skipped; a bad compliance value names its row.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from kodeks.domain.requirements.answers import COMPLIANCE_DA, Answer, read_compliance
from kodeks.domain.requirements.requirement import PRIORITY_DA, VERIFICATION_DA
from kodeks.domain.requirements.tender import Line, RequirementSet
from kodeks.errors import InputTooLarge, InvalidContent, MalformedInput
from kodeks.formats.cells import stable_xlsx, xlsx_row
from kodeks.formats.table import open_workbook, sheet_rows

SHEET = "Krav"
HEADER = (
    "Kravnr.",
    "Version",
    "Kategori",
    "Titel",
    "Kravtekst",
    "Prioritet",
    "Verifikation",
    "Principper",
    "Begrundelse",
    "Lokalt tilpasset",
    "Opfyldelse",
    "Leverandørens svar",
)
SUPPLIER_LABEL = "Leverandør"
MAX_BYTES = 20 * 1024 * 1024
MAX_ANSWERS = 5_000


def write_set(rset: RequirementSet, lines: Sequence[Line]) -> bytes:
    from openpyxl import Workbook

    book = Workbook(write_only=True)
    sheet = book.create_sheet(SHEET)
    sheet.append(xlsx_row(sheet, [rset.title]))
    sheet.append(xlsx_row(sheet, [SUPPLIER_LABEL, ""]))
    sheet.append(xlsx_row(sheet, HEADER))
    for line in lines:
        r = line.requirement
        sheet.append(
            xlsx_row(
                sheet,
                [
                    r.id,
                    str(r.version),
                    r.category,
                    r.title,
                    line.text,
                    PRIORITY_DA[line.priority],
                    VERIFICATION_DA[r.verification],
                    ", ".join(r.principles),
                    r.rationale,
                    "Ja" if line.tailored else "Nej",
                    "",
                    "",
                ],
            )
        )
    about = book.create_sheet("Om")
    for key, value in (
        ("Kravsæt", rset.id),
        ("Titel", rset.title),
        ("Revision", str(rset.revision)),
        ("Ejer", rset.owner),
        ("Opfyldelse", " / ".join(COMPLIANCE_DA.values())),
    ):
        about.append(xlsx_row(about, [key, value]))
    return stable_xlsx(book)


@dataclass(frozen=True, slots=True)
class FilledSheet:
    supplier: str | None  # the name in the sheet's Leverandør row, if filled in
    set_id: str | None  # from the sheet 'Om'
    answers: tuple[Answer, ...]


def read_answers(data: bytes, source: str, supplier: str | None = None) -> FilledSheet:
    """The answers in a filled-in workbook (``supplier`` given wins over the sheet's own)."""
    if len(data) > MAX_BYTES:
        raise InputTooLarge(f"the workbook is {len(data):,} bytes; at most {MAX_BYTES:,}", source=source)
    book = open_workbook(data, source)
    try:
        names = list(book.sheetnames)
        _, rows = sheet_rows(book, SHEET if SHEET in names else None, source, strip=True)
        named: str | None = None
        header: tuple[str, ...] | None = None
        raw: list[tuple[int, dict[str, str]]] = []
        for number, cells in rows:
            if header is None:
                if cells and cells[0] == SUPPLIER_LABEL and len(cells) > 1:
                    named = cells[1] or None
                elif cells and cells[0] == HEADER[0]:
                    header = cells
                    missing = [h for h in ("Kravnr.", "Opfyldelse", "Leverandørens svar") if h not in header]
                    if missing:
                        raise InvalidContent(
                            f"the header lacks {', '.join(missing)}", source=source, location=f"row {number}"
                        )
                continue
            if len(raw) >= MAX_ANSWERS:
                raise InputTooLarge(f"more than {MAX_ANSWERS:,} answer rows", source=source)
            raw.append((number, dict(zip(header, cells, strict=False))))
        set_id = _about(book, source) if "Om" in names else None
    finally:
        book.close()
    if header is None:
        raise InvalidContent(
            "no header row starting with 'Kravnr.' (is this a Kodeks requirement sheet?)", source=source
        )
    who = supplier or named
    if not who:
        raise InvalidContent("name the supplier (the sheet's 'Leverandør' row is empty)", source=source)
    answers: list[Answer] = []
    for number, row in raw:
        rid = row.get("Kravnr.", "")
        if not rid:
            continue
        try:
            answers.append(
                Answer(
                    who, rid, read_compliance(row.get("Opfyldelse", "")), row.get("Leverandørens svar", "")
                )
            )
        except ValueError as exc:
            raise InvalidContent(str(exc), source=source, location=f"row {number}") from None
    return FilledSheet(named, set_id, tuple(answers))


def _about(book: Any, source: str) -> str | None:
    _, rows = sheet_rows(book, "Om", source)
    for _, cells in rows:
        if cells and cells[0] == "Kravsæt" and len(cells) > 1:
            return cells[1] or None
    return None


def check_not_xlsx(data: bytes, source: str) -> None:
    if not data.startswith(b"PK"):
        raise MalformedInput("not an XLSX workbook", source=source)
