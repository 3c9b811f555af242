"""Catalog and search routes. ``GET /api/v1/catalog`` and ``GET /api/v1/search`` are contracts.

Writes (``POST``/``PATCH``/``DELETE`` under ``/api/v1/catalog/entries``) need an authenticated user.
Bodies are JSON objects of at most 256 KiB with the fields of ``kodeks.domain.catalog_codec``.
"""

from __future__ import annotations

import json
import re
from datetime import date
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query, Request, Response
from fastapi.responses import JSONResponse

from kodeks.api.deps import KodeksDep, require_user
from kodeks.api.governance_http import AuthFirstRoute
from kodeks.api.schemas import ErrorOut
from kodeks.bootstrap import Kodeks
from kodeks.domain.catalog import CatalogEntry
from kodeks.domain.catalog_codec import entry_to_dict
from kodeks.domain.models.catalogue import CatalogueEntry
from kodeks.domain.models.catalogue import entry_to_dict as model_entry_to_dict
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.formats import dcat
from kodeks.services import catalog as catalog_service
from kodeks.services.catalog_ports import StoredEntry
from kodeks.services.models import catalogue as model_catalogue
from kodeks.services.search import SearchHit, SearchQuery, search

MAX_BODY = 256 * 1024
API = "/api/v1"
ENTRIES = f"{API}/catalog/entries"
_BASE = re.compile(r"^https?://[A-Za-z0-9.\-]+(?::\d{1,5})?/?$")
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorOut},
    409: {"model": ErrorOut},
    413: {"model": ErrorOut},
}
User = Annotated[str, Depends(require_user)]

router = APIRouter(tags=["catalog"], route_class=AuthFirstRoute)


def render_entry(stored: StoredEntry) -> dict[str, Any]:
    entry = stored.entry
    links = {"self": f"{ENTRIES}/{entry.id}"}
    if entry.kind == "registry":
        links["classification"] = f"{API}/classifications/{entry.id}"
    return {
        **entry_to_dict(entry),
        "edited": sorted(stored.edited),
        "recorded_at": stored.recorded_at.isoformat() + "Z",
        "links": links,
    }


def render_model(entry: CatalogueEntry) -> dict[str, Any]:
    """A model Kodeks holds, as its model catalogue entry (the DCAT feed's vocabulary)."""
    return {**model_entry_to_dict(entry), "links": {"self": f"{API}/models/{entry.model_id}"}}


def render_hit(hit: SearchHit) -> dict[str, Any]:
    if hit.kind == "item":
        link = f"{API}/classifications/{hit.classification_id}/items/{hit.code}"
    else:
        link = f"{ENTRIES}/{hit.classification_id}"
    return {
        "kind": hit.kind,
        "classification": hit.classification_id,
        "code": hit.code,
        "title": hit.title,
        "title_lang": next((lang for lang, text in hit.titles.items() if text == hit.title), None),
        "titles": hit.titles,
        "level": hit.level,
        "valid_from": hit.valid.start.isoformat() if hit.valid.start else None,
        "valid_to": hit.valid.end.isoformat() if hit.valid.end else None,
        "valid_at": hit.valid_at,
        "score": hit.score,
        "matched": list(hit.matched),
        "matched_in": list(hit.fields),
        "links": {"self": link},
    }


def exports(kodeks: Kodeks) -> list[dcat.ExportLink]:
    return [
        dcat.ExportLink(n, kodeks.formats.exporter(n).media_type) for n in kodeks.formats.exporter_names()
    ]


def base_url(request: Request) -> str:
    base = str(request.base_url)
    return base.rstrip("/") if _BASE.match(base) else "https://kodeks.dk"


async def json_body(request: Request) -> dict[str, Any]:
    declared = request.headers.get("content-length")
    if declared and declared.isascii() and declared.isdigit() and int(declared) > MAX_BODY:
        raise InputTooLarge(f"the body is {int(declared):,} bytes; at most {MAX_BODY:,} are allowed")
    raw = await request.body()
    if len(raw) > MAX_BODY:
        raise InputTooLarge(f"the body is {len(raw):,} bytes; at most {MAX_BODY:,} are allowed")
    try:
        data = json.loads(raw)
    except (ValueError, UnicodeDecodeError):
        raise InvalidRequest("the body is not valid JSON") from None
    if not isinstance(data, dict):
        raise InvalidRequest("the body must be a JSON object")
    return data


