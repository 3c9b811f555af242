"""The application factory."""

from __future__ import annotations

from fastapi import FastAPI

from kodeks import __version__
from kodeks.api import errors, routes
from kodeks.api.cache import ResponseCache
from kodeks.api.deps import require_user
from kodeks.bootstrap import Kodeks
from kodeks.storage.generation import generation

DESCRIPTION = """Kodeks keeps the classifications Danish municipalities share (KLE, FSIII, DB07, ...)
**bitemporally**: every read takes `at` (the valid date; default today) and `known_at` (what Kodeks
had recorded by then; default now). Validity intervals are half-open `[from, to)`; `null` is open.
Errors always have the shape `{"error": {"code", "message", "details"}}`."""


def create_app(kodeks: Kodeks) -> FastAPI:
    app = FastAPI(
        title="Kodeks",
        version=__version__,
        description=DESCRIPTION,
        openapi_tags=[
            {"name": "registry", "description": "Classifications, versions, items, changes"},
            {"name": "meta", "description": "Health"},
        ],
    )
    app.state.kodeks = kodeks
    errors.install(app)
    app.include_router(routes.router)
    _mount_optional(app)
    if kodeks.settings.read_cache_seconds >= 0:
        app.add_middleware(
            ResponseCache,
            generation=lambda: generation(kodeks.engine),
            check_every=kodeks.settings.read_cache_seconds,
        )

    return app


#: Modules that add routes: each defines ``mount(app: FastAPI) -> None`` or, for routes that all need an
#: authenticated user, ``build_router(require_user) -> APIRouter``.
PLUGINS = (
    "kodeks.api.privacy",
    "kodeks.api.governance",
    "kodeks.api.local",
    "kodeks.api.catalog",
    "kodeks.web.routes",
)


def _mount_optional(app: FastAPI) -> None:
    """Mount the route modules of the other parts (privacy jobs, governance, catalog, web UI)."""
    import importlib

    for name in PLUGINS:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name != name:
                raise
            continue
        if hasattr(module, "mount"):
            module.mount(app)
        else:
            app.include_router(module.build_router(require_user))
