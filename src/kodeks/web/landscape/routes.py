"""The landscape's pages: ``/landskab`` (the matrix), ``/landskab/loesninger/{id}``,
``/landskab/opgaver/{code}``, ``/landskab/kommuner/{code}`` (task coverage), ``/landskab/leverandoerer``.
English aliases under ``/landscape``."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response

from kodeks.bootstrap import Kodeks
from kodeks.errors import KodeksError
from kodeks.web.landscape import pages
from kodeks.web.rendering import error_response, render_visit
from kodeks.web.visit import visit

router = APIRouter(include_in_schema=False)


def _kodeks(request: Request) -> Kodeks:
    kodeks: Kodeks = request.app.state.kodeks
    return kodeks


def _render(request: Request, template: str, build: object) -> Response:
    try:
        v = visit(request)
        page = build(_kodeks(request), v)  # type: ignore[operator]
        return render_visit(v, f"landscape/{template}", page)
    except KodeksError as exc:
        return error_response(request, exc)
    except Exception as exc:  # an unexpected error becomes a page, never a bare 500
        return error_response(request, exc)


@router.get("/landskab")
@router.get("/landscape")
def matrix(request: Request) -> Response:
    return _render(request, "matrix.html", pages.matrix_page)


@router.get("/landskab/leverandoerer")
@router.get("/landscape/suppliers")
def suppliers(request: Request) -> Response:
    return _render(request, "suppliers.html", pages.suppliers_page)


@router.get("/landskab/loesninger/{solution_id}")
@router.get("/landscape/solutions/{solution_id}")
def solution(request: Request, solution_id: str) -> Response:
    return _render(request, "solution.html", lambda k, v: pages.solution_page(k, v, solution_id))


@router.get("/landskab/opgaver/{code}")
@router.get("/landscape/tasks/{code}")
def task(request: Request, code: str) -> Response:
    return _render(request, "task.html", lambda k, v: pages.task_page(k, v, code))


@router.get("/landskab/kommuner/{municipality}")
@router.get("/landscape/municipalities/{municipality}")
def coverage(request: Request, municipality: str) -> Response:
    return _render(request, "coverage.html", lambda k, v: pages.coverage_page(k, v, municipality))


@router.get("/landskab/kort")
@router.get("/landscape/map")
def map_(request: Request) -> Response:
    return _render(request, "map.html", pages.map_page)


@router.get("/landskab/udbredelse")
@router.get("/landscape/adoption")
def adoption(request: Request) -> Response:
    return _render(request, "adoption.html", pages.adoption_page)


MAX_FORM = 16 * 1024


@router.post("/landskab/loesninger/{solution_id}/anvendelse")
async def add_use(request: Request, solution_id: str) -> Response:
    """Add a period of use (the signed-in writer's municipality); back to the solution's page."""
    from starlette.concurrency import run_in_threadpool

    from kodeks.errors import InputTooLarge
    from kodeks.web.access import check_form
    from kodeks.web.landscape import editing

    try:
        length = request.headers.get("content-length")
        if length is None or not length.isdigit() or int(length) > MAX_FORM:
            raise InputTooLarge(f"a form may have at most {MAX_FORM // 1024} kB")
        raw = await request.form(max_files=0, max_fields=10, max_part_size=MAX_FORM)
        form = {k: v for k, v in raw.items() if isinstance(v, str)}
        check_form(request, form.get("csrf"))
        await run_in_threadpool(editing.add_use, _kodeks(request), request, solution_id, form)
    except KodeksError as exc:
        return error_response(request, exc)
    return RedirectResponse(f"/landskab/loesninger/{solution_id}?besked=gemt", status_code=303)


@router.get("/landskab/kodebank")
@router.get("/landscape/codebank")
def codebank_list(request: Request) -> Response:
    return _render(request, "codebank.html", pages.codebank_page)
