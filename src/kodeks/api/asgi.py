"""ASGI entry point for multi-worker serving: ``uvicorn kodeks.api.asgi:app``."""

from __future__ import annotations

from kodeks.api.app import create_app
from kodeks.bootstrap import build
from kodeks.config import load_settings

app = create_app(build(load_settings()))
