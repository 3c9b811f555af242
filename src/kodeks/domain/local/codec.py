"""Profiles, sortimenter, correspondences and reserved ranges as dicts of JSON types, and back.

One codec for storage (JSON columns), the API and the CLI's JSON files, like ``kodeks.domain.codec``.
"""

from __future__ import annotations

from datetime import date
from typing import Any

from kodeks.domain.local.correspondence import Correspondence, Mapping, Side
from kodeks.domain.local.profile import LocalCode, Profile, Selection
from kodeks.domain.local.ranges import ReservedRange
from kodeks.domain.local.sortiment import Sortiment, SortimentEntry
from kodeks.domain.period import Period


def _day(value: Any) -> date | None:
    return None if value in (None, "") else date.fromisoformat(str(value))


def _iso(value: date | None) -> str | None:
    return value.isoformat() if value is not None else None


def period_to_dict(p: Period) -> dict[str, str | None]:
    return {"valid_from": _iso(p.start), "valid_to": _iso(p.end)}


def period_from_dict(data: dict[str, Any]) -> Period:
    return Period(_day(data.get("valid_from")), _day(data.get("valid_to")))


def range_to_dict(r: ReservedRange) -> dict[str, Any]:
    return {
        "level": r.level,
        "low": r.low,
        "high": r.high,
        "width": r.width,
        "separator": r.separator,
        "under": r.under,
        "note": r.note,
    }


def range_from_dict(data: dict[str, Any]) -> ReservedRange:
    return ReservedRange(
        level=int(data["level"]),
        low=int(data["low"]),
        high=int(data["high"]),
        width=int(data.get("width", 2)),
        separator=str(data.get("separator", ".")),
        under=data.get("under"),
        note=data.get("note"),
    )


def selection_to_dict(s: Selection) -> dict[str, Any]:
    return {
        "code": s.code,
        "titles": dict(sorted(s.titles.items())),
        "subtree": s.subtree,
        **period_to_dict(s.valid),
    }


def selection_from_dict(data: dict[str, Any]) -> Selection:
    return Selection(
        code=data["code"],
        titles=dict(data.get("titles") or {}),
        subtree=bool(data.get("subtree")),
        valid=period_from_dict(data),
    )


def local_code_to_dict(c: LocalCode) -> dict[str, Any]:
    return {
        "code": c.code,
        "parent": c.parent,
        "titles": dict(sorted(c.titles.items())),
        "description": c.description,
        **period_to_dict(c.valid),
    }


def local_code_from_dict(data: dict[str, Any]) -> LocalCode:
    return LocalCode(
        code=data["code"],
        parent=data["parent"],
        titles=dict(data.get("titles") or {}),
        description=data.get("description"),
        valid=period_from_dict(data),
    )


def profile_header_to_dict(p: Profile) -> dict[str, Any]:
    """The profile without its entries."""
    return {
        "id": p.id,
        "classification": p.classification,
        "owner": p.owner,
        "titles": dict(sorted(p.titles.items())),
        "description": p.description,
        "include_all": p.include_all,
        "based_on": _iso(p.based_on),
    }


def profile_to_dict(p: Profile) -> dict[str, Any]:
    return {
        **profile_header_to_dict(p),
        "selections": [selection_to_dict(s) for s in p.selections],
        "local_codes": [local_code_to_dict(c) for c in p.local_codes],
    }


def profile_from_dict(data: dict[str, Any]) -> Profile:
    return Profile(
        id=data["id"],
        classification=data["classification"],
        owner=str(data["owner"]),
        titles=dict(data.get("titles") or {}),
        description=data.get("description"),
        include_all=bool(data.get("include_all")),
        based_on=_day(data.get("based_on")),
        selections=tuple(selection_from_dict(s) for s in data.get("selections") or ()),
        local_codes=tuple(local_code_from_dict(c) for c in data.get("local_codes") or ()),
    )


def entry_to_dict(e: SortimentEntry) -> dict[str, Any]:
    return {"classification": e.classification, "code": e.code, "rank": e.rank, "label": e.label}


def entry_from_dict(data: dict[str, Any]) -> SortimentEntry:
    rank = data.get("rank")
    return SortimentEntry(
        classification=data["classification"],
        code=data["code"],
        rank=int(rank) if rank is not None else None,
        label=data.get("label"),
    )


def sortiment_to_dict(s: Sortiment) -> dict[str, Any]:
    return {
        "id": s.id,
        "owner": s.owner,
        "version": s.version,
        "valid_from": s.valid_from.isoformat(),
        "titles": dict(sorted(s.titles.items())),
        "description": s.description,
        "entries": [entry_to_dict(e) for e in s.entries],
    }


def sortiment_from_dict(data: dict[str, Any]) -> Sortiment:
    return Sortiment(
        id=data["id"],
        owner=str(data["owner"]),
        version=int(data["version"]),
        valid_from=date.fromisoformat(data["valid_from"]),
        titles=dict(data.get("titles") or {}),
        description=data.get("description"),
        entries=tuple(entry_from_dict(e) for e in data.get("entries") or ()),
    )


def side_to_dict(s: Side) -> dict[str, Any]:
    return {"classification": s.classification, "version": s.version, "level": s.level}


def side_from_dict(data: dict[str, Any]) -> Side:
    level = data.get("level")
    return Side(data["classification"], data.get("version"), int(level) if level is not None else None)


def mapping_to_dict(m: Mapping) -> dict[str, Any]:
    return {
        "source": m.source,
        "target": m.target,
        "partial": m.partial,
        "note": m.note,
        "source_title": m.source_title,
        "target_title": m.target_title,
    }


def mapping_from_dict(data: dict[str, Any]) -> Mapping:
    return Mapping(
        data["source"],
        data.get("target"),
        bool(data.get("partial")),
        data.get("note"),
        data.get("source_title"),
        data.get("target_title"),
    )


def correspondence_header_to_dict(c: Correspondence) -> dict[str, Any]:
    """The correspondence without its mappings."""
    return {
        "id": c.id,
        "source": side_to_dict(c.source),
        "target": side_to_dict(c.target),
        "titles": dict(sorted(c.titles.items())),
        "owner": c.owner,
        "description": c.description,
        "origin": c.origin,
        **period_to_dict(c.valid),
    }


def correspondence_from_dict(data: dict[str, Any], mappings: tuple[Mapping, ...] = ()) -> Correspondence:
    return Correspondence(
        id=data["id"],
        source=side_from_dict(data["source"]),
        target=side_from_dict(data["target"]),
        titles=dict(data.get("titles") or {}),
        owner=data.get("owner"),
        description=data.get("description"),
        valid=period_from_dict(data),
        origin=data.get("origin"),
        mappings=mappings,
    )
