"""Information-model routes under ``/api/v1/models`` (contracts: list, one model, its classes, export).

``POST /api/v1/models?filename=…`` takes the model file itself as the body (at most the configured
import limit) and needs an authenticated user; re-importing, binding, status changes and roles on a
model follow governance's roles on it (``kodeks.services.models.access``).
"""

from __future__ import annotations

from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query, Request, Response
from fastapi.responses import JSONResponse

from kodeks.api import governance_http
from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import GovernanceDep, RequiredActor
from kodeks.api.governance_http import AuthFirstRoute
from kodeks.api.governance_schemas import ModelRoleIn
from kodeks.api.params import MAX_INT64
from kodeks.api.schemas import ErrorOut
from kodeks.bootstrap import model_formats
from kodeks.domain.models.codec import model_to_dict
from kodeks.domain.period import Period
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.services.models import access, checking, exporting, library, lifecycle, valuedomains
from kodeks.services.models.ports import VersionInfo

API = "/api/v1/models"
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    413: {"model": ErrorOut},
    415: {"model": ErrorOut},
    422: {"model": ErrorOut},
}
#: What each export format is served as (the same table the registry of model formats keeps).
_EXPORT_MEDIA = {
    "xmi": ("application/xml", "xmi"),
    "jsonschema": ("application/schema+json", "schema.json"),
    "rdf": ("text/turtle", "ttl"),
    "shacl": ("text/turtle", "shacl.ttl"),
    "linkml": ("application/yaml", "linkml.yaml"),
    "html": ("text/html", "html"),
    "conceptlist": ("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "xlsx"),
}
router = APIRouter(tags=["models"], route_class=AuthFirstRoute)


def render_info(info: VersionInfo) -> dict[str, Any]:
    return {
        "id": info.model_id,
        "name": info.name,
        "version": info.sequence,
        "label": info.label,
        "format": info.format,
        "source": info.source_name,
        "valid_from": info.valid_from.isoformat() if info.valid_from else None,
        "recorded_at": info.recorded_at.isoformat() + "Z",
        "counts": info.counts,
        "links": {"self": f"{API}/{info.model_id}", "classes": f"{API}/{info.model_id}/classes"},
    }


async def _body(request: Request, limit: int) -> bytes:
    chunks: list[bytes] = []
    size = 0
    async for chunk in request.stream():
        size += len(chunk)
        if size > limit:
            raise InputTooLarge(f"the body is larger than {limit:,} bytes")
        chunks.append(chunk)
    return b"".join(chunks)


@router.get(API)
def list_models(kodeks: KodeksDep) -> JSONResponse:
    return JSONResponse([render_info(i) for i in library.list_models(kodeks.uow, kodeks.models)])


@router.get(API + "/catalog", responses={200: {"content": {"text/turtle": {}}}})
def model_catalogue(kodeks: KodeksDep, request: Request) -> Response:
    """The model catalogue as DCAT (Turtle): imported catalogue entries and every model Kodeks holds,
    with the catalogue's model types."""
    from kodeks.formats.models_catalogue import write_catalogue
    from kodeks.services.models import catalogue

    base = str(request.base_url).rstrip("/")
    entries = catalogue.catalogue(kodeks.uow, kodeks.models, base)
    return Response(write_catalogue(entries, f"{base}/modeller/katalog"), media_type="text/turtle")


@router.post(API, status_code=201, responses=WRITE_ERRORS)
async def import_model(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: RequiredActor,
    request: Request,
    filename: Annotated[str, Query(max_length=300)] = "model.xmi",
    model: Annotated[str | None, Query(max_length=64, pattern=r"^[a-z0-9][a-z0-9-]*$")] = None,
    format: Annotated[str | None, Query(pattern=r"^(xmi|conceptlist|linkml)$")] = None,
) -> JSONResponse:
    """Import the body (an XMI, concept-list XLSX or LinkML YAML file) as a new model version. A new
    model's importer becomes its owner; a new version of a model needs its owner or an editor."""
    limit = min(kodeks.settings.max_import_bytes, library.MAX_MODEL_BYTES)
    data = await _body(request, limit)
    result = access.import_model(
        gov,
        kodeks.models,
        model_formats(),
        actor,
        data,
        filename,
        model_id=model,
        format=format,
        max_bytes=limit,
        memory_budget=kodeks.settings.import_memory_bytes,
    )
    info = library.get_model(kodeks.uow, kodeks.models, result.model_id, result.sequence).info
    status = 200 if result.already else 201
    return JSONResponse(
        {**render_info(info), "already": result.already},
        status_code=status,
        headers={"Location": f"{API}/{result.model_id}"},
    )


@router.get(API + "/{model_id}", responses=ERRORS)
def get_model(
    kodeks: KodeksDep, model_id: str, version: Annotated[int | None, Query(ge=1, le=MAX_INT64)] = None
) -> JSONResponse:
    stored = library.get_model(kodeks.uow, kodeks.models, model_id, version)
    data = model_to_dict(stored.model)
    summary = {k: data[k] for k in ("name", "version", "kind", "description", "profiles")}
    summary["status"] = lifecycle.status(kodeks.uow, kodeks.models, model_id).status
    packages = [{"id": p["id"], "name": p["name"], "parent": p["parent"]} for p in data["packages"]]
    return JSONResponse({**render_info(stored.info), "model": summary, "packages": packages})


@router.get(API + "/{model_id}/classes", responses=ERRORS)
def get_classes(
    kodeks: KodeksDep,
    model_id: str,
    version: Annotated[int | None, Query(ge=1, le=MAX_INT64)] = None,
    package: Annotated[str | None, Query(max_length=200)] = None,
) -> JSONResponse:
    stored = library.get_model(kodeks.uow, kodeks.models, model_id, version)
    classes = model_to_dict(stored.model)["classes"]
    if package is not None:
        classes = [c for c in classes if c["package"] == package]
    return JSONResponse(classes)


@router.put(API + "/{model_id}/status", responses=WRITE_ERRORS)
def put_status(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: RequiredActor,
    model_id: str,
    to: Annotated[str, Query(pattern=r"^(draft|review|published)$")],
) -> JSONResponse:
    """Move the newest version: draft → review → published, review → draft (the model's owner or an
    editor; publishing: its owner or a reviewer). Four eyes: who sent it to review cannot publish it."""
    s = access.set_status(gov, kodeks.models, actor, model_id, to)
    return JSONResponse({"model": s.model_id, "version": s.sequence, "status": s.status, "by": s.by})


@router.get(API + "/{model_id}/versions", responses=ERRORS)
def get_versions(kodeks: KodeksDep, model_id: str) -> JSONResponse:
    """The recorded versions, each with its valid time ``valid`` (``from``/``to``, half-open; null
    when a later-recorded version with the same start corrects it)."""
    return JSONResponse(
        [
            {**render_info(v), "valid": _period(p)}
            for v, p in library.periods(kodeks.uow, kodeks.models, model_id)
        ]
    )


def _period(p: Period | None) -> dict[str, str | None] | None:
    if p is None:
        return None
    return {"from": p.start.isoformat() if p.start else None, "to": p.end.isoformat() if p.end else None}


@router.get(API + "/{model_id}/check", responses=ERRORS)
def get_check(kodeks: KodeksDep, model_id: str) -> JSONResponse:
    return JSONResponse(checking.check_model(kodeks.uow, kodeks.models, model_id).to_dict())


@router.get(
    API + "/{model_id}/export",
    responses={
        200: {"content": {media: {} for media, _suffix in _EXPORT_MEDIA.values()}},
        **ERRORS,
    },
)
def export(
    kodeks: KodeksDep,
    model_id: str,
    format: Annotated[str, Query(max_length=20)],
    at: Annotated[date | None, Query()] = None,
    version: Annotated[int | None, Query(ge=1, le=MAX_INT64)] = None,
) -> Response:
    if format not in _EXPORT_MEDIA:
        raise InvalidRequest(f"format must be one of {', '.join(sorted(_EXPORT_MEDIA))}")
    data = exporting.export_model(
        kodeks.uow, kodeks.models, model_formats(), model_id, format, at=at, sequence=version
    )
    media, suffix = _EXPORT_MEDIA[format]
    return Response(
        data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{model_id}.{suffix}"'}
    )


@router.put(API + "/{model_id}/bindings/{element_id}", responses=WRITE_ERRORS)
def put_binding(
    kodeks: KodeksDep,
    gov: GovernanceDep,
    actor: RequiredActor,
    model_id: str,
    element_id: str,
    classification: Annotated[str, Query(max_length=64)],
    valid_at: Annotated[date | None, Query()] = None,
) -> JSONResponse:
    """Bind the element's value domain to a registry classification (the model's owner or an editor)."""
    b = access.bind(gov, kodeks.models, actor, model_id, element_id, classification, valid_at=valid_at)
    return JSONResponse(
        {
            "model": b.model_id,
            "element": b.element_id,
            "classification": b.classification_id,
            "valid_at": b.valid_at.isoformat() if b.valid_at else None,
        }
    )


@router.post(API + "/{model_id}/roles", status_code=201, responses=WRITE_ERRORS)
def post_role(
    kodeks: KodeksDep, gov: GovernanceDep, actor: RequiredActor, model_id: str, body: ModelRoleIn
) -> JSONResponse:
    """Give a user a role on the model (its owners may): ``owner``, ``editor``, ``reviewer`` or
    ``reader``. The same as ``POST /api/v1/roles`` with ``resource_kind`` ``model``."""
    library.get_model(kodeks.uow, kodeks.models, model_id)  # 404 for a model Kodeks does not hold
    assignment = access.grant(gov, actor, body.user, body.role, model_id)
    return JSONResponse(governance_http.role(assignment), status_code=201)


@router.get("/api/v1/classifications/{classification_id}/model-usages", tags=["models"])
def usages(kodeks: KodeksDep, classification_id: str) -> JSONResponse:
    """Every model element whose value domain is this classification."""
    return JSONResponse(
        [
            {
                "model": u.model_id,
                "model_name": u.model_name,
                "element_id": u.element_id,
                "element": u.element,
                "valid_at": u.valid_at.isoformat() if u.valid_at else None,
            }
            for u in valuedomains.usages(kodeks.uow, kodeks.models, classification_id)
        ]
    )


@router.get("/api/v1/classifications/{classification_id}/model-impact", tags=["models"])
def model_impact(
    kodeks: KodeksDep,
    classification_id: str,
    from_: Annotated[date, Query(alias="from")],
    to: Annotated[date, Query()],
) -> JSONResponse:
    """What a change of the classification between two dates does to every model element bound to it."""
    if to < from_:
        raise InvalidRequest(f"'to' ({to}) is before 'from' ({from_})")
    return JSONResponse(
        [
            {
                "model": i.usage.model_id,
                "element_id": i.usage.element_id,
                "element": i.usage.element,
                "added": list(i.added),
                "expired": list(i.expired),
                "renamed": list(i.renamed),
                "moved": [list(m) for m in i.moved],
            }
            for i in valuedomains.impact(kodeks.uow, kodeks.models, classification_id, from_, to)
        ]
    )


@router.get(
    "/api/v1/classifications/{classification_id}/as-model",
    tags=["models"],
    responses={200: {"content": {"application/xml": {}, _EXPORT_MEDIA["conceptlist"][0]: {}}}, **ERRORS},
)
def classification_as_model(
    kodeks: KodeksDep,
    classification_id: str,
    as_: Annotated[str, Query(alias="as", pattern=r"^(enumeration|classes|external|conceptlist)$")],
    at: Annotated[date | None, Query()] = None,
) -> Response:
    """The classification as a representation the model rules allow: a UML enumeration, a classification
    class with instances, an external-classification reference (XMI), or a concept list (XLSX)."""
    data = valuedomains.classification_as_model(kodeks.uow, model_formats(), classification_id, as_, at)
    media, suffix = _EXPORT_MEDIA["conceptlist" if as_ == "conceptlist" else "xmi"]
    name = f"{classification_id}-{as_}.{suffix}"
    return Response(data, media_type=media, headers={"Content-Disposition": f'attachment; filename="{name}"'})


def mount(app: FastAPI) -> None:
    app.include_router(router)
