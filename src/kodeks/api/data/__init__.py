"""Routes of classifications on data: validate codes at dates (``validate``)."""

from __future__ import annotations

from fastapi import FastAPI

from kodeks.api.data import validate


def mount(app: FastAPI) -> None:
    app.include_router(validate.router)
