"""Write an export set as a complete FHIR R4 CodeSystem (JSON), valid under the ``fhir.resources`` models.

- ``hierarchyMeaning`` is ``is-a``; children are nested under their parent; an item whose parent is
  not in the export stays at the top with a ``parent`` property.
- The title in ``da`` (else the first) is ``display``; every title is also a designation with
  Kodeks' use ``title``, alt titles are designations with use ``alt``.
- Declared concept properties: ``parent`` (code), ``validFrom`` / ``validTo`` (dateTime, half-open:
  ``validTo`` is the first day no longer valid), ``replacedBy`` (code), ``level`` (integer), ``uuid``,
  ``note`` (string), and ``keyword`` / ``legalReference`` / ``property`` (string holding a small JSON
  array: ``[term, weight]``, ``[title, reference]``, ``[name, value]``).
- Classification facts FHIR has no element for (titles per language, owner, copyright flag, code
  order, source URI, levels) go in one extension ``https://kodeks.dk/fhir/StructureDefinition/classification``.
- FHIR codes are unique: of several facts of one code (an all-time export) the newest is written.
"""

from __future__ import annotations

import json
from collections import defaultdict
from datetime import date
from typing import Any

from kodeks.domain.codes import sort_key
from kodeks.domain.item import Item
from kodeks.formats.base import ExportSet
from kodeks.formats.fhir_read import EXT, USE_SYSTEM

_PROPERTIES = [
    ("parent", "code", "The parent concept (when not expressed by nesting)"),
    ("validFrom", "dateTime", "First day the concept is valid"),
    ("validTo", "dateTime", "First day the concept is no longer valid (exclusive end)"),
    ("replacedBy", "code", "A concept that succeeds this one"),
    ("level", "integer", "Level (depth) of the concept in the classification"),
    ("uuid", "string", "Stable Kodeks UUID of the concept"),
    ("note", "string", "A note"),
    ("keyword", "string", "A search keyword as a JSON array [term, weight]"),
    ("legalReference", "string", "A legal reference as a JSON array [title, reference]"),
    ("property", "string", "A source attribute as a JSON array [name, value]"),
    ("related", "code", "A related concept (skos:related)"),
    ("group", "string", "A group (skos:Collection) the concept is a member of"),
    ("text", "string", "A definition or note as a JSON array [kind, language, text]"),
    ("created", "dateTime", "The date the source created the concept (dct:created)"),
    ("modified", "dateTime", "The date the source last changed the concept (dct:modified)"),
]


def codesystem(export: ExportSet) -> dict[str, Any]:
    cls = export.classification
    key = sort_key(cls.code_order)
    newest: dict[str, Item] = {}
    for item in sorted(export.items, key=lambda i: (i.valid.start is not None, i.valid.start or date.min)):
        newest[item.code] = item
    children: dict[str | None, list[Item]] = defaultdict(list)
    for item in newest.values():
        children[item.parent if item.parent in newest else None].append(item)
    for group in children.values():
        group.sort(key=lambda i: key(i.code))

    seen: set[str] = set()

    def nest(parent: str | None) -> list[dict[str, Any]]:
        out = []
        for item in children.get(parent, []):
            if item.code in seen:
                continue
            seen.add(item.code)
            concept = _concept(item, nested=item.parent in newest)
            sub = nest(item.code)
            if sub:
                concept["concept"] = sub
            out.append(concept)
        return out

    concepts = nest(None)
    for code in sorted(set(newest) - seen, key=key):  # parents forming a cycle: flat, with parent property
        seen.add(code)
        concepts.append(_concept(newest[code], nested=False))
    latest = export.versions[-1] if export.versions else None
    title = cls.titles.get("da") or next(iter(cls.titles.values()), cls.id)
    resource: dict[str, Any] = {
        "resourceType": "CodeSystem",
        "id": cls.id,
        "language": "da",
        "extension": [{"url": EXT + "classification", "extension": _classification_ext(export)}],
        "url": cls.canonical_uri,
        "version": latest.label if latest else None,
        "name": "".join(part.capitalize() for part in cls.id.split("-")) or cls.id,
        "title": title,
        "status": "active",
        "date": latest.release_date.isoformat() if latest else None,
        "publisher": cls.publisher,
        "description": cls.description,
        "copyright": cls.licence,
        "caseSensitive": True,
        "hierarchyMeaning": "is-a",
        "content": "complete",
        "count": len(newest),
        "property": [
            {"code": c, "uri": f"{EXT}property/{c}", "description": d, "type": t} for c, t, d in _PROPERTIES
        ],
        "concept": concepts,
    }
    return {k: v for k, v in resource.items() if v is not None}


