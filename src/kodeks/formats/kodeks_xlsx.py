"""Kodeks' own XLSX workbook (import and export), lossless like the JSON document.

Sheets: ``Items`` (the same columns as Kodeks CSV, every cell text), ``Metadata`` (``key``/``value``
rows: the classification and ``at``), ``Levels`` and ``Versions``. Output is byte-stable: the
workbook properties carry a fixed date and the ZIP entries a fixed time stamp. ``xl/workbook.xml``
is stored uncompressed as the second entry so ``sniff`` can see the sheet names in the first bytes.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import date
from typing import Any

from kodeks.domain.classification import Classification
from kodeks.domain.codes import CodeOrder
from kodeks.domain.item import CONTENT_FIELDS
from kodeks.domain.release import Bundle, Level, Release, ReleaseKind
from kodeks.errors import InvalidContent, InvalidRequest
from kodeks.formats import records
from kodeks.formats.base import ExportSet, ImportOptions
from kodeks.formats.budget import MEMORY_FACTOR
from kodeks.formats.cells import stable_xlsx, xlsx_row
from kodeks.formats.table import open_workbook, sheet_rows

MEDIA_TYPE = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
_META_KEYS = (
    "id",
    "titles",
    "description",
    "owner",
    "publisher",
    "licence",
    "copyrighted",
    "source_uri",
    "uri",
    "code_order",
)
_VERSION_COLUMNS = ("label", "release_date", "kind", "fields", "source", "format", "levels_covered")
_MARKER = (b'name="Items"', b'name="Metadata"')


class KodeksXlsx:
    name = "xlsx"
    memory_factor = MEMORY_FACTOR[name]  # read whole: refused over the memory budget
    description = "Kodeks XLSX workbook: sheets Items, Metadata, Levels, Versions; lossless"
    extensions = (".xlsx",)
    media_type = MEDIA_TYPE
    extension = ".xlsx"

    def sniff(self, head: bytes, filename: str) -> int:
        return 90 if head.startswith(b"PK") and all(m in head for m in _MARKER) else 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        workbook = open_workbook(data, source)
        try:
            if not {"Items", "Metadata"} <= set(workbook.sheetnames):
                raise InvalidContent(
                    "not a Kodeks workbook (needs sheets 'Items' and 'Metadata'; "
                    "use --format tabular for other workbooks)",
                    source=source,
                )
            meta = {
                cells[0]: cells[1] if len(cells) > 1 else ""
                for _, cells in _rows(workbook, "Metadata", source)
            }
            items = tuple(_items(workbook, source))
            levels = tuple(_levels(workbook, source)) if "Levels" in workbook.sheetnames else ()
            versions = (
                [_release(r) for r in _dicts(workbook, "Versions", source)]
                if "Versions" in workbook.sheetnames
                else []
            )
        finally:
            workbook.close()
        classification = _classification(meta, options.classification, source)
        latest = versions[-1] if versions else None
        return [
            Bundle(
                classification=classification,
                items=items,
                levels=levels,
                release_label=latest.label if latest else None,
                release_date=latest.release_date if latest else None,
                kind=ReleaseKind.SNAPSHOT if meta.get("at") else ReleaseKind.HISTORY,
                fields=CONTENT_FIELDS,
                source=source,
                format=self.name,
            )
        ]

    def write(self, export: ExportSet, options: dict[str, str] | None = None) -> bytes:
        from openpyxl import Workbook
        from openpyxl.utils.exceptions import IllegalCharacterError

        c = export.classification
        items = records.ordered(export.items, c.code_order)
        langs = records.languages(items)
        wb = Workbook(write_only=True)
        try:
            sheet = wb.create_sheet("Items")
            names = records.columns(langs, records.used_fields(items))
            sheet.append(xlsx_row(sheet, names))
            for item in items:
                sheet.append(xlsx_row(sheet, records.to_cells(records.to_record(item), names)))
            meta = wb.create_sheet("Metadata")
            meta.append(["key", "value"])
            for key, value in _metadata(export):
                meta.append(xlsx_row(meta, [key, value]))
            level_sheet = wb.create_sheet("Levels")
            level_langs = sorted({lang for lv in export.levels for lang in lv.titles})
            level_sheet.append(["number", *(f"title_{lang}" for lang in level_langs)])
            for lv in sorted(export.levels, key=lambda lv: lv.number):
                level_sheet.append(
                    xlsx_row(
                        level_sheet, [str(lv.number), *(lv.titles.get(lang, "") for lang in level_langs)]
                    )
                )
            versions = wb.create_sheet("Versions")
            versions.append(list(_VERSION_COLUMNS))
            for v in export.versions:
                versions.append(xlsx_row(versions, _version_cells(v)))
        except IllegalCharacterError as exc:
            raise InvalidRequest(f"XLSX cannot hold control characters: {exc}") from None
        return stable_xlsx(wb)


def _metadata(export: ExportSet) -> Iterator[tuple[str, str]]:
    c = export.classification
    yield "format", "kodeks-xlsx"
    yield "at", export.at.isoformat() if export.at else ""
    values: dict[str, Any] = {
        "id": c.id,
        "titles": json.dumps(dict(sorted(c.titles.items())), ensure_ascii=False),
        "description": c.description,
        "owner": c.owner,
        "publisher": c.publisher,
        "licence": c.licence,
        "copyrighted": "true" if c.copyrighted else "false",
        "source_uri": c.source_uri,
        "uri": c.uri,
        "code_order": str(c.code_order),
    }
    for key in _META_KEYS:
        yield key, values[key] or ""


def _classification(meta: dict[str, str], given: str | None, source: str) -> Classification:
    try:
        return Classification(
            id=given or meta["id"],
            titles=json.loads(meta.get("titles") or "{}"),
            description=meta.get("description") or None,
            owner=meta.get("owner") or None,
            publisher=meta.get("publisher") or None,
            licence=meta.get("licence") or None,
            copyrighted=meta.get("copyrighted") == "true",
            source_uri=meta.get("source_uri") or None,
            uri=meta.get("uri") or None,
            code_order=CodeOrder(meta.get("code_order") or "natural"),
        )
    except (KeyError, ValueError) as exc:
        raise InvalidContent(
            f"invalid classification metadata: {exc}", source=source, location="sheet 'Metadata'"
        ) from None


def _version_cells(v: Release) -> list[str]:
    return [
        v.label,
        v.release_date.isoformat(),
        str(v.kind),
        " ".join(sorted(v.fields)),
        v.source or "",
        v.format or "",
        "" if v.levels_covered is None else " ".join(map(str, sorted(v.levels_covered))),
    ]


def _release(row: dict[str, str]) -> Release:
    covered = row.get("levels_covered", "")
    return Release(
        label=row["label"],
        release_date=date.fromisoformat(row["release_date"]),
        kind=ReleaseKind(row.get("kind") or "snapshot"),
        fields=frozenset(row.get("fields", "").split()),
        source=row.get("source") or None,
        format=row.get("format") or None,
        levels_covered=frozenset(int(n) for n in covered.split()) if covered else None,
    )


def _rows(workbook: Any, sheet: str, source: str) -> Iterator[tuple[int, tuple[str, ...]]]:
    rows = sheet_rows(workbook, sheet, source, strip=False)[1]
    next(rows, None)  # header
    return rows


def _dicts(workbook: Any, sheet: str, source: str) -> Iterator[dict[str, str]]:
    rows = sheet_rows(workbook, sheet, source, strip=False)[1]
    header = next(rows, (0, ()))[1]
    for _, cells in rows:
        yield dict(zip(header, cells, strict=False))


def _items(workbook: Any, source: str) -> Iterator[Any]:
    rows = sheet_rows(workbook, "Items", source, strip=False)[1]
    header = tuple(h for h in next(rows, (0, ()))[1] if h)
    unknown = [h for h in header if not records.known_column(h)]
    if "code" not in header or unknown:
        raise InvalidContent(
            f"sheet 'Items' needs a 'code' column and only known columns (unknown: {unknown})",
            source=source,
            location="sheet 'Items' row 1",
        )
    for number, cells in rows:
        where = f"sheet 'Items' row {number}"
        yield records.from_record(
            records.from_cells(header, cells, source=source, location=where), source=source, location=where
        )


def _levels(workbook: Any, source: str) -> Iterator[Level]:
    for n, row in enumerate(_dicts(workbook, "Levels", source), start=2):
        try:
            number = int(row["number"])
        except (KeyError, ValueError):
            raise InvalidContent(
                "level number is not a whole number", source=source, location=f"sheet 'Levels' row {n}"
            ) from None
        yield Level(number, {k[len("title_") :]: v for k, v in row.items() if k.startswith("title_") and v})


IMPORTERS = [KodeksXlsx()]
EXPORTERS = [KodeksXlsx()]
