"""Read-only registry routes. The paths are a contract: keep them."""

from __future__ import annotations

from collections.abc import MutableMapping
from datetime import date, datetime
from typing import Annotated, Any
from urllib.parse import quote, urlencode

from fastapi import APIRouter, Depends, Header, Query, Response

from kodeks import __version__
from kodeks.api import render
from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import read_access
from kodeks.api.local_common import STORE, feed
from kodeks.api.local_schemas import FeedOut
from kodeks.api.render import FastJSON
from kodeks.api.schemas import (
    ChangesOut,
    ClassificationOut,
    ErrorOut,
    HealthOut,
    HistoryOut,
    ItemDetailOut,
    ItemListOut,
    ItemOut,
    VersionOut,
)
from kodeks.bootstrap import Kodeks
from kodeks.domain.codec import item_to_dict
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services import exporting, queries
from kodeks.services.local import feeds
from kodeks.services.queries import When
from kodeks.storage.read_model import ModelUnitOfWorkFactory

#: ``read_access``: a classification whose public read is off (governance policy) needs a reader role.
router = APIRouter(dependencies=[Depends(read_access)])
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}}

At = Annotated[date | None, Query(description="valid date (ISO); default today")]
KnownAt = Annotated[datetime | None, Query(description="recorded time (ISO timestamp, UTC); default now")]
CID = "/api/v1/classifications/{classification_id}"


@router.get("/health", response_model=HealthOut, tags=["meta"])
def health(kodeks: KodeksDep) -> dict[str, str]:
    with kodeks.uow() as uow:
        uow.last_recorded_at()
    return {"status": "ok", "database": "ok", "version": __version__}


@router.get("/api/v1/classifications", tags=["registry"], responses={200: {"model": list[ClassificationOut]}})
def list_classifications(kodeks: KodeksDep, known_at: KnownAt = None) -> FastJSON:
    return FastJSON([render.classification(c) for c in queries.list_classifications(kodeks.uow, known_at)])


@router.get(CID, tags=["registry"], responses={200: {"model": ClassificationOut}, **ERRORS})
def get_classification(kodeks: KodeksDep, classification_id: str, known_at: KnownAt = None) -> FastJSON:
    return FastJSON(
        render.classification(queries.get_classification(kodeks.uow, classification_id, known_at))
    )


@router.get(CID + "/versions", tags=["registry"], responses={200: {"model": list[VersionOut]}, **ERRORS})
def list_versions(kodeks: KodeksDep, classification_id: str, known_at: KnownAt = None) -> FastJSON:
    return FastJSON([render.version(v) for v in queries.versions(kodeks.uow, classification_id, known_at)])


@router.get(
    CID + "/items",
    tags=["registry"],
    responses={200: {"model": ItemListOut, "content": {"text/csv": {}}}, **ERRORS},
)
def list_items(
    kodeks: KodeksDep,
    classification_id: str,
    at: At = None,
    known_at: KnownAt = None,
    level: Annotated[int | None, Query(ge=0, le=99)] = None,
    format: Annotated[str | None, Query(pattern="^(json|csv)$")] = None,
    accept: Annotated[str | None, Header()] = None,
) -> Response:
    """Items valid on ``at`` as known at ``known_at``; CSV with ``?format=csv`` or ``Accept: text/csv``."""
    when = When.of(at, known_at)
    wants_csv = format == "csv" or (format is None and accept is not None and "text/csv" in accept)
    if wants_csv:
        exported = exporting.export(kodeks.uow, kodeks.formats, classification_id, "csv", when, level=level)
        return Response(exported.content, media_type="text/csv; charset=utf-8")
    found = queries.items(kodeks.uow, classification_id, when, level)
    return FastJSON(
        {
            "classification": classification_id,
            "at": when.at.isoformat(),
            "known_at": when.known_at.isoformat() + "Z",
            "count": len(found),
            "items": [item_to_dict(i) for i in found],
        }
    )


@router.get(CID + "/items/{code}", tags=["registry"], responses={200: {"model": ItemDetailOut}, **ERRORS})
def get_item(
    kodeks: KodeksDep, classification_id: str, code: str, at: At = None, known_at: KnownAt = None
) -> FastJSON:
    """The item valid on ``at``; 404 otherwise, telling when it was valid (its lifespans) and which
    codes succeed it on ``at`` (``details.successors``, each with its ``href``)."""
    asked = [(k, v.isoformat()) for k, v in (("at", at), ("known_at", known_at)) if v is not None]
    try:
        view = queries.item(kodeks.uow, classification_id, code, When.of(at, known_at))
    except NotFound as exc:
        query = "?" + urlencode(asked) if asked else ""
        for successor in exc.details.get("successors", []):
            successor["href"] = (
                f"/api/v1/classifications/{classification_id}/items/{quote(successor['code'])}{query}"
            )
        raise
    return FastJSON(render.item_view(view, "?" + urlencode(asked) if asked else ""))


