"""Screening: questionnaires (defined by administrators), screenings of projects.

``POST /api/v1/screenings`` ``{"questionnaire", "project", "answers": {question: option}}`` (with a
token, like every API write) stores and returns the result; ``GET /api/v1/screenings?project=`` lists
them, newest first. The web form ``/screening`` needs no sign-in.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Path, Query, Request
from fastapi.responses import JSONResponse
from sqlalchemy import Engine

from kodeks.api.deps import KodeksDep
from kodeks.api.governance_deps import RequiredActor
from kodeks.api.governance_http import LimitedRoute
from kodeks.api.requirements.deps import json_object
from kodeks.config import Settings
from kodeks.domain.screening.codec import questionnaire_to_dict, result_to_dict
from kodeks.errors import InvalidRequest
from kodeks.services.importing import Listener
from kodeks.services.screening import screenings
from kodeks.services.screening.ports import Screening
from kodeks.services.screening.screenings import ScreeningContext
from kodeks.storage.screening import open_screening

API = "/api/v1"
router = APIRouter(tags=["screening"], route_class=LimitedRoute)


@lru_cache(maxsize=16)
def _context(engine: Engine, settings: Settings, listeners: tuple[Listener, ...]) -> ScreeningContext:
    return open_screening(engine, settings, listeners)  # type: ignore[no-any-return]


def get_context(kodeks: KodeksDep) -> ScreeningContext:
    return _context(kodeks.engine, kodeks.settings, tuple(kodeks.listeners))


ContextDep = Annotated[ScreeningContext, Depends(get_context)]


def render(s: Screening) -> dict[str, Any]:
    return {
        "id": s.id,
        "questionnaire": s.questionnaire_id,
        "questionnaire_version": s.questionnaire_version,
        "project": s.project,
        "answers": s.answers,
        "result": result_to_dict(s.result),
        "at": s.at.isoformat() + "Z",
        "links": {"self": f"{API}/screenings/{s.id}", "report": f"/screening/{s.id}"},
    }


@router.get(f"{API}/screening/questionnaires")
def list_questionnaires(ctx: ContextDep) -> JSONResponse:
    return JSONResponse(
        {"questionnaires": [questionnaire_to_dict(q) for q in screenings.questionnaires(ctx)]}
    )


@router.get(f"{API}/screening/questionnaires/{{questionnaire_id}}")
def get_questionnaire(
    ctx: ContextDep, questionnaire_id: str, version: Annotated[int | None, Query(ge=1, le=1_000_000)] = None
) -> JSONResponse:
    return JSONResponse(questionnaire_to_dict(screenings.questionnaire(ctx, questionnaire_id, version)))


@router.put(f"{API}/screening/questionnaires/{{questionnaire_id}}")
async def define_questionnaire(
    ctx: ContextDep, actor: RequiredActor, questionnaire_id: str, request: Request
) -> JSONResponse:
    """Record the questionnaire's next version (administrators)."""
    body = await json_object(request)
    if body.get("id", questionnaire_id) != questionnaire_id:
        raise InvalidRequest("the body's id is not the path's")
    q = screenings.define(ctx, actor, {**body, "id": questionnaire_id})
    return JSONResponse(questionnaire_to_dict(q))


@router.post(f"{API}/screenings", status_code=201)
async def screen(ctx: ContextDep, actor: RequiredActor, request: Request) -> JSONResponse:
    """Screen a project against the newest version of a questionnaire; the result is stored."""
    body = await json_object(request, 256 * 1024)
    questionnaire = body.get("questionnaire")
    if not isinstance(questionnaire, str):
        raise InvalidRequest("name the questionnaire ('questionnaire')")
    answers = body.get("answers")
    if not isinstance(answers, dict):
        raise InvalidRequest("'answers' must be an object of question id → option id")
    made = screenings.screen(ctx, actor, questionnaire, body.get("project", ""), answers)
    return JSONResponse(render(made), status_code=201, headers={"Location": f"{API}/screenings/{made.id}"})


@router.get(f"{API}/screenings")
def list_screenings(
    ctx: ContextDep,
    project: Annotated[str | None, Query(max_length=300)] = None,
    limit: Annotated[int, Query(ge=1, le=500)] = 100,
) -> JSONResponse:
    found = screenings.listing(ctx, project=project, limit=limit)
    return JSONResponse({"count": len(found), "screenings": [render(s) for s in found]})


@router.get(f"{API}/screenings/{{screening_id}}")
def get_screening(ctx: ContextDep, screening_id: Annotated[int, Path(ge=1, le=2**31 - 1)]) -> JSONResponse:
    return JSONResponse(render(screenings.get(ctx, screening_id)))
