"""The application factory."""

from __future__ import annotations

from fastapi import FastAPI
from fastapi.responses import RedirectResponse

from kodeks import __version__
from kodeks.api import errors, routes
from kodeks.api.deps import require_user
from kodeks.bootstrap import Kodeks

DESCRIPTION = """Kodeks keeps the classifications Danish municipalities share (KLE, FSIII, DB07, ...)
**bitemporally**: every read takes `at` (the valid date; default today) and `known_at` (what Kodeks
had recorded by then; default now). Validity intervals are half-open `[from, to)`; `null` is open.
Errors always have the shape `{"error": {"code", "message", "details"}}`."""


def create_app(kodeks: Kodeks) -> FastAPI:
    app = FastAPI(title="Kodeks", version=__version__, description=DESCRIPTION,
                  openapi_tags=[{"name": "registry", "description": "Classifications, versions, items, changes"},
                                {"name": "meta", "description": "Health"}])
    app.state.kodeks = kodeks
    errors.install(app)
    app.include_router(routes.router)
    _mount_optional(app)

    @app.get("/", include_in_schema=False)
    def root() -> RedirectResponse:
        return RedirectResponse("/docs")

    return app


def _mount_optional(app: FastAPI) -> None:
    """Routers of modules that may not be installed in every build (privacy jobs)."""
    try:
        from kodeks.api import privacy
    except ImportError:
        return
    app.include_router(privacy.build_router(require_user))
