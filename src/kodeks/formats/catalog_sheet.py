"""Catalog entries from a sheet (CSV or XLSX), the way classification catalogs are kept today.

One row per entry, a header row naming the columns (English field names, or the Danish ones in
``ALIASES``). Cells holding several values (keywords, themes, used_by, related, distribution URLs)
separate them with ``;`` or line breaks. Empty cells are left out, so a sheet can enrich an entry
without wiping what it does not mention. Unknown columns are refused (a typo must not lose data).

    id;title_da;title_en;publisher;themes;keywords;landing_page
    form;FORM;FORM;KL;GOVE;opgaver;https://...
"""

from __future__ import annotations

import csv
import io
import re
from typing import Any

from kodeks.errors import InvalidContent, MalformedInput

COLUMNS = (
    "id",
    "title_da",
    "title_en",
    "description_da",
    "description_en",
    "publisher",
    "owner",
    "contact_name",
    "contact_email",
    "contact_url",
    "licence",
    "rights",
    "access",
    "themes",
    "keywords",
    "subject_area",
    "frequency",
    "status",
    "landing_page",
    "distribution_urls",
    "distribution_media_type",
    "related",
    "used_by",
    "version",
    "issued",
    "modified",
    "identifier",
)
ALIASES = {
    "titel": "title_da",
    "titel_da": "title_da",
    "titel_en": "title_en",
    "beskrivelse": "description_da",
    "udgiver": "publisher",
    "ejer": "owner",
    "kontakt": "contact_name",
    "kontakt_email": "contact_email",
    "licens": "licence",
    "ophavsret": "rights",
    "temaer": "themes",
    "tema": "themes",
    "nøgleord": "keywords",
    "emneområde": "subject_area",
    "opdateringsfrekvens": "frequency",
    "landingsside": "landing_page",
    "download": "distribution_urls",
    "relaterede": "related",
    "anvendes_af": "used_by",
    "version_": "version",
}
_MULTI = re.compile(r"\s*(?:;|\r?\n)\s*")
MAX_ROWS = 5000


def read_sheet(data: bytes, source: str) -> list[dict[str, Any]]:
    """Rows as entry dicts (``kodeks.domain.catalog_codec`` field names), empty cells left out."""
    rows = _xlsx_rows(data, source) if data[:4] == b"PK\x03\x04" else _csv_rows(data, source)
    if not rows:
        raise InvalidContent("the sheet is empty", source=source)
    header = [_column(str(h or "")) for h in rows[0]]
    unknown = [h for h in header if h and h not in COLUMNS]
    if unknown:
        raise InvalidContent(
            f"unknown columns {', '.join(unknown)}; known: {', '.join(COLUMNS)}",
            source=source,
            location="row 1",
        )
    if "id" not in header:
        raise InvalidContent("the sheet has no 'id' column", source=source, location="row 1")
    if len(rows) > MAX_ROWS + 1:
        raise InvalidContent(f"{len(rows) - 1} rows; at most {MAX_ROWS}", source=source)
    out = []
    for number, row in enumerate(rows[1:], start=2):
        cells = {h: ("" if v is None else str(v)).strip() for h, v in zip(header, row, strict=False) if h}
        if not any(cells.values()):
            continue
        out.append(_entry(cells, source, number))
    return out


def _column(name: str) -> str:
    key = "_".join(name.strip().casefold().replace("-", "_").split())
    return ALIASES.get(key, key)


def _entry(cells: dict[str, str], source: str, number: int) -> dict[str, Any]:
    if not cells.get("id"):
        raise InvalidContent("the id cell is empty", source=source, location=f"row {number}")
    entry: dict[str, Any] = {"id": cells["id"]}
    titles = {lang: cells[f"title_{lang}"] for lang in ("da", "en") if cells.get(f"title_{lang}")}
    if titles:
        entry["titles"] = titles
    descriptions = {
        lang: cells[f"description_{lang}"] for lang in ("da", "en") if cells.get(f"description_{lang}")
    }
    if descriptions:
        entry["descriptions"] = descriptions
    contact = {k: cells[f"contact_{k}"] for k in ("name", "email", "url") if cells.get(f"contact_{k}")}
    if contact:
        entry["contact"] = contact
    for name in (
        "publisher",
        "owner",
        "licence",
        "rights",
        "access",
        "subject_area",
        "frequency",
        "status",
        "landing_page",
        "version",
        "issued",
        "modified",
        "identifier",
    ):
        if cells.get(name):
            entry[name] = cells[name]
    for name in ("keywords", "related", "used_by"):
        if cells.get(name):
            entry[name] = [v for v in _MULTI.split(cells[name]) if v]
    if cells.get("themes"):
        entry["themes"] = [t.upper() for t in re.split(r"[\s;,]+", cells["themes"]) if t]
    if cells.get("distribution_urls"):
        media = cells.get("distribution_media_type") or None
        entry["distributions"] = [
            {"url": u, "media_type": media} for u in _MULTI.split(cells["distribution_urls"]) if u
        ]
    return entry


def _csv_rows(data: bytes, source: str) -> list[list[str]]:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        raise MalformedInput(f"not UTF-8 text (byte {exc.start})", source=source) from None
    first = text.split("\n", 1)[0]
    delimiter = max((";", ",", "\t"), key=first.count)
    try:
        return [row for row in csv.reader(io.StringIO(text, newline=""), delimiter=delimiter)]
    except csv.Error as exc:
        raise MalformedInput(f"not a readable CSV sheet: {exc}", source=source) from None


def _xlsx_rows(data: bytes, source: str) -> list[list[Any]]:
    from kodeks.formats.table import open_workbook, xlsx_errors

    book = open_workbook(data, source)
    try:
        with xlsx_errors(source):
            sheet = next(
                (book[n] for n in book.sheetnames if n.casefold() in ("katalog", "catalog")),
                book.worksheets[0],
            )
            return [list(r) for r in sheet.iter_rows(values_only=True)]
    finally:
        book.close()
