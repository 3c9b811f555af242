"""The landscape's web pages under ``/landskab`` (``routes``, ``pages``); its strings join the UI's one
table here, before any page renders."""

from __future__ import annotations

from fastapi import FastAPI

from kodeks.web.i18n import STRINGS
from kodeks.web.landscape.strings import STRINGS as LANDSCAPE_STRINGS

STRINGS.update(LANDSCAPE_STRINGS)


def mount(app: FastAPI) -> None:
    from kodeks.web.landscape.routes import router

    app.include_router(router)
