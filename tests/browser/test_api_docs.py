"""/docs and /redoc render from Kodeks' own assets: every request to another host is blocked (as on a
network without internet, and so no third party learns who reads the documentation)."""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

import pytest

from tests.browser.conftest import Site, screenshot


def _offline(page: Any, site: Site) -> list[str]:
    """Abort every request that does not go to the Kodeks server; returns the blocked addresses."""
    own = urlsplit(site.url).netloc
    blocked: list[str] = []

    def route(r: Any) -> None:
        url = r.request.url
        if urlsplit(url).netloc == own or url.startswith(("data:", "blob:")):
            r.continue_()
        else:
            blocked.append(url)
            r.abort()

    page.context.route("**/*", route)
    return blocked


@pytest.mark.parametrize(
    ("path", "ready", "name"),
    [
        ("/docs", ".swagger-ui .opblock-tag", "docs-swagger"),
        ("/redoc", "[role=menuitem], .menu-content li", "docs-redoc"),
    ],
)
def test_api_docs_render_with_the_network_blocked(
    page: Any, site: Site, path: str, ready: str, name: str
) -> None:
    blocked = _offline(page, site)
    page.goto(site(path))
    page.wait_for_selector(ready)
    assert "Kodeks" in page.content()
    assert page.get_by_text("/api/v1/classifications", exact=False).first.is_visible() or path == "/redoc"
    screenshot(page, name)
    assert blocked == [], f"{path} asked other hosts: {blocked}"


def test_the_documentation_pages_name_no_other_host(page: Any, site: Site) -> None:
    for path in ("/docs", "/redoc"):
        html = page.request.get(site(path)).text()
        assert "cdn.jsdelivr.net" not in html and "fonts.googleapis.com" not in html
        assert "fastapi.tiangolo.com" not in html
