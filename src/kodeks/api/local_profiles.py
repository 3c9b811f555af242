"""Profiles: a municipality's specialization of a common classification, read like a classification
(``/classifications/{id}/profiles/{profile}`` with the same item endpoints as the classification)."""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, BackgroundTasks, Depends, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from kodeks.api import render
from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import RequiredActor, read_access
from kodeks.api.governance_http import LimitedRoute
from kodeks.api.local_common import (
    STORE,
    deliver_soon,
    etag,
    expected_version,
    feed,
    iso,
    may_publish_for,
    when,
)
from kodeks.api.local_schemas import ProfileIn
from kodeks.domain.codec import item_to_dict
from kodeks.domain.local.codec import (
    local_code_from_dict,
    profile_header_to_dict,
    profile_to_dict,
    selection_from_dict,
)
from kodeks.domain.local.profile import Profile, origin
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.local import feeds, profile_reads, profiles
from kodeks.services.local.ports import StoredProfile

router = APIRouter(
    prefix="/api/v1/classifications/{classification_id}/profiles",
    tags=["local: profiles"],
    route_class=LimitedRoute,
    dependencies=[Depends(read_access)],
)
At = Annotated[date | None, Query(description="valid date (ISO); default today")]
KnownAt = Annotated[datetime | None, Query(description="recorded time (ISO timestamp, UTC); default now")]
P = "/{profile_id}"


def _links(cid: str, pid: str) -> dict[str, str]:
    base = f"/api/v1/classifications/{cid}/profiles/{pid}"
    return {
        "self": base,
        "items": f"{base}/items",
        "changes": f"{base}/changes",
        "affected": f"{base}/affected",
        "export": f"{base}/export",
        "classification": f"/api/v1/classifications/{cid}",
    }


def _out(stored: StoredProfile, *, entries: bool = True) -> dict[str, Any]:
    p = stored.profile
    body = profile_to_dict(p) if entries else profile_header_to_dict(p)
    return {
        **body,
        "version": stored.version,
        "recorded_at": iso(stored.recorded_at),
        "links": _links(p.classification, p.id),
    }


def _profile(cid: str, pid: str, body: ProfileIn) -> Profile:
    if body.id is not None and body.id != pid:
        raise InvalidRequest(f"the body names profile {body.id!r}, the path {pid!r}")
    data = body.model_dump(mode="json")
    try:
        return Profile(
            pid,
            cid,
            body.owner,
            dict(body.titles),
            body.description,
            body.include_all,
            body.based_on,
            tuple(selection_from_dict(s) for s in data["selections"]),
            tuple(local_code_from_dict(c) for c in data["local_codes"]),
        )
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None


@router.get("", summary="List the profiles of a classification")
def list_profiles(
    kodeks: KodeksDep,
    classification_id: str,
    known_at: KnownAt = None,
    owner: Annotated[str | None, Query(max_length=64)] = None,
) -> JSONResponse:
    found = profiles.list_profiles(kodeks.uow, STORE, cid=classification_id, owner=owner, known_at=known_at)
    return JSONResponse([_out(s, entries=False) for s in found])


@router.post("", status_code=201, summary="Create a profile (publish right for its owner)")
def create_profile(
    kodeks: KodeksDep,
    actor: RequiredActor,
    classification_id: str,
    body: ProfileIn,
    background: BackgroundTasks,
) -> JSONResponse:
    if body.id is None:
        raise InvalidRequest("name the profile: id")
    may_publish_for(actor, body.owner)
    stored = profiles.save_profile(
        kodeks.uow,
        STORE,
        _profile(classification_id, body.id, body),
        expected_version=None,
        actor=actor.name,
        create=True,
    )
    deliver_soon(background, kodeks)
    return JSONResponse(_out(stored), status_code=201, headers=etag("p", stored.version))


@router.get(P, summary="A profile's definition; its ETag is the version to send back in If-Match")
def get_profile(
    kodeks: KodeksDep, classification_id: str, profile_id: str, known_at: KnownAt = None
) -> JSONResponse:
    stored = profiles.get_profile(kodeks.uow, STORE, classification_id, profile_id, known_at)
    return JSONResponse(_out(stored), headers=etag("p", stored.version))


@router.put(P, summary="Replace a profile (If-Match: the version read; creates it when absent)")
def put_profile(
    kodeks: KodeksDep,
    actor: RequiredActor,
    classification_id: str,
    profile_id: str,
    body: ProfileIn,
    request: Request,
    background: BackgroundTasks,
) -> JSONResponse:
    expected = expected_version(request, "p")
    try:
        owner = profiles.get_profile(kodeks.uow, STORE, classification_id, profile_id).profile.owner
    except NotFound:
        owner = body.owner
    may_publish_for(actor, owner)
    stored = profiles.save_profile(
        kodeks.uow,
        STORE,
        _profile(classification_id, profile_id, body),
        expected_version=expected,
        actor=actor.name,
    )
    deliver_soon(background, kodeks)
    return JSONResponse(_out(stored), headers=etag("p", stored.version))


