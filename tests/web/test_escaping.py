"""Markup in titles, descriptions, guidance, keywords, legal references and metadata is shown as text."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from tests.web.conftest import XSS

PAGES = [
    "/",
    "/klassifikationer/xss",
    "/klassifikationer/xss?aaben=1",
    "/klassifikationer/xss/koder/1.1",
    "/klassifikationer/xss/koder/1.1/historik",
    "/klassifikationer/xss/aendringer?fra=1999-01-01&til=2001-01-01",
    "/klassifikationer/xss?lang=en",
    "/katalog/ext-plan",
    "/katalog/xss",
    "/soeg?q=ekstern+plan",
    "/soeg?q=under",
]


@pytest.mark.parametrize("url", PAGES)
def test_markup_is_escaped(client: TestClient, url: str) -> None:
    r = client.get(url)
    assert r.status_code == 200
    assert XSS not in r.text
    assert "<script>alert" not in r.text and "<img src=x" not in r.text
    assert "&lt;script&gt;alert(" in r.text


def test_tree_fragment_escapes(client: TestClient) -> None:
    r = client.get("/klassifikationer/xss/trae?under=1", headers={"HX-Request": "true"})
    assert r.status_code == 200 and "<script>alert" not in r.text and "&lt;script&gt;" in r.text


def test_a_legal_reference_that_is_not_http_is_not_a_link(client: TestClient) -> None:
    r = client.get("/klassifikationer/xss/koder/1.1")
    assert 'href="javascript:' not in r.text


def test_hostile_search_input_is_echoed_as_text(client: TestClient) -> None:
    r = client.get("/soeg", params={"q": XSS})
    assert r.status_code in (200, 400)
    assert "<script>alert" not in r.text


def test_hostile_code_in_the_path_is_escaped(client: TestClient) -> None:
    r = client.get("/klassifikationer/tree/koder/%3Cscript%3Ealert(1)%3C%2Fscript%3E")
    assert r.status_code == 404 and "<script>alert" not in r.text
