"""The information-model pages under ``/modeller`` (Danish paths; ``?lang=en`` for English).

/modeller                                   models, and search across models and classifications
/modeller/katalog                           the imported model catalogue's entries
/modeller/katalog/{entry}                   one entry (its key: 12 hex digits of its URI's SHA-256)
/modeller/{model}                           packages, versions, rule check summary, exports
/modeller/{model}/pakker/{package}          classes, concepts, instances and the class diagram (SVG)
/modeller/{model}/pakker/{package}/diagram.svg
/modeller/{model}/klasser/{class}           attributes, relations, generalizations, values, tags
"""

from __future__ import annotations

from collections.abc import Callable

from fastapi import APIRouter, FastAPI, Request
from fastapi.responses import Response

from kodeks.bootstrap import Kodeks
from kodeks.errors import KodeksError, NotFound
from kodeks.web.models import catalogue, pages
from kodeks.web.rendering import SECURITY_HEADERS, error_response, render_visit
from kodeks.web.visit import Visit, visit

router = APIRouter(include_in_schema=False)


def _kodeks(request: Request) -> Kodeks:
    kodeks: Kodeks = request.app.state.kodeks
    return kodeks


def _page(request: Request, build: Callable[[Visit], Response]) -> Response:
    try:
        return build(visit(request))
    except KodeksError as exc:
        return error_response(request, exc)
    except Exception as exc:  # an unexpected error becomes a page, never a bare 500
        return error_response(request, exc)


@router.get("/modeller")
@router.get("/models")
def models(request: Request) -> Response:
    return _page(
        request, lambda v: render_visit(v, "models/models.html", pages.models_page(_kodeks(request), v))
    )


# before /modeller/{model_id}: the catalogue's path is not a model's
@router.get("/modeller/katalog")
def model_catalogue(request: Request) -> Response:
    return _page(
        request,
        lambda v: render_visit(v, "models/catalogue.html", catalogue.catalogue_page(_kodeks(request), v)),
    )


@router.get("/modeller/katalog/{entry}")
def model_catalogue_entry(request: Request, entry: str) -> Response:
    return _page(
        request,
        lambda v: render_visit(
            v, "models/catalogue_entry.html", catalogue.catalogue_entry_page(_kodeks(request), v, entry)
        ),
    )


@router.get("/modeller/{model_id}")
@router.get("/models/{model_id}")
def model(request: Request, model_id: str) -> Response:
    return _page(
        request,
        lambda v: render_visit(v, "models/model.html", pages.model_page(_kodeks(request), v, model_id)),
    )


@router.get("/modeller/{model_id}/pakker/{package_id}")
def package(request: Request, model_id: str, package_id: str) -> Response:
    return _page(
        request,
        lambda v: render_visit(
            v, "models/package.html", pages.package_page(_kodeks(request), v, model_id, package_id)
        ),
    )


@router.get("/modeller/{model_id}/pakker/{package_id}/diagram.svg")
def diagram(request: Request, model_id: str, package_id: str) -> Response:
    def build(v: Visit) -> Response:
        svg = pages.diagram_svg(_kodeks(request), v, model_id, package_id)
        if svg is None:
            raise NotFound("the diagram needs Graphviz, which is not installed")
        return Response(svg, media_type="image/svg+xml", headers=SECURITY_HEADERS)

    return _page(request, build)


@router.get("/modeller/{model_id}/klasser/{class_id}")
def model_class(request: Request, model_id: str, class_id: str) -> Response:
    return _page(
        request,
        lambda v: render_visit(
            v, "models/class.html", pages.class_page(_kodeks(request), v, model_id, class_id)
        ),
    )


def mount(app: FastAPI) -> None:
    app.include_router(router)