@router.get(
    f"{API}/catalog",
    responses={
        200: {
            "content": {
                "application/json": {},
                "text/turtle": {},
                "application/ld+json": {},
                "application/rdf+xml": {},
            }
        },
        **ERRORS,
    },
)
def get_catalog(
    kodeks: KodeksDep,
    request: Request,
    format: Annotated[
        str,
        Query(pattern="^(json|ttl|jsonld|rdfxml)$", description="json | ttl | jsonld | rdfxml (DCAT-AP-DK)"),
    ] = "json",
) -> Response:
    """The whole catalog: as JSON, or harvestable DCAT-AP-DK RDF. Both list every information model
    Kodeks holds too, in the model catalogue's vocabulary (JSON: ``models``, beside ``entries``)."""
    stored = catalog_service.list_entries(kodeks.uow, kodeks.catalog)
    base = base_url(request)
    models = model_catalogue.held_entries(kodeks.uow, kodeks.models, base)
    if format == "json":
        return JSONResponse(
            {
                "title": {
                    "da": "Kodeks – klassifikationskatalog",
                    "en": "Kodeks – catalogue of classifications",
                },
                "count": len(stored),
                "entries": [render_entry(s) for s in stored],
                "model_count": len(models),
                "models": [render_model(m) for m in models],
            }
        )
    entries: list[CatalogEntry] = [s.entry for s in stored]
    quality = catalog_service.qualities(kodeks.uow, kodeks.catalog)
    body = dcat.serialize(entries, format, base, exports(kodeks), models=models, quality=quality)
    _, media_type, extension = dcat.FORMATS[format]
    return Response(
        body,
        media_type=f"{media_type}; charset=utf-8",
        headers={"Content-Disposition": f'inline; filename="kodeks-catalog.{extension}"'},
    )


@router.get(ENTRIES)
def list_entries(kodeks: KodeksDep) -> JSONResponse:
    return JSONResponse([render_entry(s) for s in catalog_service.list_entries(kodeks.uow, kodeks.catalog)])


@router.get(ENTRIES + "/{entry_id}", responses=ERRORS)
def get_entry(kodeks: KodeksDep, entry_id: str) -> JSONResponse:
    return JSONResponse(render_entry(catalog_service.get_entry(kodeks.uow, kodeks.catalog, entry_id)))


@router.post(ENTRIES, status_code=201, responses=WRITE_ERRORS)
async def create_entry(kodeks: KodeksDep, user: User, request: Request) -> JSONResponse:
    """Create an external entry (a classification Kodeks links to; no items)."""
    data = await json_body(request)
    entry = catalog_service.create_entry(kodeks.uow, kodeks.catalog, kodeks.search_index, data, user)
    stored = catalog_service.get_entry(kodeks.uow, kodeks.catalog, entry.id)
    return JSONResponse(render_entry(stored), status_code=201, headers={"Location": f"{ENTRIES}/{entry.id}"})


@router.patch(ENTRIES + "/{entry_id}", responses=WRITE_ERRORS)
async def update_entry(kodeks: KodeksDep, user: User, request: Request, entry_id: str) -> JSONResponse:
    """Change the fields given; they become the editor's (imports no longer overwrite them)."""
    data = await json_body(request)
    catalog_service.update_entry(kodeks.uow, kodeks.catalog, kodeks.search_index, entry_id, data, user)
    return JSONResponse(render_entry(catalog_service.get_entry(kodeks.uow, kodeks.catalog, entry_id)))


@router.delete(ENTRIES + "/{entry_id}", status_code=204, responses=WRITE_ERRORS)
def delete_entry(kodeks: KodeksDep, user: User, entry_id: str) -> Response:
    catalog_service.delete_entry(kodeks.uow, kodeks.catalog, kodeks.search_index, entry_id)
    return Response(status_code=204)


@router.get(f"{API}/search", tags=["search"], responses=ERRORS)
def search_route(
    kodeks: KodeksDep,
    q: Annotated[str, Query(description="words or a code (27.24, G01); at most 500 characters")],
    classification: Annotated[str | None, Query(max_length=64)] = None,
    level: Annotated[int | None, Query(ge=0, le=99)] = None,
    at: Annotated[date | None, Query(description="valid date (ISO); default today")] = None,
    include_expired: bool = False,
    limit: Annotated[int, Query(ge=1, le=100)] = 20,
    offset: Annotated[
        int, Query(ge=0, le=999, description="skip this many hits (offset + limit ≤ 1000)")
    ] = 0,
) -> JSONResponse:
    """Search items and catalog entries: Danish stemming, æ/ø/å, prefixes, one typo, codes, code prefixes.
    ``total`` counts every match (page with ``offset``); ``facets`` counts them per classification."""
    result = search(
        kodeks.uow,
        kodeks.search_index,
        SearchQuery(q, classification, level, at, include_expired, limit, offset),
    )
    return JSONResponse(
        {
            "query": result.query.text,
            "at": result.at.isoformat(),
            "count": len(result.hits),
            "total": result.total,
            "offset": result.query.offset,
            "limit": result.query.limit,
            "facets": [
                {"classification": k, "count": n}
                for k, n in sorted(result.facets.items(), key=lambda p: (-p[1], p[0]))
            ],
            "corrections": {k: list(v) for k, v in result.corrections.items()},
            "results": [render_hit(h) for h in result.hits],
        }
    )


def mount(app: FastAPI) -> None:
    app.include_router(router)
