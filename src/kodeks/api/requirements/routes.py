"""Requirements, requirement sets, exports, supplier answers.

Reads are public for published requirements and for sets; drafts, trails and answers need a role on
the owner organisation. Writes need a token (401 before the body is read), JSON bodies of at most
1 MiB; a filled-in workbook at most 20 MiB (``Settings.max_request_bytes`` applies first).
"""

from __future__ import annotations

from typing import Annotated

from fastapi import APIRouter, Header, Query, Request, Response
from fastapi.responses import JSONResponse

from kodeks.api.governance_deps import ActorDep, RequiredActor
from kodeks.api.governance_http import LimitedRoute
from kodeks.api.requirements import render
from kodeks.api.requirements.deps import RequirementsDep, json_object
from kodeks.errors import InvalidRequest
from kodeks.formats import requirements as formats
from kodeks.formats.requirements.xlsx import read_answers
from kodeks.services.requirements import catalogue, sets

API = "/api/v1"
router = APIRouter(tags=["requirements"], route_class=LimitedRoute)
Id = Annotated[str, Query(max_length=64)]


@router.get(f"{API}/requirements")
def list_requirements(
    ctx: RequirementsDep,
    actor: ActorDep,
    q: Annotated[str | None, Query(max_length=500)] = None,
    principle: Annotated[str | None, Query(max_length=64)] = None,
    category: Annotated[str | None, Query(max_length=100)] = None,
    drafts: bool = False,
) -> JSONResponse:
    """The newest published version of every requirement (``drafts=true``: the newest you may read)."""
    found = catalogue.listing(ctx, actor, q=q, principle=principle, category=category, drafts=drafts)
    return JSONResponse({"count": len(found), "requirements": [render.requirement(r) for r in found]})


@router.post(f"{API}/requirements", status_code=201)
async def create_requirement(ctx: RequirementsDep, actor: RequiredActor, request: Request) -> JSONResponse:
    """A new requirement, as a draft (needs editor on the owner organisation)."""
    made = catalogue.create(ctx, actor, await json_object(request))
    return JSONResponse(
        render.requirement(made), status_code=201, headers={"Location": f"{API}/requirements/{made.id}"}
    )


@router.get(f"{API}/requirements/{{requirement_id}}")
def get_requirement(
    ctx: RequirementsDep,
    actor: ActorDep,
    requirement_id: str,
    version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None,
) -> JSONResponse:
    return JSONResponse(render.requirement(catalogue.get(ctx, actor, requirement_id, version)))


@router.put(f"{API}/requirements/{{requirement_id}}")
async def revise_requirement(
    ctx: RequirementsDep, actor: RequiredActor, requirement_id: str, request: Request
) -> JSONResponse:
    """Edit the draft, or start the next version after a published (or rejected) one."""
    return JSONResponse(
        render.requirement(catalogue.revise(ctx, actor, requirement_id, await json_object(request)))
    )


@router.post(f"{API}/requirements/{{requirement_id}}/{{action}}")
async def step_requirement(
    ctx: RequirementsDep, actor: RequiredActor, requirement_id: str, action: str, request: Request
) -> JSONResponse:
    """``submit``, ``approve``, ``reject`` (``{"note": reason}``) or ``publish`` the newest version."""
    raw = await request.body()
    body = await json_object(request) if raw.strip() else {}
    note = body.get("note", "")
    if not isinstance(note, str):
        raise InvalidRequest("'note' must be a string")
    return JSONResponse(render.requirement(catalogue.transition(ctx, actor, requirement_id, action, note)))


@router.get(f"{API}/requirements/{{requirement_id}}/versions")
def requirement_versions(ctx: RequirementsDep, actor: ActorDep, requirement_id: str) -> JSONResponse:
    found = catalogue.versions(ctx, actor, requirement_id)
    return JSONResponse({"versions": [render.requirement(r) for r in found]})


