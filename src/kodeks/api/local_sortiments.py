"""Sortimenter: owned, versioned lists of codes across classifications, for IT systems to use.

``GET /api/v1/sortiments/{id}/codes?at=`` is a contract: the codes in force on ``at`` (each with its
title on that date, rank and local label), and the entries that are not valid then (expired ones
with their successors) under ``invalid``.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Query, Request, Response
from fastapi.responses import JSONResponse

from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import ActorDep, GovernanceDep, RequiredActor
from kodeks.api.governance_http import LimitedRoute
from kodeks.api.local_common import (
    STORE,
    deliver_soon,
    etag,
    expected_version,
    feed,
    iso,
    may_publish_for,
    may_read,
    when,
)
from kodeks.api.local_schemas import SortimentIn
from kodeks.domain.codec import item_to_dict
from kodeks.domain.governance.roles import ResourceKind
from kodeks.domain.local.codec import entry_to_dict, sortiment_to_dict
from kodeks.domain.local.sortiment import EntryCheck, Sortiment, SortimentEntry
from kodeks.errors import InvalidRequest, NotFound
from kodeks.formats import sortiment_export
from kodeks.services.local import feeds, sortiments
from kodeks.services.local.ports import StoredSortiment
from kodeks.services.local.sortiments import SortimentCodes

router = APIRouter(prefix="/api/v1/sortiments", tags=["local: sortimenter"], route_class=LimitedRoute)
At = Annotated[date | None, Query(description="valid date (ISO); default today")]
KnownAt = Annotated[datetime | None, Query(description="recorded time (ISO timestamp, UTC); default now")]


def _links(sid: str) -> dict[str, str]:
    base = f"/api/v1/sortiments/{sid}"
    return {
        "self": base,
        "codes": f"{base}/codes",
        "validity": f"{base}/validity",
        "versions": f"{base}/versions",
        "export": f"{base}/export",
        "changes": f"{base}/changes",
    }


def _out(stored: StoredSortiment, *, entries: bool = True) -> dict[str, Any]:
    body = sortiment_to_dict(stored.sortiment)
    if not entries:
        body.pop("entries")
        body["entry_count"] = len(stored.sortiment.entries)
    return {**body, "recorded_at": iso(stored.recorded_at), "links": _links(stored.sortiment.id)}


def _check(c: EntryCheck) -> dict[str, Any]:
    out: dict[str, Any] = {
        **entry_to_dict(c.entry),
        "status": str(c.status),
        "title": c.item.title() if c.item else None,
        "valid": [
            {
                "valid_from": p.start.isoformat() if p.start else None,
                "valid_to": p.end.isoformat() if p.end else None,
            }
            for p in c.valid
        ],
    }
    if c.successors:
        out["successors"] = list(c.successors)
    return out


def _codes(found: SortimentCodes) -> dict[str, Any]:
    s = found.stored.sortiment
    return {
        "sortiment": s.id,
        "version": s.version,
        "valid_from": s.valid_from.isoformat(),
        "at": found.at.isoformat(),
        "known_at": iso(found.known_at),
        "count": len(found.valid),
        "codes": [
            {
                **entry_to_dict(c.entry),
                "title": c.item.title() if c.item else None,
                "item": item_to_dict(c.item) if c.item else None,
            }
            for c in found.valid
        ],
        "invalid": [_check(c) for c in found.invalid],
    }


def _sortiment(sid: str, body: SortimentIn) -> Sortiment:
    if body.id is not None and body.id != sid:
        raise InvalidRequest(f"the body names sortiment {body.id!r}, the path {sid!r}")
    entries = tuple(SortimentEntry(e.classification, e.code, e.rank, e.label) for e in body.entries)
    return Sortiment(sid, body.owner, 0, body.valid_from, dict(body.titles), body.description, entries)


def _readable(gov: GovernanceDep, actor: ActorDep, s: Sortiment) -> None:
    may_read(gov, actor, (e.classification for e in s.entries))


@router.get("", summary="List sortimenter (the newest version of each)")
def list_sortiments(
    kodeks: KodeksDep, owner: Annotated[str | None, Query(max_length=64)] = None, known_at: KnownAt = None
) -> JSONResponse:
    found = sortiments.list_sortiments(kodeks.uow, STORE, owner=owner, known_at=known_at)
    return JSONResponse([_out(s, entries=False) for s in found])


@router.post("", status_code=201, summary="Create a sortiment (publish right for its owner)")
def create_sortiment(
    kodeks: KodeksDep, actor: RequiredActor, body: SortimentIn, background: BackgroundTasks
) -> JSONResponse:
    if body.id is None:
        raise InvalidRequest("name the sortiment: id")
    may_publish_for(actor, body.owner, ResourceKind.SORTIMENT, body.id)
    stored = sortiments.save(
        kodeks.uow, STORE, _sortiment(body.id, body), expected_version=None, actor=actor.name, create=True
    )
    deliver_soon(background, kodeks)
    return JSONResponse(_out(stored), status_code=201, headers=etag("s", stored.sortiment.version))


@router.get("/{sortiment_id}", summary="The newest version of a sortiment; its ETag goes back in If-Match")
def get_sortiment(
    kodeks: KodeksDep, gov: GovernanceDep, actor: ActorDep, sortiment_id: str, known_at: KnownAt = None
) -> JSONResponse:
    newest = sortiments.versions(kodeks.uow, STORE, sortiment_id, known_at)[-1]
    _readable(gov, actor, newest.sortiment)
    return JSONResponse(_out(newest), headers=etag("s", newest.sortiment.version))


@router.put(
    "/{sortiment_id}", summary="Record a new version (If-Match: the version read; creates when absent)"
)
def put_sortiment(
    kodeks: KodeksDep,
    actor: RequiredActor,
    sortiment_id: str,
    body: SortimentIn,
    request: Request,
    background: BackgroundTasks,
) -> JSONResponse:
    expected = expected_version(request, "s")
    try:
        owner = sortiments.versions(kodeks.uow, STORE, sortiment_id)[-1].sortiment.owner
    except NotFound:
        owner = body.owner
    may_publish_for(actor, owner, ResourceKind.SORTIMENT, sortiment_id)
    stored = sortiments.save(
        kodeks.uow, STORE, _sortiment(sortiment_id, body), expected_version=expected, actor=actor.name
    )
    deliver_soon(background, kodeks)
    return JSONResponse(_out(stored), headers=etag("s", stored.sortiment.version))


@router.get("/{sortiment_id}/versions", summary="Every version of a sortiment, oldest first")
def list_versions(kodeks: KodeksDep, sortiment_id: str, known_at: KnownAt = None) -> JSONResponse:
    found = sortiments.versions(kodeks.uow, STORE, sortiment_id, known_at)
    return JSONResponse([_out(s, entries=False) for s in found])


@router.get("/{sortiment_id}/codes", summary="Contract: the sortiment's codes in force on a date")
def get_codes(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: ActorDep,
    sortiment_id: str,
    at: At = None,
    known_at: KnownAt = None,
) -> JSONResponse:
    found = sortiments.codes(kodeks.uow, STORE, sortiment_id, when(at, known_at))
    _readable(gov, actor, found.stored.sortiment)
    return JSONResponse(_codes(found))


@router.get("/{sortiment_id}/validity", summary="Every entry checked against its source on a date")
def get_validity(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: ActorDep,
    sortiment_id: str,
    at: At = None,
    known_at: KnownAt = None,
) -> JSONResponse:
    found = sortiments.codes(kodeks.uow, STORE, sortiment_id, when(at, known_at))
    _readable(gov, actor, found.stored.sortiment)
    s = found.stored.sortiment
    return JSONResponse(
        {
            "sortiment": s.id,
            "version": s.version,
            "at": found.at.isoformat(),
            "valid": len(found.valid),
            "invalid": len(found.invalid),
            "entries": [_check(c) for c in found.checks],
        }
    )


@router.get(
    "/{sortiment_id}/export", summary="The version in force on a date as a SKOS Collection or FHIR ValueSet"
)
def export(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: ActorDep,
    sortiment_id: str,
    format: Annotated[str, Query(description="skos | fhir")],
    at: At = None,
    known_at: KnownAt = None,
) -> Response:
    w = when(at, known_at)
    found = sortiments.codes(kodeks.uow, STORE, sortiment_id, w)
    _readable(gov, actor, found.stored.sortiment)
    written = sortiment_export.write(
        found.stored.sortiment, found.checks, found.classifications, found.at, format, expanded_at=w.known_at
    )
    name = f"{sortiment_id}-{found.at.isoformat()}.{written.extension}"
    return Response(
        written.content,
        media_type=written.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.get(
    "/{sortiment_id}/changes", summary="Feed: what was recorded for the sortiment and its codes since a time"
)
def get_changes(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: ActorDep,
    sortiment_id: str,
    since: Annotated[datetime | None, Query(description="records after this time")] = None,
    cursor: Annotated[str | None, Query(max_length=512, description="next page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000)] = 100,
) -> JSONResponse:
    newest = sortiments.versions(kodeks.uow, STORE, sortiment_id)[-1]
    _readable(gov, actor, newest.sortiment)
    result = feeds.sortiment_feed(kodeks.uow, STORE, sortiment_id, since=since, cursor=cursor, limit=limit)
    return JSONResponse(feed(result))
