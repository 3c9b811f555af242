"""Landscape routes. ``GET /api/v1/landscape/solutions``, ``/usage`` and ``/coverage`` are contracts.

Writes need an authenticated user: an administrator may record anything; a user of a municipality
(organisation = its code, e.g. ``751``) may record that municipality's use only; anyone else is
refused (403). Bodies are at most 50 MiB (an import) or 256 KiB (a JSON edit).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query, Request, Response

from kodeks.api.deps import KodeksDep
from kodeks.api.governance_http import AuthFirstRoute
from kodeks.api.landscape import render
from kodeks.api.schemas import ErrorOut
from kodeks.bootstrap import Kodeks
from kodeks.domain.landscape.bundle import LandscapeBundle
from kodeks.domain.landscape.codec import solution_from_dict, use_from_dict
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.errors import Forbidden, InputTooLarge, InvalidRequest, Unauthorized
from kodeks.formats import landscape as formats
from kodeks.services.landscape import queries
from kodeks.services.landscape.importing import import_bundle
from kodeks.services.queries import When

API = "/api/v1/landscape"
MAX_IMPORT = 50 * 1024 * 1024
MAX_JSON = 256 * 1024
At = Annotated[date | None, Query(description="valid date (ISO); default today")]
KnownAt = Annotated[datetime | None, Query(description="recorded time (ISO timestamp, UTC); default now")]
Text = Annotated[str | None, Query(max_length=200)]
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}}
WRITE_ERRORS: dict[int | str, dict[str, Any]] = {
    **ERRORS,
    401: {"model": ErrorOut},
    403: {"model": ErrorOut},
    413: {"model": ErrorOut},
    422: {"model": ErrorOut},
}

router = APIRouter(prefix=API, tags=["landscape"], route_class=AuthFirstRoute, responses=ERRORS)
#: The views that also answer as a CSV or XLSX download declare both in the OpenAPI document.
TABLES: dict[int | str, dict[str, Any]] = {
    200: {
        "content": {
            "text/csv": {},
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet": {},
        }
    }
}
Format = Annotated[str, Query(pattern="^(json|csv|xlsx)$", description="json (default), csv or xlsx")]


def _table(format: str, name: str, header: list[str], rows: list[list[Any]]) -> Response:
    """A view as a CSV or XLSX download (``format`` is csv or xlsx)."""
    from kodeks.formats.landscape import tables

    return Response(
        tables.write(format, header, rows),
        media_type=tables.MEDIA[format],
        headers={"Content-Disposition": f'attachment; filename="{name}.{format}"'},
    )


@dataclass(frozen=True)
class Writer:
    """Who writes: ``municipality`` is ``None`` for an administrator, else the one they speak for."""

    user: str
    municipality: str | None


def writer(request: Request, kodeks: KodeksDep) -> Writer:
    """The caller as a writer of the landscape: 401 anonymous, 403 neither admin nor a municipality's."""
    from kodeks.api.governance_deps import authenticate

    authorization = request.headers.get("authorization")
    if not authorization:
        raise Unauthorized("authentication required: send 'Authorization: Bearer <token>'")
    actor = authenticate(kodeks, authorization)
    if actor.user_id is None:
        raise Unauthorized("authentication required: send 'Authorization: Bearer <token>'")
    if actor.admin:
        return Writer(actor.user_id, None)
    if actor.organisation and actor.organisation.lstrip("0") in MUNICIPALITIES:
        return Writer(actor.user_id, actor.organisation.lstrip("0"))
    raise Forbidden("only an administrator or a municipality's own users may record its use")


Scope = Annotated[Writer, Depends(writer)]


async def _body(request: Request, limit: int) -> bytes:
    declared = request.headers.get("content-length")
    if declared and declared.isdigit() and int(declared) > limit:
        raise InputTooLarge(f"the body is larger than {limit:,} bytes")
    data = b""
    async for chunk in request.stream():
        data += chunk
        if len(data) > limit:
            raise InputTooLarge(f"the body is larger than {limit:,} bytes")
    return data


async def _json(request: Request) -> Any:
    import json

    try:
        return json.loads(await _body(request, MAX_JSON))
    except (ValueError, RecursionError):
        raise InvalidRequest("the body is not JSON") from None


@router.get("/solutions")
def list_solutions(
    kodeks: KodeksDep,
    known_at: KnownAt = None,
    scope: Annotated[str | None, Query(pattern="^(common|cross|local)$")] = None,
    category: Text = None,
    supplier: Text = None,
) -> list[dict[str, Any]]:
    """Solutions as known at ``known_at``, optionally by scope, category or supplier."""
    found = queries.list_solutions(
        kodeks.uow,
        kodeks.landscape,
        When.of(None, known_at),
        scope=scope,
        category=category,
        supplier=supplier,
    )
    return [render.solution(s) for s in found]


@router.get("/solutions/{solution_id}")
def get_solution(
    kodeks: KodeksDep, solution_id: str, at: At = None, known_at: KnownAt = None
) -> dict[str, Any]:
    when = When.of(at, known_at)
    found = queries.solution_or_404(kodeks.uow, kodeks.landscape, solution_id, when)
    uses = queries.usage(kodeks.uow, kodeks.landscape, when, solution=solution_id)
    return {**render.solution(found), "at": when.at.isoformat(), "usage": [render.use(u) for u in uses]}


@router.get("/usage")
def usage(
    kodeks: KodeksDep,
    solution: Text = None,
    municipality: Annotated[str | None, Query(max_length=10)] = None,
    status: Annotated[str | None, Query(pattern="^(planned|adopted|phased_out)$")] = None,
    at: At = None,
    known_at: KnownAt = None,
) -> dict[str, Any]:
    """Uses valid on ``at`` as known at ``known_at``: "which municipalities used X on 2022-01-01, as we
    knew it then" is ``?solution=X&at=2022-01-01&known_at=2022-01-01T00:00:00Z``."""
    when = When.of(at, known_at)
    found = queries.usage(
        kodeks.uow, kodeks.landscape, when, solution=solution, municipality=municipality, status=status
    )
    return {
        "at": when.at.isoformat(),
        "known_at": when.known_at.isoformat() + "Z",
        "usage": [render.use(u) for u in found],
    }


@router.get("/coverage", response_model=None, responses=TABLES)
def coverage(
    kodeks: KodeksDep,
    municipality: Annotated[str, Query(max_length=10)],
    at: At = None,
    known_at: KnownAt = None,
    format: Format = "json",
) -> dict[str, Any] | Response:
    """One municipality's KLE emner with the solutions serving each, overlaps and gaps (as a table
    with ``format=csv|xlsx``: one row per emne, gaps included)."""
    found = queries.coverage(kodeks.uow, kodeks.landscape, municipality, When.of(at, known_at))
    if format == "json":
        return render.coverage(found)
    codes = sorted({*found.served, *(c for c, _ in found.gaps)})
    rows = []
    for code in codes:
        names = sorted({s.solution.name for s in found.served.get(code, [])})
        rows.append([code, found.titles.get(code, ""), names, len(names)])
    header = ["kle", "titel", "loesninger", "antal"]
    return _table(format, f"daekning-{found.municipality.code}", header, rows)


@router.get("/tasks/{code}")
def task(kodeks: KodeksDep, code: str, at: At = None, known_at: KnownAt = None) -> dict[str, Any]:
    """Which solutions serve KLE task ``code`` in each municipality."""
    return render.task(queries.task(kodeks.uow, kodeks.landscape, code, When.of(at, known_at)))


@router.get("/gaps", response_model=None, responses=TABLES)
def gaps(
    kodeks: KodeksDep, at: At = None, known_at: KnownAt = None, format: Format = "json"
) -> list[dict[str, str]] | Response:
    """KLE emner no municipality has an adopted solution for."""
    found = queries.tasks_without_system(kodeks.uow, kodeks.landscape, When.of(at, known_at))
    if format != "json":
        return _table(format, "huller", ["kle", "titel"], [[c, t] for c, t in found])
    return [{"code": c, "title": t} for c, t in found]


@router.get("/overlaps", response_model=None, responses=TABLES)
def overlaps(
    kodeks: KodeksDep, at: At = None, known_at: KnownAt = None, format: Format = "json"
) -> list[dict[str, Any]] | Response:
    """Municipalities with several adopted solutions for one KLE emne."""
    found = queries.several_systems(kodeks.uow, kodeks.landscape, When.of(at, known_at))
    if format != "json":
        return _table(
            format,
            "overlap",
            ["kommune", "kle", "loesninger"],
            [[r.municipality, r.task, list(r.solutions)] for r in found],
        )
    return [{"municipality": r.municipality, "task": r.task, "solutions": list(r.solutions)} for r in found]


@router.get("/suppliers", response_model=None, responses=TABLES)
def suppliers(
    kodeks: KodeksDep, at: At = None, known_at: KnownAt = None, format: Format = "json"
) -> list[dict[str, Any]] | Response:
    """Supplier concentration: solutions, municipalities and share of adopted uses per supplier."""
    found = queries.suppliers(kodeks.uow, kodeks.landscape, When.of(at, known_at))
    if format != "json":
        return _table(
            format,
            "leverandoerer",
            ["leverandoer", "loesninger", "kommuner", "anvendelser", "andel"],
            [[r.supplier, len(r.solutions), r.municipalities, r.uses, r.share] for r in found],
        )
    return [
        {
            "supplier": r.supplier,
            "solutions": list(r.solutions),
            "municipalities": r.municipalities,
            "uses": r.uses,
            "share": r.share,
        }
        for r in found
    ]


@router.get("/contracts", response_model=None, responses=TABLES)
def contracts(
    kodeks: KodeksDep,
    at: At = None,
    known_at: KnownAt = None,
    within_days: Annotated[int, Query(ge=0, le=36500)] = 365,
    format: Format = "json",
) -> list[dict[str, Any]] | Response:
    """Contracts ending within ``within_days`` of ``at``, soonest first."""
    found = queries.contracts_ending(
        kodeks.uow, kodeks.landscape, When.of(at, known_at), within_days=within_days
    )
    if format != "json":
        return _table(
            format,
            "kontrakter",
            ["udloeber", "loesning", "kontrakt", "leverandoer"],
            [[r.contract.end, r.solution.name, r.contract.id, r.contract.supplier] for r in found],
        )
    return [
        {
            "solution": r.solution.id,
            "name": r.solution.name,
            "contract": r.contract.id,
            "supplier": r.contract.supplier,
            "end": r.contract.end.isoformat() if r.contract.end else None,
        }
        for r in found
    ]


@router.get("/matrix", response_model=None, responses=TABLES)
def matrix(
    kodeks: KodeksDep,
    at: At = None,
    known_at: KnownAt = None,
    region: Text = None,
    scope: Annotated[str | None, Query(pattern="^(common|cross|local)$")] = None,
    category: Text = None,
    supplier: Text = None,
    sort: Annotated[str, Query(pattern="^(name|adoption|supplier|category)$")] = "adoption",
    limit: Annotated[int, Query(ge=1, le=5000)] = 60,
    format: Format = "json",
) -> dict[str, Any] | Response:
    """Municipality × solution on ``at``: each cell the status of the use (a sheet with
    ``format=csv|xlsx``: a row per municipality, a column per solution)."""
    m = queries.matrix(
        kodeks.uow,
        kodeks.landscape,
        When.of(at, known_at),
        region=region,
        scope=scope,
        category=category,
        supplier=supplier,
        sort=sort,
        limit=limit,
    )
    if format != "json":
        header = ["kommunekode", "kommune", "region", *(s.name for s in m.solutions)]
        rows = [
            [
                t.code,
                t.name,
                t.region,
                *(m.cells[(t.code, s.id)].value if (t.code, s.id) in m.cells else "" for s in m.solutions),
            ]
            for t in m.municipalities
        ]
        return _table(format, "matrix", header, rows)
    return {
        "at": m.when.at.isoformat(),
        "solutions": [s.id for s in m.solutions],
        "total_solutions": m.total_solutions,
        "rows": [
            {
                "municipality": t.code,
                "name": t.name,
                "region": t.region,
                "cells": {
                    s.id: m.cells[(t.code, s.id)].value for s in m.solutions if (t.code, s.id) in m.cells
                },
            }
            for t in m.municipalities
        ],
    }


