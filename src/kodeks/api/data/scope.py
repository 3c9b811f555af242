"""Data scopes over HTTP: ``GET /api/v1/classifications/{id}/scope`` (the exact codes a scope covers on a
date, drift with ``since``) and ``POST /api/v1/scopes/check`` (codes at dates: in the scope or not,
and why). The paths are a contract."""

from __future__ import annotations

import csv
import io
from datetime import date, datetime
from typing import Annotated, Any

import orjson
from fastapi import APIRouter, Depends, Query, Request, Response
from pydantic import BaseModel, Field

from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import GovernanceDep, current_actor, read_access
from kodeks.api.governance_http import LimitedRoute
from kodeks.api.render import FastJSON
from kodeks.api.schemas import ErrorOut
from kodeks.domain.data.filters import FILTERS
from kodeks.domain.data.scope import Scope, drift, expand
from kodeks.domain.governance.roles import Action
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.services.clock import utcnow
from kodeks.services.data.scopes import index
from kodeks.services.governance.authz import authorize
from kodeks.services.governance.reading import read_resource

MAX_CHECKS = 10_000
reads = APIRouter(prefix="/api/v1", dependencies=[Depends(read_access)])
writes = APIRouter(prefix="/api/v1", route_class=LimitedRoute)
ERRORS: dict[int | str, dict[str, Any]] = {400: {"model": ErrorOut}, 404: {"model": ErrorOut}}


def _scope(include: list[str], exclude: list[str], aspect: str | None = None) -> Scope:
    try:
        return Scope.of(include, exclude, aspect=aspect)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None


@reads.get(
    "/classifications/{classification_id}/scope",
    tags=["data"],
    summary="The exact codes a scope (KLE subtrees) covers on a date; drift since an earlier date",
    responses={200: {"content": {"text/csv": {}}}, **ERRORS},
)
def get_scope(
    kodeks: KodeksDep,
    classification_id: str,
    include: Annotated[list[str], Query(description="27.* (a subtree) or 32.18 (one code)")],
    exclude: Annotated[list[str] | None, Query()] = None,
    at: Annotated[date | None, Query(description="valid date; default today")] = None,
    since: Annotated[date | None, Query(description="the date the scope was written: report drift")] = None,
    known_at: Annotated[datetime | None, Query()] = None,
    column: Annotated[
        str | None, Query(max_length=200, description="column in the filter expressions")
    ] = None,
    format: Annotated[str | None, Query(pattern="^(json|csv)$")] = None,
) -> Response:
    scope = _scope(include, exclude or [])
    day = at or utcnow().date()
    found = index(kodeks.uow, classification_id, known_at)
    expansion = expand(found, scope, day)
    if format == "csv":
        text = io.StringIO()
        writer = csv.writer(text, lineterminator="\n")
        writer.writerow(["code", "title", "level"])
        for code in expansion.codes:
            seg = found.at(code, day)
            writer.writerow(
                [code, seg.title if seg else "", "" if seg is None or seg.level is None else seg.level]
            )
        return Response(text.getvalue(), media_type="text/csv; charset=utf-8")
    name = column or classification_id
    body: dict[str, Any] = {
        "classification": classification_id,
        "at": day.isoformat(),
        "scope": scope.as_dict(),
        "count": len(expansion.codes),
        "codes": list(expansion.codes),
        "unresolved": [s.as_dict() for s in expansion.unresolved],
        "filters": {k: f(name, expansion.codes) for k, f in FILTERS.items()},
    }
    if since is not None:
        body["drift"] = drift(found, scope, since, day).as_dict()
    return FastJSON(body)


class ScopeIn(BaseModel):
    include: list[str]
    exclude: list[str] = Field(default_factory=list)
    aspect: str | None = Field(None, description="Udførende, Ansvarlig or Indsigt (carried along)")


class CheckPairIn(BaseModel):
    code: str = Field(max_length=200)
    at: date | None = None


class CheckIn(BaseModel):
    classification: str = Field(max_length=64)
    scope: ScopeIn
    items: list[CheckPairIn]
    known_at: datetime | None = None


def _check_body(raw: bytes) -> CheckIn:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidRequest("the body is not JSON") from None
    if isinstance(data, dict) and isinstance(data.get("items"), list) and len(data["items"]) > MAX_CHECKS:
        raise InputTooLarge(f"{len(data['items']):,} items; at most {MAX_CHECKS:,} per request")
    try:
        return CheckIn.model_validate(data)
    except ValueError as exc:
        raise InvalidRequest(f"invalid request: {' '.join(str(exc).split())[:300]}") from None


@writes.post(
    "/scopes/check",
    tags=["data"],
    summary="Codes at dates: allowed by a scope or not, with the reason",
    openapi_extra={"requestBody": {"content": {"application/json": {"schema": CheckIn.model_json_schema()}}}},
    responses={413: {"model": ErrorOut}, **ERRORS},
)
async def check_scope(kodeks: KodeksDep, gov: GovernanceDep, request: Request) -> FastJSON:
    from kodeks.domain.data.scope import check

    body = _check_body(await request.body())
    resource = read_resource(gov, body.classification)
    if resource is not None and not resource.public:
        authorize(current_actor(request, gov, request.headers.get("authorization")), Action.READ, resource)
    scope = _scope(body.scope.include, body.scope.exclude, body.scope.aspect)
    found = index(kodeks.uow, body.classification, body.known_at)
    today = utcnow().date()
    results = []
    for pair in body.items:
        d = check(found, scope, pair.code, pair.at or today)
        results.append({"code": d.code, "at": d.day.isoformat(), "allowed": d.allowed, "reason": d.reason})
    return FastJSON(
        {
            "classification": body.classification,
            "aspect": scope.aspect,
            "allowed": sum(1 for r in results if r["allowed"]),
            "results": results,
        }
    )
