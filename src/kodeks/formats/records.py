"""The flat record of an Item: one place that names Kodeks' own fields for JSON, CSV and XLSX.

``to_record`` gives JSON-native values (lists, dicts, ``None``); ``to_cells`` flattens a record
into text cells for CSV and XLSX: titles become one ``title_<lang>`` column per language, list
and mapping fields become compact JSON in their cell (so commas, quotes and newlines inside them
are unambiguous), absent values become empty cells. Reading reverses both steps; an empty cell is
read as absent, so an empty description or title does not survive a CSV/XLSX round trip.
"""

from __future__ import annotations

import json
import re
import uuid as uuidlib
from collections.abc import Iterable, Mapping, Sequence
from datetime import date
from pathlib import PurePath
from typing import Any

from kodeks.domain.classification import is_slug
from kodeks.domain.codec import item_to_dict
from kodeks.domain.codes import CodeOrder, sort_key
from kodeks.domain.item import Item, Keyword, LangText, LegalReference
from kodeks.domain.period import Period
from kodeks.errors import InvalidContent

#: Record keys in output order. ``titles`` becomes ``title_<lang>`` columns in cells.
FIELDS: tuple[str, ...] = (
    "code",
    "parent",
    "level",
    "titles",
    "description",
    "valid_from",
    "valid_to",
    "uuid",
    "notes",
    "alt_titles",
    "keywords",
    "replaced_by",
    "legal_refs",
    "properties",
)
#: A thesaurus' fields: written (as columns) only when an exported item has them, so a classification
#: without them keeps the columns it always had.
THESAURUS_FIELDS: tuple[str, ...] = ("other_parents", "related", "groups", "texts", "created", "modified")
ALL_FIELDS: tuple[str, ...] = FIELDS + THESAURUS_FIELDS
#: Fields held as JSON in a CSV/XLSX cell.
JSON_FIELDS = frozenset(
    {"notes", "alt_titles", "keywords", "replaced_by", "legal_refs", "properties"}
    | {"other_parents", "related", "groups", "texts"}
)
TITLE_PREFIX = "title_"
#: The Item field each record key fills (``valid_*`` fill the validity, not a content field).
ITEM_FIELD = {name: name for name in ALL_FIELDS if not name.startswith("valid_")}


def used_fields(items: Iterable[Item]) -> tuple[str, ...]:
    """``FIELDS``, then the thesaurus fields at least one of ``items`` has a value for."""
    found = {name for item in items for name in THESAURUS_FIELDS if getattr(item, name)}
    return FIELDS + tuple(name for name in THESAURUS_FIELDS if name in found)


def languages(items: Iterable[Item]) -> list[str]:
    """Title languages used, ``da`` and ``en`` first, then the others alphabetically."""
    found = {lang for item in items for lang in item.titles}
    return sorted(found, key=lambda lang: (lang != "da", lang != "en", lang))


def ordered(items: Iterable[Item], order: CodeOrder | str = CodeOrder.NATURAL) -> list[Item]:
    """Items in a stable order: by code, then by start of validity."""
    key = sort_key(order)
    return sorted(
        items, key=lambda i: (key(i.code), i.code, i.valid.start is not None, i.valid.start or date.min)
    )


def to_record(item: Item) -> dict[str, Any]:
    """JSON-native values, named as everywhere else in Kodeks (:mod:`kodeks.domain.codec`)."""
    return item_to_dict(item)


def from_record(record: Mapping[str, Any], *, source: str, location: str) -> Item:
    """The Item a record describes; bad values raise ``InvalidContent`` naming ``location``."""

    def fail(message: str) -> InvalidContent:
        return InvalidContent(message, source=source, location=location)

    try:
        code = _text(record.get("code"))
        if not code:
            raise fail("empty code")
        start, end = _date(record, "valid_from", fail), _date(record, "valid_to", fail)
        if start and end and end < start:
            raise fail(f"valid_to {end} is before valid_from {start}")
        raw_uuid = _text(record.get("uuid"))
        level = record.get("level")
        return Item(
            code=code,
            titles={str(k): str(v) for k, v in (record.get("titles") or {}).items()},
            level=int(level) if level not in (None, "") else None,
            parent=_text(record.get("parent")),
            valid=Period(start, end),
            uuid=uuidlib.UUID(raw_uuid) if raw_uuid else None,
            description=_raw(record.get("description")),
            notes=tuple(str(n) for n in record.get("notes") or ()),
            alt_titles=tuple((str(lang), str(label)) for lang, label in record.get("alt_titles") or ()),
            keywords=tuple(
                Keyword(str(k["term"]), _weight(k.get("weight"))) for k in record.get("keywords") or ()
            ),
            replaced_by=tuple(str(c) for c in record.get("replaced_by") or ()),
            legal_refs=tuple(
                LegalReference(str(r["title"]), _raw(r.get("reference")))
                for r in record.get("legal_refs") or ()
            ),
            properties={str(k): str(v) for k, v in (record.get("properties") or {}).items()},
            other_parents=tuple(str(c) for c in record.get("other_parents") or ()),
            related=tuple(str(c) for c in record.get("related") or ()),
            groups=tuple(str(c) for c in record.get("groups") or ()),
            texts=tuple(
                LangText(str(t["kind"]), str(t["lang"]), str(t["text"])) for t in record.get("texts") or ()
            ),
            created=_date(record, "created", fail),
            modified=_date(record, "modified", fail),
        )
    except InvalidContent:
        raise
    except (ValueError, TypeError, KeyError, AttributeError) as exc:
        raise fail(f"invalid value: {exc}") from None