@router.get(
    P + "/items", summary="The profile's items valid on a date (CSV with format=csv or Accept: text/csv)"
)
def list_items(
    kodeks: KodeksDep,
    classification_id: str,
    profile_id: str,
    at: At = None,
    known_at: KnownAt = None,
    level: Annotated[int | None, Query(ge=0, le=99)] = None,
    format: Annotated[str | None, Query(pattern="^(json|csv)$")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    w = when(at, known_at)
    if format == "csv" or (format is None and accept is not None and "text/csv" in accept):
        exported = profile_reads.export(
            kodeks.uow, STORE, kodeks.formats, classification_id, profile_id, "csv", w
        )
        return Response(exported.content, media_type="text/csv; charset=utf-8")
    found = profile_reads.items(kodeks.uow, STORE, classification_id, profile_id, w, level)
    return JSONResponse(
        {
            "classification": classification_id,
            "profile": profile_id,
            "at": w.at.isoformat(),
            "known_at": iso(w.known_at),
            "version": found.stored.version,
            "count": len(found.items),
            "items": [item_to_dict(i) for i in found.items],
        }
    )


@router.get(P + "/items/{code}", summary="One item of the profile on a date (404 says why not)")
def get_item(
    kodeks: KodeksDep,
    classification_id: str,
    profile_id: str,
    code: str,
    at: At = None,
    known_at: KnownAt = None,
) -> JSONResponse:
    view = profile_reads.item(kodeks.uow, STORE, classification_id, profile_id, code, when(at, known_at))
    base = f"{_links(classification_id, profile_id)['items']}/{code}"
    return JSONResponse(
        {
            **item_to_dict(view.item),
            "classification": classification_id,
            "profile": profile_id,
            "origin": origin(view.item),
            "at": view.at.isoformat(),
            "children": view.children,
            "successors_now": list(view.successors_now),
            "links": {
                "self": base,
                "children": f"{base}/children",
                "descendants": f"{base}/descendants",
                "history": f"{base}/history",
            },
        }
    )


@router.get(P + "/items/{code}/children", summary="Children of a profile item on a date")
def get_children(
    kodeks: KodeksDep,
    classification_id: str,
    profile_id: str,
    code: str,
    at: At = None,
    known_at: KnownAt = None,
) -> JSONResponse:
    found = profile_reads.children(kodeks.uow, STORE, classification_id, profile_id, code, when(at, known_at))
    return JSONResponse([item_to_dict(i) for i in found])


@router.get(P + "/items/{code}/descendants", summary="Descendants of a profile item on a date")
def get_descendants(
    kodeks: KodeksDep,
    classification_id: str,
    profile_id: str,
    code: str,
    at: At = None,
    known_at: KnownAt = None,
) -> JSONResponse:
    found = profile_reads.descendants(
        kodeks.uow, STORE, classification_id, profile_id, code, when(at, known_at)
    )
    return JSONResponse([item_to_dict(i) for i in found])


@router.get(P + "/items/{code}/history", summary="Every record of the code: the profile's and upstream")
def get_history(
    kodeks: KodeksDep, classification_id: str, profile_id: str, code: str, known_at: KnownAt = None
) -> JSONResponse:
    records = profile_reads.history(kodeks.uow, STORE, classification_id, profile_id, code, known_at)
    return JSONResponse(
        {
            "classification": classification_id,
            "profile": profile_id,
            "code": code,
            "records": [{**render.record(h.record), "source": h.source} for h in records],
        }
    )


@router.get(
    P + "/changes", summary="Two modes: from/to (valid-date diff) or since/cursor (recorded-time feed)"
)
def get_changes(
    kodeks: KodeksDep,
    classification_id: str,
    profile_id: str,
    from_: Annotated[date | None, Query(alias="from", description="diff: earlier valid date")] = None,
    to: Annotated[date | None, Query(description="diff: later valid date")] = None,
    since: Annotated[datetime | None, Query(description="feed: records after this time")] = None,
    cursor: Annotated[str | None, Query(max_length=512, description="feed: next page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="feed: page size")] = 100,
    known_at: KnownAt = None,
) -> JSONResponse:
    """With ``since`` or ``cursor``: the feed of what was recorded for the profile (its definition
    and the common codes it shows), paged. Otherwise ``from`` and ``to``: what a reader of the
    profile sees change between two valid dates."""
    if since is not None or cursor is not None:
        result = feeds.profile_feed(
            kodeks.uow, STORE, classification_id, profile_id, since=since, cursor=cursor, limit=limit
        )
        return JSONResponse(feed(result))
    if from_ is None or to is None:
        raise InvalidRequest("give 'from' and 'to' (valid dates) for a diff, or 'since' for the change feed")
    cs = profile_reads.changes(kodeks.uow, STORE, classification_id, profile_id, from_, to, known_at)
    return JSONResponse({**render.changes(classification_id, cs), "profile": profile_id})


@router.get(P + "/affected", summary="Entries touched by the common classification's newer versions")
def get_affected(
    kodeks: KodeksDep,
    classification_id: str,
    profile_id: str,
    from_: Annotated[date | None, Query(alias="from", description="default: the profile's based_on")] = None,
    to: Annotated[date | None, Query(description="default: today or the newest release date")] = None,
    known_at: KnownAt = None,
) -> JSONResponse:
    report = profiles.affected_entries(
        kodeks.uow, STORE, classification_id, profile_id, from_date=from_, to_date=to, known_at=known_at
    )
    return JSONResponse(
        {
            "classification": classification_id,
            "profile": profile_id,
            "from": report.from_date.isoformat(),
            "to": report.to_date.isoformat(),
            "count": len(report.entries),
            "entries": [
                {
                    "code": a.code,
                    "entry": a.entry,
                    "effect": str(a.effect),
                    "message": a.message,
                    "proposed": list(a.proposed),
                }
                for a in report.entries
            ],
        }
    )


@router.get(P + "/export", summary="The profile on a date in any registry export format")
def export(
    kodeks: KodeksDep,
    classification_id: str,
    profile_id: str,
    format: Annotated[str, Query(description="ttl | jsonld | rdfxml | csv | json | xlsx | fhir")],
    at: At = None,
    known_at: KnownAt = None,
) -> Response:
    exported = profile_reads.export(
        kodeks.uow, STORE, kodeks.formats, classification_id, profile_id, format, when(at, known_at)
    )
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )
