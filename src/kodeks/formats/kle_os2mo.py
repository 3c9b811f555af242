"""Importer ``kle-os2mo``: the KLE sheet OS2mo imports (``uuid, emne_nr, emne_titel``), as CSV or XLSX.

One sheet holds both KLE (``00``, ``00.01``, ``00.01.00``) and the handlingsfacetter (``A``, ``A00``),
each row with the UUID OS2mo gave it and a title that repeats the number (``01.02.03 - Title``; the
prefix is cut off). So the importer returns two bundles, one per
classification. The sheet is a snapshot and states no date: the release date comes from the user.
XLSX files are read from the sheet ``KLE`` (``options.options["sheet"]`` picks another). A
classification id given by the user renames the KLE bundle only; the facets keep theirs.
"""

from __future__ import annotations

import csv
import io
import re
import uuid as uuidlib
import zipfile
from collections.abc import Iterable, Iterator
from dataclasses import dataclass

import openpyxl

from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.domain.release import Bundle, ReleaseKind
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.budget import MEMORY_FACTOR
from kodeks.formats.kle_common import (
    FACET_LEVELS,
    KLE_LEVELS,
    decode_utf8,
    facet_level,
    facet_parent,
    facets_classification,
    is_facet_code,
    is_kle_code,
    kle_classification,
    kle_level,
    kle_parent,
)
from kodeks.formats.table import open_workbook, xlsx_errors
from kodeks.formats.xml import ZIP_ERRORS

FIELDS = frozenset({"titles", "level", "parent", "uuid"})
SHEET = "KLE"
_COLUMNS = ("uuid", "emnenr", "emnetitel")


@dataclass(frozen=True, slots=True)
class _Row:
    where: str  # "line 3" or "sheet KLE row 3"
    uuid: str
    code: str
    title: str


class KleOs2moImporter:
    name = "kle-os2mo"
    memory_factor = MEMORY_FACTOR[name]  # read whole: refused over the memory budget
    description = "KLE and handlingsfacetter from OS2mo's KLE sheet (CSV uuid,emne_nr,emne_titel or XLSX)"
    extensions = (".csv", ".xlsx")

    def sniff(self, head: bytes, filename: str) -> int:
        if head.startswith(b"PK"):
            return _sniff_xlsx(head, filename)
        first = head.split(b"\n", 1)[0].lstrip(b"\xef\xbb\xbf").rstrip(b"\r").decode("utf-8", "replace")
        try:
            cells = next(csv.reader([first]), [])
        except csv.Error:  # binary or otherwise not CSV
            return 0
        return 95 if _header_key(cells) == list(_COLUMNS) else 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        if data.startswith(b"PK"):
            rows = list(_xlsx_rows(data, source, options.options.get("sheet", SHEET)))
        else:
            rows = list(_csv_rows(data, source))
        if not rows:
            raise MalformedInput("the sheet has a header but no rows", source=source, location="line 2")
        kle: list[Item] = []
        facets: list[Item] = []
        seen: dict[str, str] = {}
        for row in rows:
            if row.code in seen:
                raise InvalidContent(
                    f"code {row.code} appears twice (first at {seen[row.code]})",
                    source=source,
                    location=row.where,
                )
            seen[row.code] = row.where
            if is_kle_code(row.code):
                kle.append(_item(row, source, kle_level(row.code), kle_parent(row.code)))
            elif is_facet_code(row.code):
                facets.append(_item(row, source, facet_level(row.code), facet_parent(row.code)))
            else:
                raise InvalidContent(
                    f"{row.code!r} is neither a KLE number nor a handlingsfacet",
                    source=source,
                    location=row.where,
                )
        bundles = []
        if kle:
            bundles.append(self._bundle(kle_classification(options.classification), kle, source, True))
        if facets:
            bundles.append(self._bundle(facets_classification(), facets, source, False))
        return bundles

    def _bundle(self, classification: Classification, items: list[Item], source: str, is_kle: bool) -> Bundle:
        return Bundle(
            classification=classification,
            items=tuple(items),
            levels=KLE_LEVELS if is_kle else FACET_LEVELS,
            kind=ReleaseKind.SNAPSHOT,
            fields=FIELDS,
            source=source,
            format=self.name,
        )


