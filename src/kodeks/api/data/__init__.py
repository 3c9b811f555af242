"""Routes of classifications on data: validate codes at dates (``validate``), data scopes (``scope``)."""

from __future__ import annotations

from fastapi import FastAPI

from kodeks.api.data import scope, validate


def mount(app: FastAPI) -> None:
    app.include_router(validate.router)
    app.include_router(scope.reads)
    app.include_router(scope.writes)
