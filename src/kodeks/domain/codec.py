"""Items, releases and classifications as plain dicts of JSON types, and back.

One codec serves storage (JSON columns), the API and Kodeks' own JSON format, so a field is named
the same everywhere. Dates are ISO strings; an open end is ``None``.
"""

from __future__ import annotations

import hashlib
import uuid as uuidlib
from collections.abc import Iterable, Sequence
from datetime import date
from typing import Any

import orjson

from kodeks.domain.classification import Classification
from kodeks.domain.codes import CodeOrder
from kodeks.domain.group import Group
from kodeks.domain.item import Item, Keyword, LangText, LegalReference
from kodeks.domain.period import Period
from kodeks.domain.release import Level, Release, ReleaseKind


def _day(value: Any) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def item_to_dict(item: Item) -> dict[str, Any]:
    return {
        "code": item.code,
        "uuid": str(item.uuid) if item.uuid else None,
        "titles": dict(sorted(item.titles.items())),
        "level": item.level,
        "parent": item.parent,
        "valid_from": _iso(item.valid.start),
        "valid_to": _iso(item.valid.end),
        "description": item.description,
        "notes": list(item.notes),
        "alt_titles": [[lang, label] for lang, label in item.alt_titles],
        "keywords": [{"term": k.term, "weight": k.weight} for k in item.keywords],
        "replaced_by": list(item.replaced_by),
        "legal_refs": [{"title": r.title, "reference": r.reference} for r in item.legal_refs],
        "properties": dict(sorted(item.properties.items())),
        **_thesaurus_fields(item),
    }


def _thesaurus_fields(item: Item) -> dict[str, Any]:
    """The fields thesauri fill, only where set: an item without them keeps the dict (and the
    fingerprint) it had before these fields existed."""
    out: dict[str, Any] = {}
    if item.other_parents:
        out["other_parents"] = list(item.other_parents)
    if item.related:
        out["related"] = list(item.related)
    if item.groups:
        out["groups"] = list(item.groups)
    if item.texts:
        out["texts"] = [{"kind": t.kind, "lang": t.lang, "text": t.text} for t in item.texts]
    if item.created is not None:
        out["created"] = item.created.isoformat()
    if item.modified is not None:
        out["modified"] = item.modified.isoformat()
    return out


def item_from_dict(data: dict[str, Any]) -> Item:
    # Every staged and recorded item passes here, often with most collections empty: those are
    # skipped without building a generator (a large import reads millions of items).
    get = data.get
    uuid, keywords, refs, texts = get("uuid"), get("keywords"), get("legal_refs"), get("texts")
    alt = get("alt_titles")
    return Item(
        code=data["code"],
        uuid=uuidlib.UUID(uuid) if uuid else None,
        titles=dict(get("titles") or {}),
        level=get("level"),
        parent=get("parent"),
        valid=Period(_day(get("valid_from")), _day(get("valid_to"))),
        description=get("description"),
        notes=tuple(get("notes") or ()),
        alt_titles=tuple((lang, label) for lang, label in alt) if alt else (),
        keywords=tuple(Keyword(k["term"], k.get("weight")) for k in keywords) if keywords else (),
        replaced_by=tuple(get("replaced_by") or ()),
        legal_refs=tuple(LegalReference(r["title"], r.get("reference")) for r in refs) if refs else (),
        properties=dict(get("properties") or {}),
        other_parents=tuple(get("other_parents") or ()),
        related=tuple(get("related") or ()),
        groups=tuple(get("groups") or ()),
        texts=tuple(LangText(t["kind"], t["lang"], t["text"]) for t in texts) if texts else (),
        created=_day(get("created")),
        modified=_day(get("modified")),
    )


def group_to_dict(group: Group) -> dict[str, Any]:
    titles = dict(sorted(group.titles.items()))
    return {"code": group.code, "titles": titles, "subgroups": list(group.subgroups)}


def group_from_dict(data: dict[str, Any]) -> Group:
    return Group(str(data["code"]), dict(data.get("titles") or {}), tuple(data.get("subgroups") or ()))


def classification_to_dict(c: Classification) -> dict[str, Any]:
    return {
        "id": c.id,
        "titles": dict(sorted(c.titles.items())),
        "description": c.description,
        "owner": c.owner,
        "publisher": c.publisher,
        "licence": c.licence,
        "copyrighted": c.copyrighted,
        "source_uri": c.source_uri,
        "uri": c.canonical_uri,
        "code_order": str(c.code_order),
    }


