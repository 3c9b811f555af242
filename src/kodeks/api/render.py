"""Turning service results into JSON-ready dicts (one place, so the field names never drift)."""

from __future__ import annotations

from typing import Any

import orjson
from starlette.responses import Response

from kodeks.domain.changes import ChangeSet
from kodeks.domain.classification import Classification
from kodeks.domain.codec import classification_to_dict, item_to_dict, level_to_dict
from kodeks.domain.language import shown_title
from kodeks.domain.successors import Proposal
from kodeks.services.ports import ItemRecord
from kodeks.services.queries import ItemView, Version

API = "/api/v1"


def classification(c: Classification) -> dict[str, Any]:
    base = f"{API}/classifications/{c.id}"
    return {
        **classification_to_dict(c),
        "links": {
            "self": base,
            "versions": f"{base}/versions",
            "items": f"{base}/items",
            "export": f"{base}/export",
        },
    }


def version(v: Version) -> dict[str, Any]:
    return {
        "label": v.label,
        "release_date": v.release_date.isoformat(),
        "valid_from": v.valid.start.isoformat() if v.valid.start else None,
        "valid_to": v.valid.end.isoformat() if v.valid.end else None,
        "kind": v.kind,
        "source": v.source,
        "format": v.format,
        "item_count": v.item_count,
        "recorded_at": v.recorded_at.isoformat() + "Z",
        "levels": [level_to_dict(lv) for lv in v.levels],
    }


def item_view(view: ItemView, query: str = "") -> dict[str, Any]:
    """``query`` (``?at=...``) is what the reader asked for: ``self``, ``children`` and ``descendants``
    keep it, so following them shows the same day (an expired code's ``self`` stays valid)."""
    code = view.item.code
    base = f"{API}/classifications/{view.classification}/items/{code}"
    shown = shown_title(view.item.titles)
    return {
        **item_to_dict(view.item),
        "title": shown[1] if shown else None,
        "title_lang": shown[0] if shown else None,
        "classification": view.classification,
        "at": view.at.isoformat(),
        "children": view.children,
        "successors_now": list(view.successors_now),
        "links": {
            "self": base + query,
            "children": f"{base}/children{query}",
            "descendants": f"{base}/descendants{query}",
            "history": f"{base}/history",
        },
    }


def record(r: ItemRecord) -> dict[str, Any]:
    return {
        "item": item_to_dict(r.item),
        "release": r.release,
        "recorded_from": r.recorded_from.isoformat() + "Z",
        "recorded_to": r.recorded_to.isoformat() + "Z" if r.recorded_to else None,
        "current": r.recorded_to is None,
    }


def changes(cid: str, cs: ChangeSet) -> dict[str, Any]:
    return {
        "classification": cid,
        "from": cs.from_date.isoformat(),
        "to": cs.to_date.isoformat(),
        "counts": cs.counts,
        "added": [item_to_dict(i) for i in cs.added],
        "expired": [item_to_dict(i) for i in cs.expired],
        "renamed": [{"code": r.code, "old_title": r.old_title, "new_title": r.new_title} for r in cs.renamed],
        "moved": [{"old": m.old, "new": m.new, "kind": str(m.kind)} for m in cs.moved],
        "reused": [{"code": r.code, "old_title": r.old_title, "new_title": r.new_title} for r in cs.reused],
    }


def proposal(p: Proposal) -> dict[str, Any]:
    return {
        "old": p.old,
        "new": p.new,
        "score": p.score,
        "reasons": list(p.reasons),
        "old_title": p.old_title,
        "new_title": p.new_title,
    }


class FastJSON(Response):
    """A JSON response serialized with orjson (UTF-8, no ASCII escaping): the registry's lists are large."""

    media_type = "application/json"

    def render(self, content: Any) -> bytes:
        return orjson.dumps(content)
