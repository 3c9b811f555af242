"""Mounts the privacy job routes (they need an authenticated user)."""

from __future__ import annotations

from fastapi import FastAPI

from kodeks.api.deps import require_user


def mount(app: FastAPI) -> None:
    from kodeks.api import privacy

    app.include_router(privacy.build_router(require_user))
