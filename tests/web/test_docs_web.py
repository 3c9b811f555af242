"""docs/web.md names every route of the web UI (a new page cannot stay undocumented)."""

from __future__ import annotations

import re

from fastapi.routing import APIRoute

from kodeks.web import editor_routes, routes
from tests.conftest import REPO


def _shape(path: str) -> str:
    return re.sub(r"\{[^}]*\}", "{}", path)


def test_every_route_is_in_docs_web() -> None:
    text = (REPO / "docs" / "web.md").read_text()
    documented = {_shape(p) for p in re.findall(r"`(/[^`\s]*)`", text)}
    paths = {
        _shape(r.path)
        for router in (routes.router, editor_routes.router)
        for r in router.routes
        if isinstance(r, APIRoute)
    }
    missing = sorted(p for p in paths if p not in documented)
    assert len(paths) > 20
    assert missing == []