@router.get("/export", response_class=Response)
def export(
    kodeks: KodeksDep,
    format: Annotated[str, Query(pattern="^(sysap-ttl|sysap-rdfxml|sysap-jsonld|csv|xlsx)$")] = "sysap-ttl",
    at: At = None,
    known_at: KnownAt = None,
) -> Response:
    """The landscape as SYS-AP RDF or a CSV/XLSX sheet (every period; with ``at`` the uses valid then)."""
    writer = formats.writer(format)
    when = When.of(None, known_at)
    solutions, uses = queries.everything(kodeks.uow, kodeks.landscape, when.known_at, at)
    name = f"landskab{writer.suffix}"
    return Response(
        writer.write(solutions, uses, kodeks.settings.base_uri),
        media_type=writer.media_type,
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


def _run(kodeks: Kodeks, bundle: LandscapeBundle, scope: Writer) -> dict[str, Any]:
    report = import_bundle(
        kodeks.uow, kodeks.landscape, bundle, actor=scope.user, only_municipality=scope.municipality
    )
    return render.report(report)


@router.post("/imports", responses=WRITE_ERRORS)
async def import_(
    request: Request,
    kodeks: KodeksDep,
    scope: Scope,
    filename: Annotated[str, Query(max_length=200)] = "upload",
    format: Annotated[str | None, Query(pattern="^(sysap|sheet|kitos)$")] = None,
) -> dict[str, Any]:
    """Import a SYS-AP graph, a sheet or KITOS-shaped JSON sent as the body (all or nothing)."""
    data = await _body(request, MAX_IMPORT)
    return _run(kodeks, formats.read(data, filename, format), scope)


@router.put("/solutions/{solution_id}", responses=WRITE_ERRORS)
async def put_solution(request: Request, kodeks: KodeksDep, solution_id: str, scope: Scope) -> dict[str, Any]:
    """Record a solution by hand (administrators)."""
    if scope.municipality is not None:
        raise Forbidden("only an administrator may describe solutions; a municipality records its use")
    body = await _json(request)
    try:
        found = solution_from_dict({**(body if isinstance(body, dict) else {}), "id": solution_id})
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    return _run(kodeks, LandscapeBundle(f"PUT {solution_id}", "json", [found]), scope)


@router.put("/usage/{solution_id}/{municipality}", responses=WRITE_ERRORS)
async def put_usage(
    request: Request, kodeks: KodeksDep, solution_id: str, municipality: str, scope: Scope
) -> dict[str, Any]:
    """Replace one municipality's uses of one solution by hand: a JSON list of
    ``{"status", "valid_from", "valid_to", "purposes"}`` (an empty list ends nothing; it records none)."""
    body = await _json(request)
    if not isinstance(body, list) or len(body) > 1000:
        raise InvalidRequest("the body must be a JSON list of at most 1000 uses")
    try:
        uses = [
            use_from_dict(
                {**(u if isinstance(u, dict) else {}), "solution": solution_id, "municipality": municipality}
            )
            for u in body
        ]
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    return _run(kodeks, LandscapeBundle(f"PUT {solution_id}/{municipality}", "json", [], uses), scope)


@router.get("/map")
def map_values(
    kodeks: KodeksDep,
    solution: Text = None,
    measure: Annotated[str, Query(pattern="^(status|count)$")] = "status",
    at: At = None,
    known_at: KnownAt = None,
) -> dict[str, Any]:
    """The map's values: per municipality a solution's status, or its number of solutions in use
    (``measure=count``), with the class the map colours it by."""
    from kodeks.services.landscape import maps

    view = maps.map_view(
        kodeks.uow, kodeks.landscape, When.of(at, known_at), solution=solution, measure=measure
    )
    return {
        "measure": measure,
        "solution": solution,
        "municipalities": [
            {"municipality": a.code, "name": a.name, "value": a.value, "count": a.count} for a in view.areas
        ],
        "missing": list(view.missing),
    }


@router.get("/adoption")
def adoption(
    kodeks: KodeksDep,
    solution: Annotated[list[str] | None, Query(max_length=30)] = None,
    from_year: Annotated[int, Query(alias="from", ge=1900, le=2200)] = 2016,
    to_year: Annotated[int, Query(alias="to", ge=1900, le=2200)] = 2026,
    at: At = None,
    known_at: KnownAt = None,
) -> list[dict[str, Any]]:
    """Adoption over time: per solution (the named ones, else the eight most adopted on ``at``) the
    number of municipalities using it on each 1 January from ``from`` to ``to``."""
    curves = queries.adoption_curves(
        kodeks.uow,
        kodeks.landscape,
        When.of(at, known_at),
        first_year=from_year,
        last_year=to_year,
        solutions=solution,
    )
    return [
        {
            "solution": c.solution.id,
            "name": c.solution.name,
            "points": [{"year": y, "municipalities": n} for y, n in c.points],
        }
        for c in curves
    ]
