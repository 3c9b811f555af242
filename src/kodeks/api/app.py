"""The application factory."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.openapi.docs import get_redoc_html, get_swagger_ui_html
from fastapi.responses import HTMLResponse
from starlette.types import Receive, Scope, Send

from kodeks import __version__
from kodeks.api import (
    catalog,
    data,
    errors,
    governance,
    landscape,
    local,
    models,
    openapi,
    privacy,
    requirements,
    routes,
    screening,
)
from kodeks.api.cache import ResponseCache
from kodeks.api.deps import require_user
from kodeks.api.fast_reads import FastReads
from kodeks.api.governance_http import AuthFirstRoute
from kodeks.api.headers import HeaderLimit
from kodeks.bootstrap import Kodeks
from kodeks.storage.generation_watch import GenerationWatch
from kodeks.storage.read_model import ModelUnitOfWorkFactory
from kodeks.storage.read_model_warm import Warmer
from kodeks.web import landscape as web_landscape
from kodeks.web import models as web_models
from kodeks.web import routes as web_routes

DESCRIPTION = """Kodeks keeps the classifications Danish municipalities share (KLE, FSIII, DB07, ...)
**bitemporally**: every read takes `at` (the valid date; default today) and `known_at` (what Kodeks
had recorded by then; default now). Validity intervals are half-open `[from, to)`; `null` is open.
Errors always have the shape `{"error": {"code", "message", "details"}}`."""

#: Swagger UI and ReDoc are served by Kodeks itself (``web/static/docs``, see its VENDORED.md): no CDN,
#: no Google Fonts, so the documentation works on a closed network and sends no third-party requests.
DOCS_ASSETS = "/static/docs"


class KodeksAPI(FastAPI):
    """The application, with the lean read path (``api.fast_reads``) asked first: a look-up it
    answers never reaches the middleware stack; everything else goes on as usual."""

    lean: FastReads | None = None

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if self.lean is not None and await self.lean.respond(scope, send):
            return
        await super().__call__(scope, receive, send)


def create_app(kodeks: Kodeks, *, warm: bool = False) -> KodeksAPI:
    """The application; ``warm``: build the read models in the background (``kodeks serve``: at
    start, after every registration, when another process's is seen), so no read waits for one."""
    app = KodeksAPI(
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
    watch = GenerationWatch(kodeks.engine)
    if kodeks.settings.read_cache_seconds >= 0:  # negative: no response cache
        app.add_middleware(ResponseCache, generation=watch.current, check_every=0)
    app.add_middleware(HeaderLimit)  # outermost: 431 before anything reads the request
    openapi.install(app)
    app.lean = FastReads(kodeks, watch)
    if warm and isinstance(kodeks.uow, ModelUnitOfWorkFactory):
        Warmer(kodeks.uow.models).start()

    return app


def _mount_parts(app: FastAPI) -> None:
    """Mount the routes of the other parts: privacy jobs (all need a user), governance, local use,
    catalog and search, requirements and screening, the solution landscape, information models, and
    the web UI."""
    app.include_router(privacy.build_router(require_user, route_class=AuthFirstRoute))
    parts = (governance, local, catalog, data, requirements, screening, landscape, web_landscape, models)
    for part in (*parts, web_models, web_routes):
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
