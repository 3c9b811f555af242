"""The application factory."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse

from kodeks import __version__
from kodeks.api import catalog, data, errors, governance, local, openapi, privacy, routes
from kodeks.api.cache import ResponseCache
from kodeks.api.deps import require_user
from kodeks.api.governance_http import AuthFirstRoute
from kodeks.api.headers import HeaderLimit
from kodeks.bootstrap import Kodeks
from kodeks.storage.generation import generation
from kodeks.web import routes as web_routes

DESCRIPTION = """Kodeks keeps the classifications Danish municipalities share (KLE, FSIII, DB07, ...)
**bitemporally**: every read takes `at` (the valid date; default today) and `known_at` (what Kodeks
had recorded by then; default now). Validity intervals are half-open `[from, to)`; `null` is open.
Errors always have the shape `{"error": {"code", "message", "details"}}`."""

#: Swagger UI and ReDoc are served by Kodeks itself (``web/static/docs``, see its VENDORED.md): no CDN,
#: no Google Fonts, so the documentation works on a closed network and sends no third-party requests.
DOCS_ASSETS = "/static/docs"


def create_app(kodeks: Kodeks) -> FastAPI:
    app = FastAPI(
        title="Kodeks",
        version=__version__,
        description=DESCRIPTION,
        docs_url=None,
        redoc_url=None,
        openapi_tags=[
            {"name": "registry", "description": "Classifications, versions, items, changes"},
            {"name": "meta", "description": "Health"},
        ],
    )
    app.state.kodeks = kodeks
    errors.install(app)
    _mount_docs(app)
    app.include_router(routes.router)
    _mount_parts(app)
    if kodeks.settings.read_cache_seconds >= 0:
        app.add_middleware(
            ResponseCache,
            generation=lambda: generation(kodeks.engine),
            check_every=kodeks.settings.read_cache_seconds,
        )
    app.add_middleware(HeaderLimit)  # outermost: 431 before anything reads the request
    openapi.install(app)

    return app


def _mount_parts(app: FastAPI) -> None:
    """Mount the routes of the other parts: privacy jobs (all need a user), governance, local use,
    catalog and search, and the web UI."""
    app.include_router(privacy.build_router(require_user, route_class=AuthFirstRoute))
    for part in (governance, local, catalog, data, web_routes):
        part.mount(app)


def _mount_docs(app: FastAPI) -> None:
    """``/docs`` (Swagger UI) and ``/redoc`` with their assets from ``/static/docs``."""
    favicon = f"{DOCS_ASSETS}/favicon-32x32.png"

    @app.get("/docs", include_in_schema=False)
    def swagger_ui() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="Kodeks API",
            swagger_js_url=f"{DOCS_ASSETS}/swagger-ui-bundle.js",
            swagger_css_url=f"{DOCS_ASSETS}/swagger-ui.css",
            swagger_favicon_url=favicon,
            # no validator badge: it would send the spec's address to validator.swagger.io
            swagger_ui_parameters={"validatorUrl": None},
        )

    @app.get("/redoc", include_in_schema=False)
    def redoc() -> HTMLResponse:
        return get_redoc_html(
            openapi_url="/openapi.json",
            title="Kodeks API",
            redoc_js_url=f"{DOCS_ASSETS}/redoc.standalone.js",
            redoc_favicon_url=favicon,
            with_google_fonts=False,
        )
