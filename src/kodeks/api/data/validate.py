"""``POST /api/v1/classifications/{id}/validate``: up to 10,000 ``{code, at}`` pairs, each given the
status a dataset's row would get (``kodeks data validate``), for case systems checking at entry.
More pairs are refused (413) with a pointer to the CLI, which streams files of any size."""

from __future__ import annotations

from collections import Counter
from datetime import datetime
from typing import Any

import orjson
from fastapi import APIRouter, Depends, Request
from pydantic import BaseModel, Field

from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import read_access
from kodeks.api.governance_http import LimitedRoute
from kodeks.api.render import FastJSON
from kodeks.api.schemas import ErrorOut
from kodeks.domain.data.status import Status
from kodeks.errors import InputTooLarge, InvalidRequest
from kodeks.services.clock import utcnow

MAX_PAIRS = 10_000
router = APIRouter(prefix="/api/v1", route_class=LimitedRoute, dependencies=[Depends(read_access)])


class PairIn(BaseModel):
    code: str | None = Field(None, description="the value as the data holds it")
    at: str | None = Field(None, description="the row's date (any common form); default today")


class ValidateIn(BaseModel):
    items: list[PairIn] = Field(description=f"at most {MAX_PAIRS:,} pairs")
    known_at: datetime | None = None
    level: int | None = Field(None, ge=0, le=99)
    profile: str | None = None


class ResultOut(BaseModel):
    code: str | None
    at: str | None
    status: str
    suggestion: str | None
    title: str | None


class ValidateOut(BaseModel):
    classification: str
    rows: int
    statuses: dict[str, int]
    results: list[ResultOut]


def _body(raw: bytes) -> ValidateIn:
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError:
        raise InvalidRequest("the body is not JSON") from None
    if not isinstance(data, dict) or not isinstance(data.get("items"), list):
        raise InvalidRequest('the body must be an object with "items": [{"code": ..., "at": ...}, ...]')
    if len(data["items"]) > MAX_PAIRS:
        raise InputTooLarge(
            f"{len(data['items']):,} pairs; at most {MAX_PAIRS:,} per request. Validate larger sets with "
            "the CLI, which streams files of any size: kodeks data validate FILE --column NAME=ID "
            "--date-column COL",
            pairs=len(data["items"]),
            limit=MAX_PAIRS,
        )
    try:
        return ValidateIn.model_validate(data)
    except ValueError as exc:
        raise InvalidRequest(f"invalid request: {' '.join(str(exc).split())[:300]}") from None


@router.post(
    "/classifications/{classification_id}/validate",
    tags=["data"],
    summary="Give codes at dates their status (valid, expired, moved, ...)",
    openapi_extra={
        "requestBody": {"content": {"application/json": {"schema": ValidateIn.model_json_schema()}}}
    },
    responses={
        200: {"model": ValidateOut},
        400: {"model": ErrorOut},
        404: {"model": ErrorOut},
        413: {"model": ErrorOut},
    },
)
async def validate_codes(kodeks: KodeksDep, classification_id: str, request: Request) -> FastJSON:
    body = _body(await request.body())
    return FastJSON(_validate(kodeks, classification_id, body))


def _validate(kodeks: Any, cid: str, body: ValidateIn) -> dict[str, Any]:
    import polars as pl

    from kodeks.domain.data.spec import ValidateSpec
    from kodeks.engines.polars_engine import PolarsEngine
    from kodeks.services.data.tables import cached_table
    from kodeks.storage.local import open_local_store

    table = cached_table(
        kodeks.uow, cid, body.known_at, profile=body.profile, open_local_store=open_local_store
    )
    today = utcnow().date().isoformat()
    frame = pl.DataFrame(
        {
            "code": [p.code for p in body.items],
            "at": [p.at if p.at is not None else today for p in body.items],
        },
        schema={"code": pl.String, "at": pl.String},
    )
    spec = ValidateSpec("code", cid, date_column="at", level=body.level)
    checked = PolarsEngine().validate(frame, table, spec).collect()
    results = [
        {"code": c, "at": a, "status": s, "suggestion": g, "title": t}
        for c, a, s, g, t in checked.select(
            ["code", "at", "code_status", "code_suggestion", "code_title"]
        ).iter_rows()
    ]
    counts = Counter(r["status"] for r in results)
    statuses = {s.value: counts.get(s.value, 0) for s in Status}
    return {"classification": cid, "rows": len(results), "statuses": statuses, "results": results}
