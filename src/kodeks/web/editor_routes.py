"""Routes of the editor screens (``/redaktion``; English alias ``/editor`` for the pages).

Forms are small (at most ``MAX_FORM`` bytes, no files), carry the CSRF token, and every step
answers with a redirect to the change set and a message (post/redirect/get), or with the change
set page again saying what was refused and why (400, 403, 409, 412, 428).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, Request
from fastapi.responses import RedirectResponse, Response
from starlette.concurrency import run_in_threadpool

from kodeks.bootstrap import Kodeks
from kodeks.errors import Forbidden, InputTooLarge, KodeksError, NotFound, Unauthorized
from kodeks.services.governance import identity
from kodeks.web import catalog_editor, editor
from kodeks.web.access import MAX_CREDENTIAL, SESSION_COOKIE, check_form, check_origin, governance
from kodeks.web.contexts import LoginPage
from kodeks.web.refusals import refusal
from kodeks.web.rendering import error_response, render_visit
from kodeks.web.visit import Visit, visit

router = APIRouter(include_in_schema=False)
MAX_FORM = 64 * 1024
LOGIN = f"{editor.BASE}/log-ind"


def _kodeks(request: Request) -> Kodeks:
    kodeks: Kodeks = request.app.state.kodeks
    return kodeks


async def _read_form(request: Request) -> dict[str, str]:
    length = request.headers.get("content-length")
    if length is None or not length.isdigit() or int(length) > MAX_FORM:
        raise InputTooLarge(f"a form may have at most {MAX_FORM // 1024} kB")
    form = await request.form(max_files=0, max_fields=60, max_part_size=MAX_FORM)
    values: dict[str, str] = {}
    for key, value in form.multi_items():  # repeated fields (checkboxes) come one per line
        if isinstance(value, str):
            values[key] = f"{values[key]}\n{value}" if key in values else value
    return values


def _login_page(v: Visit, error: str | None = None, status: int = 200) -> Response:
    page = LoginPage(v.meta(v.t("login_title"), section="editor"), LOGIN, error)
    return render_visit(v, "login.html", page, status)


def _sign_in_first(v: Visit) -> Response:
    """A page that needs a session, visited without a valid one: the sign-in form with a neutral
    notice (red errors are for sign-ins that failed)."""
    page = LoginPage(v.meta(v.t("login_title"), section="editor"), LOGIN, notice=v.t("login_needed"))
    return render_visit(v, "login.html", page, 401)


def _guarded(request: Request, build: Callable[[Visit], Response]) -> Response:
    try:
        v = visit(request)
    except KodeksError as exc:
        return error_response(request, exc)
    try:
        return build(v)
    except Unauthorized:
        return _sign_in_first(v)
    except KodeksError as exc:
        return error_response(request, exc)
    except Exception as exc:  # the page for unexpected errors
        return error_response(request, exc)


@router.get(editor.BASE)
@router.get("/editor")
def editor_home(request: Request) -> Response:
    return _guarded(request, lambda v: render_visit(v, "editor.html", editor.home(_kodeks(request), v)))


@router.get(LOGIN)
def login_form(request: Request) -> Response:
    return _guarded(request, _login_page)


@router.post(LOGIN)
async def login(request: Request) -> Response:
    try:
        v = visit(request)
        form = await _read_form(request)
        check_origin(request)
    except KodeksError as exc:
        return error_response(request, exc)
    token = form.get("token", "").strip()
    if not token or len(token) > MAX_CREDENTIAL:
        return _login_page(v, v.t("login_failed"), 401)
    try:
        who = await run_in_threadpool(identity.authenticate, governance(_kodeks(request)), token)
    except Unauthorized:
        return _login_page(v, v.t("login_failed"), 401)
    if not who.authenticated:
        return _login_page(v, v.t("login_failed"), 401)
    response = RedirectResponse(editor.BASE + ("?lang=en" if v.lang == "en" else ""), 303)
    response.set_cookie(
        SESSION_COOKIE,
        token,
        httponly=True,
        samesite="strict",
        path="/",
        secure=request.url.scheme == "https",
        max_age=8 * 3600,
    )
    return response


def _number(text: str) -> int | None:
    return int(text) if text.isdigit() and len(text) < 12 else None


@router.post(f"{editor.BASE}/log-ud")
async def logout(request: Request) -> Response:
    try:
        check_origin(request)
    except KodeksError as exc:
        return error_response(request, exc)
    response = RedirectResponse("/", 303)
    response.delete_cookie(SESSION_COOKIE, path="/")
    return response


@router.get(f"{editor.BASE}/aendringssaet/{{cs_id}}")
@router.get("/editor/change-sets/{cs_id}")
def change_set(request: Request, cs_id: str) -> Response:
    number = _number(cs_id)
    if number is None:
        return error_response(request, NotFound(f"no change set {cs_id[:40]!r}"))
    return _guarded(
        request,
        lambda v: render_visit(v, "change_set.html", editor.change_set_page(_kodeks(request), v, number)),
    )


@router.post(f"{editor.BASE}/klassifikationer/{{cid}}/udkast")
async def open_draft(request: Request, cid: str) -> Response:
    async def act(v: Visit, form: dict[str, str]) -> Response:
        opened = await run_in_threadpool(editor.open_draft, _kodeks(request), v, cid, form)
        return RedirectResponse(editor.cs_href(v, opened, besked="opened"), 303)

    return await _post(request, None, act)


STEPS = {
    "kode": "put",
    "udloeb": "expire",
    "fjern": "drop",
    "indsend": "submit",
    "godkend": "approve",
    "afvis": "reject",
    "udgiv": "publish",
}


@router.post(f"{editor.BASE}/aendringssaet/{{cs_id}}/{{verb}}")
async def change_set_step(request: Request, cs_id: str, verb: str) -> Response:
    number = _number(cs_id)
    if verb not in STEPS or number is None:
        return error_response(request, NotFound(f"no step {verb[:40]!r} of change set {cs_id[:40]!r}"))

    async def act(v: Visit, form: dict[str, str]) -> Response:
        kodeks, what = _kodeks(request), STEPS[verb]
        if what == "put":
            await run_in_threadpool(editor.put_code, kodeks, v, number, form)
            done = "saved"
        elif what == "expire":
            await run_in_threadpool(editor.expire_code, kodeks, v, number, form)
            done = "expired_code"
        elif what == "drop":
            await run_in_threadpool(editor.drop_code, kodeks, v, number, form)
            done = "dropped"
        else:
            done = await run_in_threadpool(editor.step, kodeks, v, number, what, form)
        return RedirectResponse(editor.cs_href(v, number, besked=done), 303)

    return await _post(request, number, act)


async def _post(request: Request, cs_id: int | None, act: Callable[..., object]) -> Response:
    """Read and check the form, act; on a refusal show the change set again with the reason."""
    try:
        v = visit(request)
        form = await _read_form(request)
        check_form(request, form.get("csrf"))
    except Unauthorized:
        return _sign_in_first(visit(request))
    except KodeksError as exc:
        return error_response(request, exc)
    try:
        response: Response = await act(v, form)  # type: ignore[misc]
        return response
    except Unauthorized:
        return _sign_in_first(v)
    except KodeksError as exc:
        if cs_id is None:
            return error_response(request, exc)
        try:
            page = await run_in_threadpool(
                editor.change_set_page, _kodeks(request), v, cs_id, refusal(exc, v.t), editor.form_from(form)
            )
        except KodeksError as again:
            return error_response(request, again)
        return render_visit(v, "change_set.html", page, exc.status)


# -- catalogue entries -------------------------------------------------------------------------
@router.get(f"{catalog_editor.BASE}/ny")
def new_entry_form(request: Request) -> Response:
    return _guarded(
        request,
        lambda v: render_visit(v, "catalog_form.html", catalog_editor.form_page(_kodeks(request), v, None)),
    )


@router.get(f"{catalog_editor.BASE}/{{entry_id}}")
def entry_form(request: Request, entry_id: str) -> Response:
    return _guarded(
        request,
        lambda v: render_visit(
            v, "catalog_form.html", catalog_editor.form_page(_kodeks(request), v, entry_id)
        ),
    )


@router.post(f"{catalog_editor.BASE}/{{entry_id}}")
async def save_entry(request: Request, entry_id: str) -> Response:
    """``ny`` creates an external entry; any other id changes that entry."""
    target = None if entry_id == "ny" else entry_id
    try:
        v = visit(request)
        form = await _read_form(request)
        check_form(request, form.get("csrf"))
    except Unauthorized:
        return _sign_in_first(visit(request))
    except KodeksError as exc:
        return error_response(request, exc)
    try:
        saved = await run_in_threadpool(catalog_editor.save, _kodeks(request), v, target, form)
    except Unauthorized:
        return _sign_in_first(v)
    except (Forbidden, NotFound) as exc:
        return error_response(request, exc)
    except KodeksError as exc:
        page = await run_in_threadpool(
            catalog_editor.form_page, _kodeks(request), v, target, form, refusal(exc, v.t)
        )
        return render_visit(v, "catalog_form.html", page, exc.status)
    return RedirectResponse(
        v.urls.catalog_entry(saved)
        + ("&" if "?" in v.urls.catalog_entry(saved) else "?")
        + "besked=entry_saved",
        303,
    )