def columns(langs: Sequence[str], selection: Sequence[str] = FIELDS) -> list[str]:
    """Cell column names for the selected record keys, ``titles`` expanded per language."""
    out: list[str] = []
    for name in selection:
        out.extend(f"{TITLE_PREFIX}{lang}" for lang in langs) if name == "titles" else out.append(name)
    return out


def to_cells(record: Mapping[str, Any], names: Sequence[str]) -> list[str]:
    """Text cells for the columns ``names`` (from :func:`columns`)."""
    cells: list[str] = []
    for name in names:
        if name.startswith(TITLE_PREFIX):
            cells.append(record["titles"].get(name[len(TITLE_PREFIX) :], ""))
            continue
        value = record.get(name)
        if name in JSON_FIELDS:
            cells.append(json.dumps(value, ensure_ascii=False, separators=(",", ":")) if value else "")
        else:
            cells.append("" if value is None else str(value))
    return cells


def known_column(name: str) -> bool:
    return (name in ALL_FIELDS and name != "titles") or (
        name.startswith(TITLE_PREFIX) and len(name) > len(TITLE_PREFIX)
    )


def from_cells(header: Sequence[str], cells: Sequence[str], *, source: str, location: str) -> dict[str, Any]:
    """A record from text cells under ``header``; JSON cells that do not parse name their column."""
    record: dict[str, Any] = {"titles": {}}
    for name, cell in zip(header, cells, strict=False):
        if name.startswith(TITLE_PREFIX):
            if cell:
                record["titles"][name[len(TITLE_PREFIX) :]] = cell
        elif name in JSON_FIELDS:
            try:
                record[name] = json.loads(cell) if cell else None
            except json.JSONDecodeError as exc:
                raise InvalidContent(
                    f"column {name!r} is not valid JSON ({exc.msg})", source=source, location=location
                ) from None
        else:
            record[name] = cell or None
    return record


def fields_of(header: Iterable[str]) -> frozenset[str]:
    """The Item content fields a set of columns carries (for ``Bundle.fields``)."""
    names = {"titles" if h.startswith(TITLE_PREFIX) else h for h in header}
    return frozenset(ITEM_FIELD[n] for n in names if n in ITEM_FIELD and n != "code")


def _text(value: Any) -> str | None:
    """A code-like value: stripped, empty is absent."""
    text = "" if value is None else str(value).strip()
    return text or None


def _raw(value: Any) -> str | None:
    return None if value is None else str(value)


def _date(record: Mapping[str, Any], name: str, fail: Any) -> date | None:
    text = _text(record.get(name))
    try:
        return date.fromisoformat(text) if text else None
    except ValueError as exc:
        raise fail(f"invalid date {text!r} in {name} ({exc})") from None


def _weight(value: Any) -> int | None:
    return None if value in (None, "") else int(value)


def classification_id(source: str, given: str | None) -> str:
    """The id given, else the file name's stem as a slug (``DB07 2024.csv`` → ``db07-2024``)."""
    if given:
        if not is_slug(given):
            raise InvalidContent(f"classification id {given!r} is not a slug (a-z, 0-9, '-')", source=source)
        return given
    stem = PurePath(source).name.split(".")[0].lower()
    for danish, plain in (("æ", "ae"), ("ø", "oe"), ("å", "aa")):
        stem = stem.replace(danish, plain)
    slug = re.sub(r"[^a-z0-9]+", "-", stem).strip("-")[:63]
    if not is_slug(slug):
        raise InvalidContent(
            "cannot derive a classification id from the file name; give one (--classification)", source=source
        )
    return slug
