"""The official concept-list spreadsheet (DIGST's "begrebsliste i tabelformat"): read a filled-in
template as a concept model, and write a model's concepts in the same layout.

Layout (as in ``digst_begrebsliste_skabelon.xlsx``): sheet "Forretningsmetadata" holds the model's
metadata as label/value pairs in columns A and B; sheet "Begrebsliste DA" (or "Begrebsliste DA+EN")
has the FDA tag names in one row and the Danish headings ("Foretrukken term", "Definition", …) in the
next, then one concept per row. Columns are found by their heading, so their order does not matter;
"Foretrukken term" and "Definition" must be there.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from datetime import datetime
from typing import Any

from kodeks.domain.models.elements import Concept, Package, tag
from kodeks.domain.models.model import InfoModel
from kodeks.domain.models.valuedomain import BoundDomain
from kodeks.errors import InvalidContent
from kodeks.formats.budget import check_rows
from kodeks.formats.cells import stable_xlsx

CONCEPT_SHEETS = ("Begrebsliste DA", "Begrebsliste DA+EN")
META_SHEET = "Forretningsmetadata"
#: Danish heading -> the FDA tag it holds (the template's own pairing).
COLUMNS = {
    "Foretrukken term": "prefLabel (da)",
    "Accepteret term": "altLabel (da)",
    "Frarådet term": "deprecatedLabel (da)",
    "Definition": "definition (da)",
    "Eksempel": "example (da)",
    "Kommentar": "comment (da)",
    "Anvendelsesnote": "applicationNote (da)",
    "Juridisk kilde": "legalSource",
    "Kilde": "source",
    "Tilhører emne": "theme",
    "Identifikator": "identifier",
    "Foretrukken term (en)": "prefLabel (en)",
    "Accepteret term (en)": "altLabel (en)",
    "Frarådet term (en)": "deprecatedLabel (en)",
    "Definition (en)": "definition (en)",
    "Eksempel (en)": "example (en)",
}
REQUIRED = ("Foretrukken term", "Definition")
#: Metadata label -> tag.
META = {
    "Namespace": "namespace",
    "Modelnavn": "label (da)",
    "Beskrivelse": "comment (da)",
    "Modelsprog": "language",
    "Modelomfang": "modelScope",
    "Emne": "theme",
    "Godkendelsestatus": "approvalStatus",
    "Godkendt af": "approvedBy",
    "Modelansvarlig": "responsibleEntity",
    "Modelstatus": "modelStatus",
    "Versionsnummer": "versionInfo",
}
_HEADER_SCAN = 6


def _heading(value: Any) -> str:
    text = re.sub(r"\s+", " ", str(value or "")).strip()
    return text.replace("(da)", "").strip() if text.endswith("(da)") else text


def _cell(value: Any) -> str:
    if value is None:
        return ""
    if isinstance(value, datetime):
        return value.date().isoformat()
    return str(value).strip()


def read_conceptlist(data: bytes, source: str, model_id: str | None = None) -> InfoModel:
    from kodeks.formats.models_xmi import slug
    from kodeks.formats.table import open_workbook, xlsx_errors

    book = open_workbook(data, source)
    try:
        with xlsx_errors(source):
            names = {n.strip(): n for n in book.sheetnames}
            sheet_name = next((names[n] for n in CONCEPT_SHEETS if n in names), None)
            if sheet_name is None:
                raise InvalidContent(
                    f"no concept sheet: expected one named {' or '.join(repr(n) for n in CONCEPT_SHEETS)}",
                    source=source,
                )
            sheet = book[sheet_name]
            if sheet.max_row:
                check_rows(int(sheet.max_row), source, unit="rows")
            rows = [list(r) for r in sheet.iter_rows(values_only=True)]
            meta: dict[str, str] = {}
            if META_SHEET in names:
                for row in book[names[META_SHEET]].iter_rows(max_col=2, values_only=True):
                    label = _heading(row[0]) if row else ""
                    if label in META and len(row) > 1 and _cell(row[1]):
                        meta[META[label]] = _cell(row[1])
    finally:
        book.close()
    header_at = next(
        (i for i, row in enumerate(rows[:_HEADER_SCAN]) if "Foretrukken term" in {_heading(c) for c in row}),
        None,
    )
    if header_at is None:
        raise InvalidContent(
            f"sheet {sheet_name!r}: no heading row with {', '.join(repr(c) for c in REQUIRED)}", source=source
        )
    headings = [_heading(c) for c in rows[header_at]]
    missing = [c for c in REQUIRED if c not in headings]
    if missing:
        raise InvalidContent(
            f"sheet {sheet_name!r} lacks the column(s) {', '.join(repr(c) for c in missing)}", source=source
        )
    columns = {i: COLUMNS[h] for i, h in enumerate(headings) if h in COLUMNS}
    name = meta.get("label (da)") or source.rsplit(".", 1)[0]
    package = Package("PKG_begreber", name, stereotypes=("ConceptModel",), tags=tuple(sorted(meta.items())))
    concepts: list[Concept] = []
    seen: set[str] = set()
    for number, row in enumerate(rows[header_at + 1 :], start=header_at + 2):
        values = {columns[i]: _cell(v) for i, v in enumerate(row) if i in columns and _cell(v)}
        if not values.get("prefLabel (da)"):
            if any(values.values()):
                raise InvalidContent(
                    f"sheet {sheet_name!r} row {number}: a concept without a preferred term", source=source
                )
            continue
        concept_id = values.get("identifier") or f"begreb-{number}"
        if concept_id in seen:
            raise InvalidContent(
                f"sheet {sheet_name!r} row {number}: identifier {concept_id!r} is used twice", source=source
            )
        seen.add(concept_id)
        tags = tuple((k, v) for k, v in values.items() if k != "identifier")
        concepts.append(
            Concept(
                concept_id,
                values["prefLabel (da)"],
                package.id,
                values.get("definition (da)", ""),
                values.get("source") or values.get("legalSource", ""),
                ("Concept",),
                tags,
            )
        )
    if not concepts:
        raise InvalidContent(f"sheet {sheet_name!r} holds no concepts", source=source)
    return InfoModel(
        id=model_id or slug(name),
        name=name,
        version=meta.get("versionInfo", ""),
        kind="concept",
        description=meta.get("comment (da)", ""),
        packages=(package,),
        concepts=tuple(concepts),
        profiles=("FDAprofil",),
    )


def write_conceptlist(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> bytes:
    """The model's concepts in the template's layout (stable bytes: fixed document times)."""
    from openpyxl import Workbook

    book = Workbook()
    meta_sheet = book.active
    meta_sheet.title = META_SHEET
    top = next((p for p in model.packages if p.parent is None), None)
    tags = dict(top.tags) if top is not None else {}
    tags.setdefault("label (da)", model.name)
    if model.version:
        tags.setdefault("versionInfo", model.version)
    if model.description:
        tags.setdefault("comment (da)", model.description)
    for label, key in META.items():
        meta_sheet.append([label, tags.get(key, "")])
    sheet = book.create_sheet(CONCEPT_SHEETS[0])
    headings = list(COLUMNS)[:11]
    sheet.append([COLUMNS[h] for h in headings])
    sheet.append(headings)
    for c in model.concepts:
        values = {**dict(c.tags), "prefLabel (da)": c.name, "identifier": c.id}
        if c.definition:
            values["definition (da)"] = c.definition
        if c.source and not (tag(c.tags, "source") or tag(c.tags, "legalSource")):
            values["source"] = c.source
        sheet.append([values.get(COLUMNS[h], "") for h in headings])
    return stable_xlsx(book)
