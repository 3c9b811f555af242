"""Correspondence tables: import (the file is the request body), map a code, invert, export.

``GET /api/v1/correspondences/{id}/map?code=&at=`` is a contract: the counterparts of a code on a
date, the cardinality (``1:1``, ``1:n``, ``n:1``, ``n:m``, ``1:0`` = no counterpart), partial flags,
and, where the classifications are registered, titles and validity (with successors) on that date.
"""

from __future__ import annotations

from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from fastapi.responses import JSONResponse

from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import ActorDep, GovernanceDep, RequiredActor
from kodeks.api.governance_http import LimitedRoute
from kodeks.api.local_common import STORE, iso, may_publish_for, may_read, when
from kodeks.api.local_schemas import InvertIn
from kodeks.domain.classification import classification_uri
from kodeks.domain.local.codec import correspondence_header_to_dict, mapping_to_dict
from kodeks.domain.local.correspondence import Correspondence, Side
from kodeks.domain.period import Period
from kodeks.errors import InvalidRequest
from kodeks.formats import correspondence_csv, correspondence_export
from kodeks.services.local import correspondences
from kodeks.services.local.correspondences import CodeView, ImportSpec
from kodeks.services.local.ports import StoredCorrespondence
from kodeks.services.queries import When

router = APIRouter(
    prefix="/api/v1/correspondences", tags=["local: correspondences"], route_class=LimitedRoute
)
At = Annotated[date | None, Query(description="valid date (ISO); default today")]
KnownAt = Annotated[datetime | None, Query(description="recorded time (ISO timestamp, UTC); default now")]
SlugQ = Annotated[str | None, Query(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$")]
Label = Annotated[str | None, Query(max_length=200)]


def _out(stored: StoredCorrespondence, *, mappings: bool = False) -> dict[str, Any]:
    c = stored.correspondence
    base = f"/api/v1/correspondences/{c.id}"
    body: dict[str, Any] = {
        **correspondence_header_to_dict(c),
        "summary": stored.summary,
        "recorded_at": iso(stored.recorded_at),
        "links": {"self": base, "map": f"{base}/map", "export": f"{base}/export"},
    }
    if mappings:
        body["mappings"] = [mapping_to_dict(m) for m in c.mappings]
    return body


def _sides(c: Correspondence) -> list[str]:
    return [c.source.classification, c.target.classification]


@router.get("", summary="List the correspondence tables")
def list_correspondences(kodeks: KodeksDep, known_at: KnownAt = None) -> JSONResponse:
    return JSONResponse([_out(s) for s in correspondences.list_correspondences(kodeks.uow, STORE, known_at)])


@router.post("", status_code=201, summary="Import a correspondence file (the body); all or nothing")
async def import_correspondence(
    kodeks: KodeksDep,
    actor: RequiredActor,
    request: Request,
    id: Annotated[str, Query(pattern=r"^[a-z0-9][a-z0-9-]{0,62}$", description="correspondence id")],
    owner: Annotated[str, Query(min_length=1, max_length=64, description="owning organisation")],
    format: Annotated[
        str | None,
        Query(description="kle-form | form-kle | nace-isic | isco88-isco08 | pairs; default: detected"),
    ] = None,
    source: SlugQ = None,
    target: SlugQ = None,
    source_version: Label = None,
    target_version: Label = None,
    source_level: Annotated[int | None, Query(ge=1, le=20)] = None,
    target_level: Annotated[int | None, Query(ge=1, le=20)] = None,
    title: Label = None,
    valid_from: date | None = None,
    valid_to: date | None = None,
    filename: Annotated[str, Query(max_length=200, description="file name, for messages")] = "upload.csv",
) -> JSONResponse:
    """Send the file itself as the body (``Content-Type: text/csv``); the sides default to what the
    format knows (``kle-form``: kle → form). A bad file gives 4xx naming the file and line."""
    may_publish_for(actor, owner)
    data = await request.body()
    name = format or correspondence_csv.detect(data, filename)
    if valid_from and valid_to and valid_to < valid_from:
        raise InvalidRequest("valid_to is before valid_from")
    spec = ImportSpec(
        id,
        Side(source, source_version, source_level) if source else None,
        Side(target, target_version, target_level) if target else None,
        {"da": title} if title else None,
        owner,
        None,
        Period(valid_from, valid_to),
    )
    result = correspondences.import_correspondence(
        kodeks.uow,
        STORE,
        correspondence_csv.reader(name),
        data,
        filename,
        spec,
        max_bytes=kodeks.settings.max_import_bytes,
        actor=actor.name,
    )
    return JSONResponse(
        {
            **_out(result.stored),
            "format": name,
            "duplicates_dropped": result.duplicates,
            "warnings": list(result.warnings[:100]),
        },
        status_code=201,
    )


@router.get(
    "/{correspondence_id}", summary="A correspondence, its summary and (include=mappings) its mappings"
)
def get_correspondence(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: ActorDep,
    correspondence_id: str,
    include: Annotated[str | None, Query(pattern="^mappings$")] = None,
    known_at: KnownAt = None,
) -> JSONResponse:
    found = correspondences.get(
        kodeks.uow, STORE, correspondence_id, with_mappings=include == "mappings", known_at=known_at
    )
    if include == "mappings":
        may_read(gov, actor, _sides(found.correspondence))
    return JSONResponse(_out(found, mappings=include == "mappings"))


def _view(v: CodeView) -> dict[str, Any]:
    out: dict[str, Any] = {"code": v.code, "title": v.title, "valid": v.valid}
    if v.successors:
        out["successors"] = list(v.successors)
    return out


@router.get("/{correspondence_id}/map", summary="Contract: the counterparts of a code on a date")
def map_code(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: ActorDep,
    correspondence_id: str,
    code: Annotated[str, Query(min_length=1, max_length=64)],
    at: At = None,
    known_at: KnownAt = None,
    inverse: Annotated[bool, Query(description="map a target code back to its sources")] = False,
) -> JSONResponse:
    result = correspondences.map_code(
        kodeks.uow, STORE, correspondence_id, code, when(at, known_at), inverse=inverse
    )
    may_read(gov, actor, _sides(result.correspondence))
    c = result.correspondence
    return JSONResponse(
        {
            "correspondence": correspondence_id,
            "inverse": inverse,
            "at": result.at.isoformat(),
            "source": {
                "classification": c.source.classification,
                "version": c.source.version,
                **_view(result.source),
            },
            "target": {"classification": c.target.classification, "version": c.target.version},
            "cardinality": result.cardinality,
            "no_counterpart": not result.targets,
            "targets": [{**_view(v), "partial": m.partial, "note": m.note} for m, v in result.targets],
        }
    )


@router.post(
    "/{correspondence_id}/invert", status_code=201, summary="Record the inverse as a new correspondence"
)
def invert(kodeks: KodeksDep, actor: RequiredActor, correspondence_id: str, body: InvertIn) -> JSONResponse:
    found = correspondences.get(kodeks.uow, STORE, correspondence_id)
    may_publish_for(actor, found.correspondence.owner or "")
    stored = correspondences.invert(kodeks.uow, STORE, correspondence_id, body.id, actor=actor.name)
    return JSONResponse(_out(stored), status_code=201)


def _scheme(kodeks: KodeksDep, cid: str, known_at: datetime) -> str:
    with kodeks.uow() as uow:
        found = uow.classification(cid, known_at)
    return found.canonical_uri if found else classification_uri(cid)


@router.get("/{correspondence_id}/export", summary="As an XKOS Correspondence, a FHIR ConceptMap or CSV")
def export(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: ActorDep,
    correspondence_id: str,
    format: Annotated[str, Query(description="xkos | fhir | csv")],
    inverse: Annotated[bool, Query(description="export the inverse")] = False,
    known_at: KnownAt = None,
) -> Response:
    if format not in correspondence_export.FORMATS:
        raise InvalidRequest(
            f"unknown format {format!r}; choose one of: {', '.join(correspondence_export.FORMATS)}"
        )
    found = correspondences.get(
        kodeks.uow, STORE, correspondence_id, with_mappings=True, known_at=known_at, inverse=inverse
    )
    c = found.correspondence
    may_read(gov, actor, _sides(c))
    now = When.of(None, known_at).known_at
    written = correspondence_export.write(
        c,
        format,
        source_uri=_scheme(kodeks, c.source.classification, now),
        target_uri=_scheme(kodeks, c.target.classification, now),
    )
    return Response(
        written.content,
        media_type=written.media_type,
        headers={"Content-Disposition": f'attachment; filename="{c.id}.{written.extension}"'},
    )