@router.get(f"{API}/requirements/{{requirement_id}}/trail")
def requirement_trail(ctx: RequirementsDep, actor: ActorDep, requirement_id: str) -> JSONResponse:
    return JSONResponse({"trail": [render.event(e) for e in catalogue.trail(ctx, actor, requirement_id)]})


SETS = f"{API}/requirement-sets"


@router.get(SETS)
def list_sets(ctx: RequirementsDep) -> JSONResponse:
    return JSONResponse({"requirement_sets": [render.requirement_set(s) for s in sets.listing(ctx)]})


@router.post(SETS, status_code=201)
async def create_set(ctx: RequirementsDep, actor: RequiredActor, request: Request) -> JSONResponse:
    made = sets.save(ctx, actor, await json_object(request), expected_revision=None, create=True)
    rset, lines = sets.get(ctx, made.id)
    return JSONResponse(
        render.requirement_set(rset, lines),
        status_code=201,
        headers={"Location": f"{SETS}/{made.id}", "ETag": f'"{made.revision}"'},
    )


@router.get(SETS + "/{set_id}")
def get_set(ctx: RequirementsDep, set_id: str) -> JSONResponse:
    rset, lines = sets.get(ctx, set_id)
    return JSONResponse(render.requirement_set(rset, lines), headers={"ETag": f'"{rset.revision}"'})


def _revision(if_match: str | None) -> int | None:
    if if_match is None:
        return None
    text = if_match.strip().strip('"')
    if not text.isdigit() or len(text) > 9:
        raise InvalidRequest("If-Match must be the set's revision (its ETag)")
    return int(text)


@router.put(SETS + "/{set_id}")
async def save_set(
    ctx: RequirementsDep,
    actor: RequiredActor,
    set_id: str,
    request: Request,
    if_match: Annotated[str | None, Header(max_length=20)] = None,
) -> JSONResponse:
    """Save the set's next revision; send the revision you read in ``If-Match`` (428 without it)."""
    body = await json_object(request)
    if body.get("id", set_id) != set_id:
        raise InvalidRequest("the body's id is not the path's")
    made = sets.save(ctx, actor, {**body, "id": set_id}, expected_revision=_revision(if_match))
    rset, lines = sets.get(ctx, made.id)
    return JSONResponse(render.requirement_set(rset, lines), headers={"ETag": f'"{made.revision}"'})


@router.get(SETS + "/{set_id}/export")
def export_set(
    ctx: RequirementsDep,
    set_id: str,
    format: Annotated[str, Query(pattern="^(xlsx|docx|reqif)$", description="xlsx | docx | reqif")] = "xlsx",
) -> Response:
    """The set as a workbook with response columns, a Word document, or ReqIF."""
    rset, lines = sets.get(ctx, set_id)
    body = formats.export(format, rset, lines)
    name = f"{rset.id}{formats.EXTENSIONS[format]}"
    return Response(
        body,
        media_type=formats.MEDIA_TYPES[format],
        headers={"Content-Disposition": f'attachment; filename="{name}"'},
    )


@router.post(SETS + "/{set_id}/answers")
async def import_answers(
    ctx: RequirementsDep,
    actor: RequiredActor,
    set_id: str,
    request: Request,
    supplier: Annotated[str | None, Query(max_length=200)] = None,
) -> JSONResponse:
    """A supplier's filled-in workbook (the body, as sent): replaces that supplier's answers."""
    sheet = read_answers(await request.body(), f"{set_id}.xlsx", supplier)
    if sheet.set_id and sheet.set_id != set_id:
        raise InvalidRequest(f"the workbook is for requirement set {sheet.set_id[:64]}, not {set_id}")
    who = supplier or sheet.supplier or ""
    count = sets.import_answers(ctx, actor, set_id, who, sheet.answers)
    return JSONResponse({"supplier": who, "answers": count})


@router.get(SETS + "/{set_id}/comparison")
def compare(ctx: RequirementsDep, actor: ActorDep, set_id: str) -> JSONResponse:
    """The suppliers' answers side by side (needs a role on the set's owner)."""
    return JSONResponse(render.comparison(sets.comparison(ctx, actor, set_id)))