@router.get(
    CID + "/items/{code}/children", tags=["registry"], responses={200: {"model": list[ItemOut]}, **ERRORS}
)
def get_children(
    kodeks: KodeksDep, classification_id: str, code: str, at: At = None, known_at: KnownAt = None
) -> FastJSON:
    found = queries.children(kodeks.uow, classification_id, code, When.of(at, known_at))
    return FastJSON([item_to_dict(i) for i in found])


@router.get(
    CID + "/items/{code}/descendants", tags=["registry"], responses={200: {"model": list[ItemOut]}, **ERRORS}
)
def get_descendants(
    kodeks: KodeksDep, classification_id: str, code: str, at: At = None, known_at: KnownAt = None
) -> FastJSON:
    found = queries.descendants(kodeks.uow, classification_id, code, When.of(at, known_at))
    return FastJSON([item_to_dict(i) for i in found])


@router.get(
    CID + "/items/{code}/history", tags=["registry"], responses={200: {"model": HistoryOut}, **ERRORS}
)
def get_history(kodeks: KodeksDep, classification_id: str, code: str, known_at: KnownAt = None) -> FastJSON:
    """Every record of the code: valid periods, and when Kodeks recorded (and superseded) each."""
    records = queries.history(kodeks.uow, classification_id, code, known_at)
    return FastJSON(
        {"classification": classification_id, "code": code, "records": [render.record(r) for r in records]}
    )


@router.get(CID + "/changes", tags=["registry"], responses={200: {"model": ChangesOut | FeedOut}, **ERRORS})
def get_changes(
    kodeks: KodeksDep,
    classification_id: str,
    from_: Annotated[date | None, Query(alias="from", description="diff: earlier date")] = None,
    to: Annotated[date | None, Query(description="diff: later valid date")] = None,
    known_at: KnownAt = None,
    since: Annotated[datetime | None, Query(description="feed: records after this time")] = None,
    cursor: Annotated[str | None, Query(max_length=512, description="feed: next page")] = None,
    limit: Annotated[int, Query(ge=1, le=1000, description="feed: page size")] = 100,
    propose: Annotated[bool, Query(description="diff: also propose successors for expired codes")] = False,
) -> FastJSON:
    """Two modes. **Diff** (``from`` and ``to``): added, expired, renamed, moved (old → new code
    pairs) and reused between two valid dates (``ChangesOut``); with ``propose=true`` also the
    successor links the data suggests for codes that expired without one (``proposed_moves``, for an
    editor to accept through a change set; nothing is applied). **Feed** (``since`` or ``cursor``):
    the item records recorded or superseded after a time, oldest first, paged (``FeedOut``)."""
    if since is not None or cursor is not None:
        page = feeds.classification_feed(
            kodeks.uow, STORE, classification_id, since=since, cursor=cursor, limit=limit
        )
        return FastJSON(feed(page))
    if from_ is None or to is None:
        raise InvalidRequest("give 'from' and 'to' (valid dates) for a diff, or 'since' for the change feed")
    cs = queries.changes(kodeks.uow, classification_id, from_, to, known_at)
    body = render.changes(classification_id, cs)
    if propose:
        proposals = queries.proposed_moves(kodeks.uow, classification_id, from_, to, known_at)
        body["proposed_moves"] = [render.proposal(p) for p in proposals]
    return FastJSON(body)


@router.get(
    CID + "/export",
    tags=["registry"],
    responses={
        200: {
            "content": {
                "text/turtle": {},
                "application/ld+json": {},
                "application/rdf+xml": {},
                "text/csv": {},
                "application/json": {},
                "application/fhir+json": {},
                "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
            }
        },
        **ERRORS,
    },
)
def export(
    kodeks: KodeksDep,
    classification_id: str,
    format: Annotated[str, Query(description="ttl | jsonld | rdfxml | csv | json | xlsx | fhir")],
    at: At = None,
    known_at: KnownAt = None,
) -> Response:
    when = When.of(at, known_at)
    memo = _export_memo(kodeks, classification_id, when)
    exported = exporting.export(kodeks.uow, kodeks.formats, classification_id, format, when, memo=memo)
    return Response(
        exported.content,
        media_type=exported.media_type,
        headers={"Content-Disposition": f'attachment; filename="{exported.filename}"'},
    )


def _export_memo(kodeks: Kodeks, cid: str, when: When) -> MutableMapping[Any, Any] | None:
    """Where exports of ``cid`` may be kept: its read model's memo (one generation's, dropped with it),
    for reads as known now; ``None`` elsewhere."""
    if not isinstance(kodeks.uow, ModelUnitOfWorkFactory):
        return None
    with kodeks.uow() as uow:
        model = uow.model(cid, when.known_at)
    return None if model is None else model.memo