def _item(row: _Row, source: str, level: int, parent: str | None) -> Item:
    try:
        uuid = uuidlib.UUID(row.uuid) if row.uuid else None
    except ValueError:
        raise MalformedInput(f"{row.uuid!r} is not a UUID", source=source, location=row.where) from None
    title = _title(row.code, row.title)
    if not title:
        raise InvalidContent(f"code {row.code} has no title", source=source, location=row.where)
    return Item(code=row.code, titles={"da": title}, level=level, parent=parent, uuid=uuid)


def _title(code: str, title: str) -> str:
    """``"01.02.03 - Title"`` → ``"Title"``; other titles unchanged."""
    if title.startswith(code):
        rest = title[len(code) :].lstrip()
        if rest[:1] in ("-", "–"):
            return rest[1:].strip()
    return title.strip()


def _header_key(cells: Iterable[object]) -> list[str]:
    return [re.sub(r"[\s_]", "", str(c or "")).lower() for c in cells][:3]


def _csv_rows(data: bytes, source: str) -> Iterator[_Row]:
    text = decode_utf8(data, source)
    if not text.strip():
        raise MalformedInput("file is empty", source=source)
    reader = csv.reader(io.StringIO(text, newline=""), strict=True)
    try:
        header = next(reader)
        if _header_key(header) != list(_COLUMNS):
            raise MalformedInput(
                f"expected the columns uuid,emne_nr,emne_titel, found {','.join(header)!r}",
                source=source,
                location="line 1",
            )
        for cells in reader:
            where = f"line {reader.line_num}"
            if not any(c.strip() for c in cells):
                continue
            if len(cells) < 3:
                raise MalformedInput(f"expected 3 columns, found {len(cells)}", source=source, location=where)
            yield _Row(where, cells[0].strip(), cells[1].strip(), cells[2])
    except csv.Error as exc:
        raise MalformedInput(f"CSV syntax: {exc}", source=source, location=f"line {reader.line_num}") from exc


def _xlsx_rows(data: bytes, source: str, sheet: str) -> Iterator[_Row]:
    book = open_workbook(data, source)
    try:
        yield from _sheet_rows(book, source, sheet)
    finally:
        book.close()


def _sheet_rows(book: openpyxl.Workbook, source: str, sheet: str) -> Iterator[_Row]:
    with xlsx_errors(source):
        if sheet not in book.sheetnames:
            raise MalformedInput(f"no sheet {sheet!r} (sheets: {', '.join(book.sheetnames)})", source=source)
        rows = book[sheet].iter_rows(values_only=True)
        header = next(rows, None)
        if header is None or _header_key(header) != list(_COLUMNS):
            raise MalformedInput(
                "expected the columns UUID, EmneNr, EmneTitel", source=source, location=f"sheet {sheet} row 1"
            )
        for number, cells in enumerate(rows, 2):
            values = ["" if c is None else str(c) for c in cells[:3]]
            if not any(v.strip() for v in values):
                continue
            values += [""] * (3 - len(values))
            yield _Row(f"sheet {sheet} row {number}", values[0].strip(), values[1].strip(), values[2])


def _sniff_xlsx(head: bytes, filename: str) -> int:
    """An XLSX whose workbook names a ``KLE`` sheet (when ``head`` holds the whole file), else by name."""
    try:
        with zipfile.ZipFile(io.BytesIO(head)) as archive:
            workbook = archive.read("xl/workbook.xml")
        return 90 if b'name="KLE"' in workbook else 0
    except ZIP_ERRORS:
        return 40 if "kle" in filename.lower() and filename.lower().endswith(".xlsx") else 0


IMPORTERS = [KleOs2moImporter()]
