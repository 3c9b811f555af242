"""Routes of ``/krav`` (requirements, requirement sets) and ``/screening`` (English aliases too).

The screening form needs no sign-in: a project manager answers it, the result is stored and shown at
``/screening/{id}`` (printable; the browser saves it as PDF). A form from another site is refused.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import lru_cache

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from sqlalchemy import Engine
from starlette.datastructures import FormData
from starlette.exceptions import HTTPException
from starlette.formparsers import MultiPartException

from kodeks.bootstrap import Kodeks
from kodeks.config import Settings
from kodeks.errors import InputTooLarge, InvalidRequest, KodeksError
from kodeks.formats.requirements.xlsx import read_answers
from kodeks.services.importing import Listener
from kodeks.services.requirements import sets
from kodeks.services.requirements.context import Requirements
from kodeks.services.screening import screenings
from kodeks.services.screening.screenings import ScreeningContext
from kodeks.storage.requirements import open_requirements
from kodeks.storage.screening import open_screening
from kodeks.web import access
from kodeks.web.rendering import error_response, render_visit
from kodeks.web.requirements import pages
from kodeks.web.urls import seg
from kodeks.web.visit import Visit, visit

router = APIRouter(include_in_schema=False)
MAX_FORM = 64 * 1024
MAX_UPLOAD = 20 * 1024 * 1024


@lru_cache(maxsize=16)
def _contexts(
    engine: Engine, settings: Settings, listeners: tuple[Listener, ...]
) -> tuple[Requirements, ScreeningContext]:
    return open_requirements(engine, settings, listeners), open_screening(engine, settings, listeners)


def _kodeks(request: Request) -> Kodeks:
    kodeks: Kodeks = request.app.state.kodeks
    return kodeks


def _ctx(request: Request) -> tuple[Requirements, ScreeningContext]:
    k = _kodeks(request)
    return _contexts(k.engine, k.settings, tuple(k.listeners))


async def _form(request: Request, *, max_files: int, max_fields: int, max_part_size: int) -> FormData:
    """The posted form; what Starlette refuses (too many fields or files, a broken multipart body)
    becomes a 400 page instead of an unexpected error."""
    try:
        return await request.form(max_files=max_files, max_fields=max_fields, max_part_size=max_part_size)
    except (HTTPException, MultiPartException) as exc:
        raise InvalidRequest(f"the form cannot be read: {getattr(exc, 'detail', None) or exc}") from None


def _page(request: Request, build: Callable[[Visit], Response]) -> Response:
    try:
        return build(visit(request))
    except KodeksError as exc:
        return error_response(request, exc)
    except Exception as exc:  # an unexpected error becomes a page, never a bare 500
        return error_response(request, exc)


@router.get("/krav")
@router.get("/requirements")
def requirement_list(request: Request) -> Response:
    rctx, _ = _ctx(request)
    actor = access.actor(_kodeks(request), request)
    return _page(
        request,
        lambda v: render_visit(v, "krav_list.html", pages.list_page(_kodeks(request), rctx, v, actor)),
    )


@router.get("/krav/saet/{set_id}")
@router.get("/requirements/sets/{set_id}")
def requirement_set(request: Request, set_id: str) -> Response:
    rctx, _ = _ctx(request)
    actor = access.actor(_kodeks(request), request)
    secret = access.credential(request)
    return _page(
        request, lambda v: render_visit(v, "krav_set.html", pages.set_page(rctx, v, actor, set_id, secret))
    )


@router.post("/krav/saet/{set_id}/svar")
@router.post("/requirements/sets/{set_id}/answers")
async def requirement_set_answers(request: Request, set_id: str) -> Response:
    """Import a supplier's filled-in workbook from the set's page (signed-in editors of the owner)."""
    rctx, _ = _ctx(request)
    try:
        declared = request.headers.get("content-length", "")
        if not declared.isascii() or not declared.isdigit():
            raise InvalidRequest("the upload must state its length")
        if int(declared) > MAX_UPLOAD:
            raise InputTooLarge(f"the upload is larger than {MAX_UPLOAD:,} bytes")
        form = await _form(request, max_files=1, max_fields=5, max_part_size=MAX_UPLOAD)
        csrf = form.get("csrf")
        access.check_form(request, csrf if isinstance(csrf, str) else None)
        upload = form.get("fil")
        if upload is None or isinstance(upload, str):
            raise InvalidRequest("choose the supplier's workbook")
        data = await upload.read(MAX_UPLOAD + 1)
        named = form.get("leverandoer")
        supplier = named.strip() if isinstance(named, str) and named.strip() else None
        sheet = read_answers(data, upload.filename or "svar.xlsx", supplier)
        if sheet.set_id and sheet.set_id != set_id:
            raise InvalidRequest(f"the workbook is for requirement set {sheet.set_id[:64]}, not {set_id}")
        actor = access.actor(_kodeks(request), request)
        count = sets.import_answers(rctx, actor, set_id, supplier or sheet.supplier or "", sheet.answers)
    except KodeksError as exc:
        return error_response(request, exc)
    except Exception as exc:
        return error_response(request, exc)
    lang = "&lang=en" if request.query_params.get("lang") == "en" else ""
    return RedirectResponse(f"/krav/saet/{seg(set_id)}?svar={count}{lang}", status_code=303)


@router.get("/krav/{requirement_id}")
@router.get("/requirements/{requirement_id}")
def requirement(request: Request, requirement_id: str) -> Response:
    rctx, _ = _ctx(request)
    actor = access.actor(_kodeks(request), request)
    return _page(
        request,
        lambda v: render_visit(
            v, "krav.html", pages.requirement_page(_kodeks(request), rctx, v, actor, requirement_id)
        ),
    )


@router.get("/screening")
def screening_form(request: Request) -> Response:
    _, sctx = _ctx(request)
    return _page(request, lambda v: render_visit(v, "screening_form.html", pages.form_page(sctx, v)))


@router.post("/screening")
async def screening_submit(request: Request) -> Response:
    """Store a screening from the form (fields ``skema``, ``projekt`` and one per question)."""
    _, sctx = _ctx(request)
    try:
        access.check_origin(request)
        declared = request.headers.get("content-length", "0")
        if not declared.isascii() or not declared.isdigit() or int(declared) > MAX_FORM:
            raise InputTooLarge(f"the form is larger than {MAX_FORM:,} bytes")
        form = await _form(request, max_files=0, max_fields=200, max_part_size=MAX_FORM)
        fields = {k: v for k, v in form.items() if isinstance(v, str)}
        questionnaire = fields.pop("skema", "")
        project = fields.pop("projekt", "")
        fields.pop("lang", None)
        if not questionnaire:
            raise InvalidRequest("the form names no questionnaire")
        actor = access.actor(_kodeks(request), request)
        made = screenings.screen(sctx, actor, questionnaire, project, fields)
    except KodeksError as exc:
        return error_response(request, exc)
    except Exception as exc:
        return error_response(request, exc)
    lang = request.query_params.get("lang")
    suffix = "?lang=en" if lang == "en" else ""
    return RedirectResponse(f"/screening/{made.id}{suffix}", status_code=303)


@router.get("/screening/sammenlign")
@router.get("/screening/compare")
def screening_comparison(request: Request) -> Response:
    _, sctx = _ctx(request)
    return _page(request, lambda v: render_visit(v, "screening_compare.html", pages.comparison_page(sctx, v)))


@router.get("/screening/{screening_id}")
def screening_result(request: Request, screening_id: str) -> Response:
    rctx, sctx = _ctx(request)

    def build(v: Visit) -> Response:
        if not screening_id.isdigit() or len(screening_id) > 9:
            raise InvalidRequest(v.t("bad_number", value=screening_id[:20], low=1, high=999_999_999))
        page = pages.result_page(_kodeks(request), rctx, sctx, v, int(screening_id))
        return render_visit(v, "screening_result.html", page)

    return _page(request, build)


def mount(app: FastAPI) -> None:
    app.include_router(router)
