"""Read a FHIR R4 CodeSystem (JSON) into a bundle.

The resource is validated with the ``fhir.resources`` R4B models (``fhir.resources.R4B.codesystem``:
CodeSystem is the same in R4 and R4B; the package's top-level models are R5) and then mapped:

- hierarchy from nesting (``concept.concept``) and, where a concept is not nested, from its first
  ``parent`` property; further ``parent`` properties are further parents (a polyhierarchy). A *flat*
  CodeSystem that Kodeks did not write (no nesting, no ``parent`` property; e.g. the ICD-10
  supplement) gets parents from its codes: ``A00.1`` → ``A00`` when ``A00`` is in the file. Option
  ``hierarchy=none`` turns that off.
- ``display`` → title in the resource's ``language`` (default ``da``); ``designation`` with
  Kodeks' use ``title`` → titles, ``alt`` → alt titles; other designations → a title if that
  language has none yet, else an alt title; ``definition`` → description.
- concept properties ``validFrom``/``validTo`` (half-open), ``replacedBy``, ``level``, ``uuid``,
  ``note``, ``keyword``, ``legalReference``, ``property`` carry the other item fields (see
  :mod:`kodeks.formats.fhir_write`); unknown properties are kept as ``fhir:<code>`` properties.
- ``version`` → release label, ``date`` → release date, ``url`` → uri and source URI.
"""

from __future__ import annotations

import json
import uuid as uuidlib
from dataclasses import replace
from datetime import date
from typing import Any

from pydantic import ValidationError

from kodeks.domain.classification import Classification, classification_uri
from kodeks.domain.codes import CodeOrder
from kodeks.domain.item import Item, Keyword, LangText, LegalReference
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, Level, date_shaped
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.skos_read import slugify

EXT = "https://kodeks.dk/fhir/StructureDefinition/"
USE_SYSTEM = "https://kodeks.dk/fhir/CodeSystem/designation-use"
_KNOWN = {
    "parent",
    "child",
    "validFrom",
    "validTo",
    "replacedBy",
    "level",
    "uuid",
    "note",
    "keyword",
    "legalReference",
    "property",
    "related",
    "group",
    "text",
    "created",
    "modified",
}


def load_json(data: bytes, source: str) -> dict[str, Any]:
    if not data.strip():
        raise MalformedInput("file is empty", source=source)
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MalformedInput(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); FHIR JSON must be UTF-8",
            source=source,
            location=f"line {line}",
        ) from None
    try:
        obj = json.loads(text)
    except json.JSONDecodeError as exc:
        raise MalformedInput(
            f"not valid JSON: {exc.msg}", source=source, location=f"line {exc.lineno}, column {exc.colno}"
        ) from None
    if not isinstance(obj, dict) or obj.get("resourceType") != "CodeSystem":
        kind = obj.get("resourceType") if isinstance(obj, dict) else type(obj).__name__
        raise MalformedInput(
            f"not a FHIR CodeSystem (resourceType {kind!r})", source=source, location="resourceType"
        )
    return obj


def validate(obj: dict[str, Any], source: str) -> None:
    from fhir.resources.R4B.codesystem import CodeSystem

    try:
        CodeSystem.model_validate(obj)
    except ValidationError as exc:
        first = exc.errors()[0]
        where = "".join(f"[{p}]" if isinstance(p, int) else f".{p}" for p in first["loc"]).lstrip(".")
        raise InvalidContent(
            f"not a valid FHIR R4 CodeSystem: {first['msg']}", source=source, location=where or None
        ) from None


def read_codesystem(obj: dict[str, Any], source: str, options: ImportOptions) -> Bundle:
    ext = _extensions(obj)
    own = bool(ext)
    lang = obj.get("language") or options.options.get("lang", "da")
    cls = _classification(obj, ext, lang, options)
    items: list[Item] = []
    nested = False

    def walk(concepts: list[dict[str, Any]], parent: str | None, path: str) -> None:
        nonlocal nested
        for index, concept in enumerate(concepts):
            where = f"{path}[{index}]"
            items.append(_item(concept, parent, lang, source, where))
            children = concept.get("concept") or []
            if children:
                nested = True
                walk(children, concept["code"], f"{where}.concept")

    walk(obj.get("concept") or [], None, "concept")
    has_parent_property = any(i.parent is not None for i in items)
    if not own and not nested and not has_parent_property and options.options.get("hierarchy") != "none":
        items = _pattern_parents(items)
    released = obj.get("date")
    day = date.fromisoformat(released[:10]) if released else date_shaped(obj.get("version"))
    said = "CodeSystem.date" if released else f"CodeSystem.version {obj.get('version')}" if day else None
    return Bundle(
        classification=cls,
        items=tuple(items),
        levels=_levels(ext),
        release_label=obj.get("version"),
        release_date=day,
        source=source,
        format="fhir",
        date_source=said,
    )


