"""Local use: municipalities, reserved ranges, profiles, sortimenter, correspondences, feeds, webhooks.

``mount(app)`` adds the routers of ``local_profiles``, ``local_sortiments``, ``local_correspondences``
and ``local_webhooks``, and the municipality and reserved-range routes defined here.
"""

from __future__ import annotations

from datetime import datetime
from typing import Annotated, Any

from fastapi import APIRouter, Depends, FastAPI, Query
from fastapi.responses import JSONResponse

from kodeks.api import local_correspondences, local_profiles, local_sortiments, local_webhooks
from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import GovernanceDep, RequiredActor, read_access
from kodeks.api.governance_http import GovernedRoute
from kodeks.api.local_common import STORE, may_administer
from kodeks.api.local_schemas import RangesIn
from kodeks.domain.governance.roles import ResourceKind
from kodeks.domain.local.codec import range_to_dict
from kodeks.domain.local.municipalities import MUNICIPALITIES, Municipality
from kodeks.domain.local.ranges import ReservedRange
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services import queries
from kodeks.services.local import profiles, ranges, sortiments

router = APIRouter(prefix="/api/v1", route_class=GovernedRoute)
KnownAt = Annotated[datetime | None, Query(description="recorded time (ISO timestamp, UTC); default now")]
RANGES = "/classifications/{classification_id}/reserved-ranges"


def _municipality(m: Municipality) -> dict[str, Any]:
    return {
        "code": m.code,
        "name": m.name,
        "region_code": m.region_code,
        "region": m.region,
        "links": {"self": f"/api/v1/municipalities/{m.code}"},
    }


@router.get("/municipalities", tags=["local: municipalities"], summary="The 98 Danish municipalities")
def list_municipalities() -> JSONResponse:
    return JSONResponse([_municipality(m) for m in MUNICIPALITIES.values()])


@router.get(
    "/municipalities/{code}",
    tags=["local: municipalities"],
    summary="A municipality and what it owns: classifications, profiles, sortimenter",
)
def get_municipality(kodeks: KodeksDep, gov: GovernanceDep, code: str) -> JSONResponse:
    m = MUNICIPALITIES.get(code)
    if m is None:
        raise NotFound(
            f"{code!r} is not a Danish municipality code (three digits, e.g. 751)", municipality=code
        )
    owned = []
    with gov.uow() as uow:
        for c in queries.list_classifications(kodeks.uow):
            policy = uow.governance.policy(ResourceKind.CLASSIFICATION, c.id)
            if c.owner == code or (policy is not None and policy.owner == code):
                owned.append(
                    {"id": c.id, "title": c.title(), "links": {"self": f"/api/v1/classifications/{c.id}"}}
                )
    own_profiles = [
        {
            "classification": p.profile.classification,
            "id": p.profile.id,
            "title": p.profile.title(),
            "links": {"self": f"/api/v1/classifications/{p.profile.classification}/profiles/{p.profile.id}"},
        }
        for p in profiles.list_profiles(kodeks.uow, STORE, owner=code)
    ]
    own_sortiments = [
        {
            "id": s.sortiment.id,
            "title": s.sortiment.title(),
            "version": s.sortiment.version,
            "links": {"self": f"/api/v1/sortiments/{s.sortiment.id}"},
        }
        for s in sortiments.list_sortiments(kodeks.uow, STORE, owner=code)
    ]
    return JSONResponse(
        {**_municipality(m), "classifications": owned, "profiles": own_profiles, "sortiments": own_sortiments}
    )


@router.get(
    RANGES,
    tags=["local: profiles"],
    dependencies=[Depends(read_access)],
    summary="Where local codes may be added under this classification's codes",
)
def get_ranges(kodeks: KodeksDep, classification_id: str, known_at: KnownAt = None) -> JSONResponse:
    found = ranges.reserved_ranges(kodeks.uow, STORE, classification_id, known_at)
    return JSONResponse({"classification": classification_id, "ranges": [range_to_dict(r) for r in found]})


@router.put(
    RANGES,
    tags=["local: profiles"],
    dependencies=[Depends(read_access)],
    summary="Set the reserved ranges (the classification's owner)",
)
def put_ranges(
    kodeks: KodeksDep, gov: GovernanceDep, actor: RequiredActor, classification_id: str, body: RangesIn
) -> JSONResponse:
    may_administer(gov, actor, classification_id)
    try:
        wanted = [
            ReservedRange(r.level, r.low, r.high, r.width, r.separator, r.under, r.note) for r in body.ranges
        ]
    except ValueError as exc:
        raise InvalidRequest(f"reserved range: {exc}") from None
    ranges.set_reserved_ranges(kodeks.uow, STORE, classification_id, wanted, actor=actor.name)
    return JSONResponse({"classification": classification_id, "ranges": [range_to_dict(r) for r in wanted]})


def mount(app: FastAPI) -> None:
    app.include_router(router)
    for module in (local_profiles, local_sortiments, local_correspondences, local_webhooks):
        app.include_router(module.router)
