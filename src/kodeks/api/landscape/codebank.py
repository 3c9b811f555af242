"""The AI code bank's routes under ``/api/v1/codebank``: entries (search by words and KLE task),
publishing (a municipality publishes its own), offers and requests, registered interest, and DCAT."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response

from kodeks.api.deps import KodeksDep
from kodeks.api.governance_http import AuthFirstRoute
from kodeks.api.landscape.routes import ERRORS, WRITE_ERRORS, Scope, _json
from kodeks.domain.landscape.codebank import Offer
from kodeks.domain.landscape.codec import entry_from_dict, entry_to_dict
from kodeks.errors import InvalidRequest
from kodeks.services.landscape import codebank
from kodeks.services.landscape import queries as landscape_queries
from kodeks.services.queries import When

router = APIRouter(prefix="/api/v1/codebank", tags=["codebank"], route_class=AuthFirstRoute, responses=ERRORS)


def render_offer(o: Offer) -> dict[str, Any]:
    return {
        "id": o.id,
        "entry": o.entry,
        "kind": o.kind.value,
        "municipality": o.municipality,
        "note": o.note,
        "created_at": o.created_at.isoformat() + "Z",
        "interested": [{"municipality": m, "note": n} for m, n in o.interested],
    }


@router.get("/entries")
def entries(
    kodeks: KodeksDep,
    q: Annotated[str | None, Query(max_length=200)] = None,
    task: Annotated[str | None, Query(max_length=20)] = None,
) -> list[dict[str, Any]]:
    """Entries whose text has every word of ``q`` and that serve KLE ``task`` (or a task under it)."""
    return [entry_to_dict(e) for e in codebank.search(kodeks.uow, kodeks.codebank, q=q, task=task)]


@router.get("/entries/{entry_id}")
def get_entry(kodeks: KodeksDep, entry_id: str) -> dict[str, Any]:
    found = codebank.entry(kodeks.uow, kodeks.codebank, entry_id)
    uses = landscape_queries.usage(kodeks.uow, kodeks.landscape, When.of(), solution=entry_id)
    return {
        **entry_to_dict(found),
        "used_by": sorted({u.municipality for u in uses if u.status.value == "adopted"}),
        "offers": [render_offer(o) for o in codebank.offers(kodeks.uow, kodeks.codebank, entry_id)],
    }


@router.put("/entries/{entry_id}", responses=WRITE_ERRORS)
async def put_entry(request: Request, kodeks: KodeksDep, entry_id: str, scope: Scope) -> dict[str, Any]:
    """Publish or change an entry (its ``owner`` must be the caller's municipality unless admin)."""
    body = await _json(request)
    try:
        found = entry_from_dict({**(body if isinstance(body, dict) else {}), "id": entry_id})
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None
    done = codebank.publish(
        kodeks.uow,
        kodeks.codebank,
        kodeks.landscape,
        found,
        actor=scope.user,
        as_municipality=scope.municipality,
    )
    return {**entry_to_dict(done.entry), "changed": done.changed, "task_state": done.task_state}


@router.get("/offers")
def offers(
    kodeks: KodeksDep, entry: Annotated[str | None, Query(max_length=100)] = None
) -> list[dict[str, Any]]:
    return [render_offer(o) for o in codebank.offers(kodeks.uow, kodeks.codebank, entry)]


@router.post("/entries/{entry_id}/offers", responses=WRITE_ERRORS)
async def post_offer(request: Request, kodeks: KodeksDep, entry_id: str, scope: Scope) -> dict[str, Any]:
    """``{"kind": "offer"|"request", "municipality": "751", "note": "..."}``."""
    body = await _json(request)
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object")
    made = codebank.offer(
        kodeks.uow,
        kodeks.codebank,
        entry_id,
        str(body.get("kind", "")),
        str(body.get("municipality", "")),
        str(body.get("note", "")),
        actor=scope.user,
        as_municipality=scope.municipality,
    )
    return render_offer(made)


@router.post("/offers/{offer_id}/interest", responses=WRITE_ERRORS)
async def post_interest(request: Request, kodeks: KodeksDep, offer_id: int, scope: Scope) -> dict[str, Any]:
    """``{"municipality": "101", "note": "..."}``: register a municipality's interest in an offer."""
    if not 1 <= offer_id <= 2**63 - 1:
        raise InvalidRequest("offer id out of range")
    body = await _json(request)
    if not isinstance(body, dict):
        raise InvalidRequest("the body must be a JSON object")
    made = codebank.register_interest(
        kodeks.uow,
        kodeks.codebank,
        offer_id,
        str(body.get("municipality", "")),
        str(body.get("note", "")),
        actor=scope.user,
        as_municipality=scope.municipality,
    )
    return render_offer(made)


@router.get("/dcat", response_class=Response)
def dcat(kodeks: KodeksDep) -> Response:
    """DCAT (Turtle): the code bank's entries and the data services the landscape's systems provide."""
    from kodeks.formats.landscape import dcat as writer

    entries = codebank.search(kodeks.uow, kodeks.codebank)
    solutions = landscape_queries.list_solutions(kodeks.uow, kodeks.landscape, When.of())
    return Response(writer.write(solutions, entries, kodeks.settings.base_uri), media_type="text/turtle")