def _extensions(obj: dict[str, Any]) -> dict[str, Any]:
    for ext in obj.get("extension") or []:
        if ext.get("url") == EXT + "classification":
            return {e["url"]: e for e in ext.get("extension") or []} | {
                "levels": [e for e in ext.get("extension") or [] if e.get("url") == "level"],
                "titles": [e for e in ext.get("extension") or [] if e.get("url", "").startswith("title:")],
            }
    return {}


def _classification(
    obj: dict[str, Any], ext: dict[str, Any], lang: str, options: ImportOptions
) -> Classification:
    slug = options.classification or slugify(str(obj.get("id") or obj.get("name") or "")) or "fhir"
    if ext:
        titles = {e["url"].removeprefix("title:"): e["valueString"] for e in ext["titles"]}
    else:
        title = obj.get("title") or obj.get("name")
        titles = {lang: title} if title else {}
    url = obj.get("url")

    def value(name: str) -> Any:
        entry = ext.get(name) or {}
        return next((v for k, v in entry.items() if k.startswith("value")), None)

    order = value("codeOrder")
    return Classification(
        id=slug,
        titles=titles,
        description=obj.get("description"),
        owner=value("owner"),
        publisher=obj.get("publisher"),
        licence=obj.get("copyright"),
        copyrighted=bool(value("copyrighted")),
        source_uri=value("sourceUri") if ext else url,
        uri=None if url == classification_uri(slug) else url,
        code_order=CodeOrder(order) if order in ("natural", "lexical") else CodeOrder.NATURAL,
    )


def _levels(ext: dict[str, Any]) -> tuple[Level, ...]:
    levels = []
    for entry in ext.get("levels", []):
        parts = entry.get("extension") or []
        number = next(p["valueInteger"] for p in parts if p["url"] == "number")
        titles = {
            p["url"].removeprefix("title:"): p["valueString"] for p in parts if p["url"].startswith("title:")
        }
        levels.append(Level(number, titles))
    return tuple(sorted(levels, key=lambda lv: lv.number))


def _item(concept: dict[str, Any], parent: str | None, lang: str, source: str, where: str) -> Item:
    titles: dict[str, str] = {}
    alt: list[tuple[str, str]] = []
    if concept.get("display") is not None:
        titles[lang] = concept["display"]
    for d in concept.get("designation") or []:
        d_lang = d.get("language") or lang
        use = (d.get("use") or {}).get("code") if (d.get("use") or {}).get("system") == USE_SYSTEM else None
        if use == "title" or (use is None and d_lang not in titles):
            titles[d_lang] = d["value"]
        else:
            alt.append((d_lang, d["value"]))
    props: dict[str, list[Any]] = {}
    for p in concept.get("property") or []:
        value = next((v for k, v in p.items() if k.startswith("value")), None)
        props.setdefault(p["code"], []).append(value)
    properties = {name: value for name, value in (json.loads(v) for v in props.get("property", []))}
    parents = [str(v) for v in props.get("parent", [])]
    if parent is None and parents:
        parent, parents = parents[0], parents[1:]
    own = str(concept.get("code"))
    others = tuple(dict.fromkeys(p for p in parents if p not in (parent, own)))  # a polyhierarchy
    for name, values in props.items():
        if name not in _KNOWN:
            properties.setdefault(f"fhir:{name}", "\n".join(str(v) for v in values))
    try:
        start, end = (_day(props.get(k)) for k in ("validFrom", "validTo"))
        return Item(
            code=concept["code"],
            titles=titles,
            parent=parent,
            other_parents=others if parent is not None else (),
            level=int(props["level"][0]) if props.get("level") else None,
            valid=Period(start, end),
            uuid=uuidlib.UUID(props["uuid"][0]) if props.get("uuid") else None,
            description=concept.get("definition"),
            notes=tuple(props.get("note", [])),
            alt_titles=tuple(alt),
            keywords=tuple(Keyword(*json.loads(v)) for v in props.get("keyword", [])),
            replaced_by=tuple(str(v) for v in props.get("replacedBy", [])),
            legal_refs=tuple(LegalReference(*json.loads(v)) for v in props.get("legalReference", [])),
            properties=properties,
            related=tuple(str(v) for v in props.get("related", [])),
            groups=tuple(str(v) for v in props.get("group", [])),
            texts=tuple(LangText(*json.loads(v)) for v in props.get("text", [])),
            created=_day(props.get("created")),
            modified=_day(props.get("modified")),
        )
    except (ValueError, TypeError) as exc:
        raise InvalidContent(
            f"concept {concept.get('code')!r}: {exc}", source=source, location=where
        ) from None


def _day(values: list[Any] | None) -> date | None:
    return date.fromisoformat(str(values[0])[:10]) if values else None


def _pattern_parents(items: list[Item]) -> list[Item]:
    codes = {i.code for i in items}
    out = []
    for item in items:
        head = item.code.rsplit(".", 1)[0] if "." in item.code else None
        out.append(replace(item, parent=head) if head in codes and head != item.code else item)
    return out
