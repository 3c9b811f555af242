"""The web UI's routes: thin handlers that read the request, build a typed page context, render it.

Danish paths are canonical; English aliases lead to the same handlers (see ``docs/web.md``). Every
error becomes an HTML page with the right status (400 bad input, 404 unknown, never a bare 500).
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import RedirectResponse, Response
from fastapi.staticfiles import StaticFiles

from kodeks.bootstrap import Kodeks
from kodeks.errors import KodeksError, NotFound, Unauthorized
from kodeks.web import access, catalog, changes, classification, editor_routes, item, search, thesaurus
from kodeks.web.contexts import Link
from kodeks.web.i18n import Translator
from kodeks.web.rendering import STATIC, error_response, render_visit
from kodeks.web.visit import Visit, language, visit

router = APIRouter(include_in_schema=False)


def _kodeks(request: Request) -> Kodeks:
    kodeks: Kodeks = request.app.state.kodeks
    return kodeks


def _page(request: Request, build: Callable[[Visit], Response], cid: str | None = None) -> Response:
    """Build and render a page; ``cid`` pages first check the classification's read policy."""
    try:
        v = visit(request)
        if cid is not None:
            access.require_read(_kodeks(request), request, cid)
        return build(v)
    except Unauthorized as exc:
        t = Translator(language(request)[0])
        return error_response(
            request, exc, (Link("/redaktion/log-ind", t("login_button")), Link("/", t("go_catalog")))
        )
    except KodeksError as exc:
        return error_response(request, exc)
    except Exception as exc:  # the one place an unexpected error becomes a page
        return error_response(request, exc)


@router.get("/")
@router.get("/katalog")
@router.get("/catalog")
def home_page(request: Request) -> Response:
    return _page(request, lambda v: render_visit(v, "home.html", catalog.home_page(_kodeks(request), v)))


@router.get("/katalog/{entry_id}")
@router.get("/catalog/{entry_id}")
def catalog_entry(request: Request, entry_id: str) -> Response:
    return _page(
        request,
        lambda v: render_visit(v, "catalog_entry.html", catalog.entry_page(_kodeks(request), v, entry_id)),
    )


@router.get("/klassifikationer")
@router.get("/classifications")
def classifications(request: Request) -> Response:
    """The catalogue, at the Danish path the classification pages live under (no redirect)."""
    return home_page(request)


@router.get("/soeg")
@router.get("/search")
def search_page(request: Request) -> Response:
    return _page(request, lambda v: render_visit(v, "search.html", search.search_page(_kodeks(request), v)))


@router.get("/klassifikationer/{cid}")
@router.get("/classifications/{cid}")
def classification_page(request: Request, cid: str) -> Response:
    def build(v: Visit) -> Response:
        page = classification.classification_page(
            _kodeks(request), v, cid, v.params("aaben") or v.params("open")
        )
        return render_visit(v, "classification.html", page)

    return _page(request, build, cid)


@router.get("/klassifikationer/{cid}/trae")
@router.get("/classifications/{cid}/tree")
def tree(request: Request, cid: str) -> Response:
    """One tree level as ``<li>`` nodes for htmx; opened directly, the page with that node open."""

    def build(v: Visit) -> Response:
        parent = v.param("under", "parent", limit=200)
        if "hx-request" not in request.headers:
            return RedirectResponse(v.urls.classification(cid, [parent] if parent else []), 303)
        start = v.int_param("start", low=0) or 0
        return render_visit(
            v, "tree_fragment.html", classification.tree_fragment(_kodeks(request), v, cid, parent, start)
        )

    return _page(request, build, cid)


@router.get("/klassifikationer/{cid}/koder/{code}")
@router.get("/classifications/{cid}/items/{code}")
def item_page(request: Request, cid: str, code: str) -> Response:
    def build(v: Visit) -> Response:
        kodeks = _kodeks(request)
        try:
            return render_visit(v, "item.html", item.item_page(kodeks, v, cid, code))
        except NotFound as exc:
            if "valid" not in exc.details:
                raise
            heading, message, links = item.not_valid(kodeks, v, cid, code, exc)
            return error_response(request, exc, links, message, heading)

    return _page(request, build, cid)


@router.get("/klassifikationer/{cid}/koder/{code}/historik")
@router.get("/classifications/{cid}/items/{code}/history")
def history_page(request: Request, cid: str, code: str) -> Response:
    return _page(
        request,
        lambda v: render_visit(v, "history.html", item.history_page(_kodeks(request), v, cid, code)),
        cid,
    )


@router.get("/klassifikationer/{cid}/aendringer")
@router.get("/classifications/{cid}/changes")
def changes_page(request: Request, cid: str) -> Response:
    def build(v: Visit) -> Response:
        fra, til = v.date_param("fra", "from"), v.date_param("til", "to")
        return render_visit(v, "changes.html", changes.changes_page(_kodeks(request), v, cid, fra, til))

    return _page(request, build, cid)


@router.get("/klassifikationer/{cid}/grupper")
@router.get("/classifications/{cid}/groups")
def groups_page(request: Request, cid: str) -> Response:
    return _page(
        request,
        lambda v: render_visit(v, "groups.html", thesaurus.groups_page(_kodeks(request), v, cid)),
        cid,
    )


@router.get("/klassifikationer/{cid}/grupper/{code}")
@router.get("/classifications/{cid}/groups/{code}")
def group_page(request: Request, cid: str, code: str) -> Response:
    return _page(
        request,
        lambda v: render_visit(v, "group.html", thesaurus.group_page(_kodeks(request), v, cid, code)),
        cid,
    )


@router.get("/klassifikationer/{cid}/alfabetisk")
@router.get("/classifications/{cid}/alphabetical")
def alphabet_page(request: Request, cid: str) -> Response:
    return _page(
        request,
        lambda v: render_visit(v, "alphabet.html", thesaurus.alphabet_page(_kodeks(request), v, cid)),
        cid,
    )


@router.get("/klassifikationer/{rest:path}")
@router.get("/classifications/{rest:path}")
def unknown(request: Request, rest: str) -> Response:
    def build(v: Visit) -> Response:
        raise NotFound(v.t("no_such_page", path=request.url.path[:200]))

    return _page(request, build)


def mount(app: FastAPI) -> None:
    from kodeks.web.requirements import routes as requirement_routes

    app.include_router(editor_routes.router)
    app.include_router(requirement_routes.router)
    app.include_router(router)
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
