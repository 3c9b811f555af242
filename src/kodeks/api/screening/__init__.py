"""The screening routes (``POST /api/v1/screenings`` is a contract)."""

from __future__ import annotations

from fastapi import FastAPI

from kodeks.api.screening import routes


def mount(app: FastAPI) -> None:
    app.include_router(routes.router)
