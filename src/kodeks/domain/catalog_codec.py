"""Catalog entries as plain dicts of JSON types, and back (storage, API, CLI share the field names).

``entry_from_dict`` is strict: unknown fields and wrong types raise ``ValueError`` with the field name,
so hostile or mistyped input never becomes an entry.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kodeks.domain.catalog import CatalogEntry, ContactPoint, Distribution

_LISTS = ("themes", "keywords", "related", "used_by")
_TEXTS = (
    "publisher",
    "owner",
    "licence",
    "rights",
    "subject_area",
    "frequency",
    "landing_page",
    "version",
    "identifier",
)
FIELDS = frozenset(
    {
        "id",
        "kind",
        "titles",
        "descriptions",
        "contact",
        "access",
        "status",
        "distributions",
        "issued",
        "modified",
        *_LISTS,
        *_TEXTS,
    }
)


def entry_to_dict(e: CatalogEntry) -> dict[str, Any]:
    return {
        "id": e.id,
        "kind": e.kind,
        "titles": dict(sorted(e.titles.items())),
        "descriptions": dict(sorted(e.descriptions.items())),
        "publisher": e.publisher,
        "owner": e.owner,
        "contact": contact_to_dict(e.contact) if e.contact else None,
        "licence": e.licence,
        "rights": e.rights,
        "access": e.access,
        "themes": list(e.themes),
        "keywords": list(e.keywords),
        "subject_area": e.subject_area,
        "frequency": e.frequency,
        "status": e.status,
        "landing_page": e.landing_page,
        "distributions": [distribution_to_dict(d) for d in e.distributions],
        "related": list(e.related),
        "used_by": list(e.used_by),
        "version": e.version,
        "issued": e.issued.isoformat() if e.issued else None,
        "modified": e.modified.isoformat() if e.modified else None,
        "identifier": e.identifier,
    }


def contact_to_dict(c: ContactPoint) -> dict[str, Any]:
    return {"name": c.name, "email": c.email, "url": c.url}


def distribution_to_dict(d: Distribution) -> dict[str, Any]:
    return {"url": d.url, "title": d.title, "media_type": d.media_type, "download": d.download}


def entry_from_dict(data: dict[str, Any]) -> CatalogEntry:
    """An entry from a dict; ``ValueError`` for unknown fields, wrong types or broken rules."""
    return CatalogEntry(**fields_from_dict(data, partial=False))


def fields_from_dict(data: dict[str, Any], *, partial: bool) -> dict[str, Any]:
    """Constructor arguments from ``data``; with ``partial`` only the fields present (for updates)."""
    if not isinstance(data, dict):
        raise ValueError("an entry must be a JSON object")
    unknown = sorted(set(data) - FIELDS)
    if unknown:
        raise ValueError(f"unknown fields: {', '.join(unknown)}")
    if not partial and "id" not in data:
        raise ValueError("id is required")
    out: dict[str, Any] = {}
    for name, value in data.items():
        out[name] = _convert(name, value)
    if not partial:
        out.setdefault("titles", {})
    return {k: v for k, v in out.items() if not (v is None and k in ("access", "status", "kind"))}


def _convert(name: str, value: Any) -> Any:
    if name in ("id", "kind", "access", "status"):
        return _str(name, value, nullable=name not in ("id",))
    if name in ("titles", "descriptions"):
        return _lang_map(name, value)
    if name in _TEXTS:
        return _str(name, value, nullable=True)
    if name in _LISTS:
        return tuple(_str(name, v) for v in _list(name, value))
    if name in ("issued", "modified"):
        return _date(name, value)
    if name == "contact":
        if value is None:
            return None
        obj = _obj(name, value, {"name", "email", "url"})
        return ContactPoint(**{k: _str(f"contact.{k}", v, nullable=True) for k, v in obj.items()})
    if name == "distributions":
        out = []
        for d in _list(name, value):
            obj = _obj(name, d, {"url", "title", "media_type", "download"})
            download = obj.pop("download", True)
            if not isinstance(download, bool):
                raise ValueError("distributions.download must be true or false")
            out.append(
                Distribution(
                    url=_str("distributions.url", obj.pop("url", None)),
                    download=download,
                    **{k: _str(f"distributions.{k}", v, nullable=True) for k, v in obj.items()},
                )
            )
        return tuple(out)
    raise ValueError(f"unknown field {name}")  # pragma: no cover - FIELDS guards this


def _str(name: str, value: Any, *, nullable: bool = False) -> Any:
    if value is None and nullable:
        return None
    if not isinstance(value, str):
        raise ValueError(f"{name} must be text")
    stripped = value.strip()
    return None if nullable and not stripped else stripped


def _lang_map(name: str, value: Any) -> dict[str, str]:
    if value is None:
        return {}
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be an object of language → text")
    return {str(k): v for k, v in ((k, _str(f"{name}.{k}", v, nullable=True)) for k, v in value.items()) if v}


def _list(name: str, value: Any) -> list[Any]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise ValueError(f"{name} must be a list")
    return value


def _obj(name: str, value: Any, allowed: set[str]) -> dict[str, Any]:
    if not isinstance(value, dict):
        raise ValueError(f"{name} must be an object")
    unknown = sorted(set(value) - allowed)
    if unknown:
        raise ValueError(f"{name}: unknown fields {', '.join(unknown)}")
    return dict(value)


def _date(name: str, value: Any) -> date | None:
    if value in (None, ""):
        return None
    try:
        return date.fromisoformat(str(value))
    except ValueError:
        raise ValueError(f"{name} {str(value)[:40]!r} is not a date (YYYY-MM-DD)") from None