def _classification_ext(export: ExportSet) -> list[dict[str, Any]]:
    cls = export.classification
    out: list[dict[str, Any]] = [{"url": f"title:{lang}", "valueString": t} for lang, t in cls.titles.items()]
    out.append({"url": "codeOrder", "valueCode": str(cls.code_order)})
    out.append({"url": "copyrighted", "valueBoolean": cls.copyrighted})
    if cls.owner is not None:
        out.append({"url": "owner", "valueString": cls.owner})
    if cls.source_uri is not None:
        out.append({"url": "sourceUri", "valueString": cls.source_uri})
    for level in sorted(export.levels, key=lambda lv: lv.number):
        parts: list[dict[str, Any]] = [{"url": "number", "valueInteger": level.number}]
        parts += [{"url": f"title:{lang}", "valueString": t} for lang, t in level.titles.items()]
        out.append({"url": "level", "extension": parts})
    return out


def _concept(item: Item, *, nested: bool) -> dict[str, Any]:
    concept: dict[str, Any] = {"code": item.code}
    if "da" in item.titles:
        concept["display"] = item.titles["da"]
    if item.description is not None:
        concept["definition"] = item.description
    designations = [_designation(lang, t, "title") for lang, t in item.titles.items()]
    designations += [_designation(lang, t, "alt") for lang, t in item.alt_titles]
    if designations:
        concept["designation"] = designations
    props: list[dict[str, Any]] = []
    if item.parent is not None and not nested:
        props.append({"code": "parent", "valueCode": item.parent})
    props += [{"code": "parent", "valueCode": other} for other in item.other_parents]  # a polyhierarchy
    if item.valid.start is not None:
        props.append({"code": "validFrom", "valueDateTime": item.valid.start.isoformat()})
    if item.valid.end is not None:
        props.append({"code": "validTo", "valueDateTime": item.valid.end.isoformat()})
    props += [{"code": "replacedBy", "valueCode": code} for code in item.replaced_by]
    if item.level is not None:
        props.append({"code": "level", "valueInteger": item.level})
    if item.uuid is not None:
        props.append({"code": "uuid", "valueString": str(item.uuid)})
    props += [{"code": "note", "valueString": note} for note in item.notes]
    props += [{"code": "keyword", "valueString": _json([k.term, k.weight])} for k in item.keywords]
    props += [
        {"code": "legalReference", "valueString": _json([r.title, r.reference])} for r in item.legal_refs
    ]
    props += [{"code": "property", "valueString": _json([n, v])} for n, v in sorted(item.properties.items())]
    props += [{"code": "related", "valueCode": code} for code in item.related]
    props += [{"code": "group", "valueString": group} for group in item.groups]
    props += [{"code": "text", "valueString": _json([t.kind, t.lang, t.text])} for t in item.texts]
    props += [
        {"code": name, "valueDateTime": day.isoformat()}
        for name, day in (("created", item.created), ("modified", item.modified))
        if day is not None
    ]
    if props:
        concept["property"] = props
    return concept


def _designation(lang: str, value: str, use: str) -> dict[str, Any]:
    return {"language": lang, "use": {"system": USE_SYSTEM, "code": use}, "value": value}


def _json(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)
