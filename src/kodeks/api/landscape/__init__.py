"""The landscape's HTTP API under ``/api/v1/landscape`` (``routes``) and its rendering (``render``)."""

from __future__ import annotations

from fastapi import FastAPI


def mount(app: FastAPI) -> None:
    from kodeks.api.landscape.codebank import router as codebank_router
    from kodeks.api.landscape.routes import router

    app.include_router(router)
    app.include_router(codebank_router)
