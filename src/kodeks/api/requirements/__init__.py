"""The requirement tools' routes (``GET /api/v1/requirements`` and the set export are contracts)."""

from __future__ import annotations

from fastapi import FastAPI

from kodeks.api.requirements import routes


def mount(app: FastAPI) -> None:
    app.include_router(routes.router)
