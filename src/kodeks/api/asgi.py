"""ASGI entry point for multi-worker serving:
``uvicorn kodeks.api.asgi:app --http kodeks.api.server:HttpProtocol`` (``kodeks serve --workers N``
does this; the protocol accepts raw UTF-8 request targets and bounds request heads)."""

from __future__ import annotations

from kodeks.api.app import create_app
from kodeks.bootstrap import build
from kodeks.config import load_settings

app = create_app(build(load_settings()), warm=True)