def classification_from_dict(data: dict[str, Any]) -> Classification:
    return Classification(
        id=data["id"],
        titles=dict(data.get("titles") or {}),
        description=data.get("description"),
        owner=data.get("owner"),
        publisher=data.get("publisher"),
        licence=data.get("licence"),
        copyrighted=bool(data.get("copyrighted")),
        source_uri=data.get("source_uri"),
        uri=data.get("uri"),
        code_order=CodeOrder(data.get("code_order") or "natural"),
    )


def level_to_dict(level: Level) -> dict[str, Any]:
    return {"number": level.number, "titles": dict(sorted(level.titles.items()))}


def level_from_dict(data: dict[str, Any]) -> Level:
    return Level(int(data["number"]), dict(data.get("titles") or {}))


def release_to_dict(r: Release) -> dict[str, Any]:
    groups = {"groups": [group_to_dict(g) for g in r.groups]} if r.groups else {}
    return groups | {
        "label": r.label,
        "release_date": r.release_date.isoformat(),
        "kind": str(r.kind),
        "fields": sorted(r.fields),
        "source": r.source,
        "format": r.format,
        "levels_covered": sorted(r.levels_covered) if r.levels_covered is not None else None,
    }


def release_from_dict(data: dict[str, Any]) -> Release:
    covered = data.get("levels_covered")
    return Release(
        label=data["label"],
        release_date=date.fromisoformat(data["release_date"]),
        kind=ReleaseKind(data.get("kind") or "snapshot"),
        fields=frozenset(data["fields"]),
        source=data.get("source"),
        format=data.get("format"),
        levels_covered=frozenset(covered) if covered is not None else None,
        groups=tuple(group_from_dict(g) for g in data.get("groups") or ()),
    )


def content_digest(release: Release, levels: Sequence[Level], items: Sequence[Item]) -> str:
    """Identity of what a release says, whatever its label or file: the same content twice is one
    version. Dates, kind, the fields and levels it speaks for, its levels and items count."""
    return streamed_digest(release, levels, (item_json(i) for i in sorted(items, key=item_key)))


def item_json(item: Item) -> bytes:
    """An item as the digest sees it: ``item_to_dict`` as JSON with sorted keys."""
    return orjson.dumps(item_to_dict(item), option=orjson.OPT_SORT_KEYS)


def item_key(item: Item) -> tuple[str, str]:
    """The order of items in the digest: by code, then start of validity (open start first)."""
    return (item.code, _iso(item.valid.start) or "")


def streamed_digest(release: Release, levels: Sequence[Level], items: Iterable[bytes]) -> str:
    """``content_digest`` from the items' ``item_json`` in ``item_key`` order, read once: the hash of
    the same JSON document (keys sorted) without holding it, so a large release is hashed in passing."""
    head = {
        "fields": sorted(release.fields),
        "kind": str(release.kind),
        "levels": [level_to_dict(lv) for lv in levels],
        "levels_covered": sorted(release.levels_covered) if release.levels_covered is not None else None,
        "release_date": release.release_date.isoformat(),
    }

    def value(name: str) -> bytes:
        return orjson.dumps(head[name], option=orjson.OPT_SORT_KEYS)

    digest = hashlib.sha256(b'{"fields":' + value("fields"))
    if release.groups:  # keys in sorted order: "groups" comes between "fields" and "items"
        groups = [group_to_dict(g) for g in release.groups]
        digest.update(b',"groups":' + orjson.dumps(groups, option=orjson.OPT_SORT_KEYS))
    digest.update(b',"items":[')
    for n, text in enumerate(items):
        digest.update(b"," + text if n else text)
    digest.update(b'],"kind":' + value("kind") + b',"levels":' + value("levels"))
    digest.update(b',"levels_covered":' + value("levels_covered"))
    digest.update(b',"release_date":' + value("release_date") + b"}")
    return digest.hexdigest()


def fingerprint(item: Item) -> str:
    """Identity of an item's content and validity: equal fingerprints say exactly the same thing."""
    return fingerprint_of(item_to_dict(item))


def fingerprint_of(data: dict[str, Any]) -> str:
    """``fingerprint`` of an item already turned into a dict by ``item_to_dict``."""
    return hashlib.sha256(orjson.dumps(data, option=orjson.OPT_SORT_KEYS)).hexdigest()
