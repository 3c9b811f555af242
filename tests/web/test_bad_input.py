"""Bad input gives a clear, translated 4xx page in HTML, never a 500 and never the API's JSON."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kodeks.web.contexts import ErrorPage

TREE = "/klassifikationer/tree"

BAD = [
    (f"{TREE}?dato=2012-13-01", 400),
    (f"{TREE}?dato=i-går", 400),
    (f"{TREE}?dato=20120501", 400),
    (f"{TREE}?dato=" + "9" * 5000, 400),
    (f"{TREE}?kendt=noon", 400),
    (f"{TREE}/koder/10?dato=2012-02-30", 400),
    (f"{TREE}/aendringer?fra=2013-01-01&til=2010-01-01", 400),
    (f"{TREE}/aendringer?fra=2013-01-01&til=tomorrow", 400),
    (f"{TREE}/trae?under=10&start=-4", 400),
    (f"{TREE}/trae?under=10&start=lots", 400),
    ("/klassifikationer/nope", 404),
    ("/klassifikationer/NOPE'--", 404),
    (f"{TREE}/koder/99.99.99", 404),
    (f"{TREE}/koder/99.99.99/historik", 404),
    ("/klassifikationer/nope/aendringer?fra=2010-01-01&til=2011-01-01", 404),
    (f"{TREE}/trae?under=99", 404),
    (f"{TREE}/koder/10/noget/andet", 404),
    ("/classifications/tree/items/10/x/y", 404),
    (f"{TREE}?aaben=" + "&aaben=".join(str(i) for i in range(100)), 400),
    ("/soeg?q=" + "x" * 10_000, 400),
    ("/soeg?q=skole&niveau=-1", 400),
    ("/soeg?q=skole&niveau=abc", 400),
    ("/soeg?q=skole&dato=2012-99-99", 400),
    ("/soeg?q=skole&klassifikation=nope", 404),
]


@pytest.mark.parametrize(("url", "status"), BAD)
def test_bad_input_is_a_clear_html_page(client: TestClient, url: str, status: int) -> None:
    headers = {"HX-Request": "true"} if "/trae" in url else {}
    r = client.get(url, headers=headers)
    assert r.status_code == status, r.text[:400]
    assert r.headers["content-type"].startswith("text/html")
    assert r.template.name == "error.html"  # type: ignore[attr-defined]
    page = r.context["page"]  # type: ignore[attr-defined]
    assert isinstance(page, ErrorPage) and page.status == status and page.message
    assert "Traceback" not in r.text and len(r.text) < 20_000


def test_bad_date_message_is_translated_and_echoes_the_value_escaped(client: TestClient) -> None:
    r = client.get(f"{TREE}?dato=<b>x</b>")
    assert r.status_code == 400
    assert "er ikke en dato" in r.text and "&lt;b&gt;x&lt;/b&gt;" in r.text and "<b>x</b>" not in r.text
    en = client.get(f"{TREE}?dato=nope&lang=en")
    assert "is not a date" in en.text and '<html lang="en">' in en.text


def test_unknown_classification_message(client: TestClient) -> None:
    r = client.get("/klassifikationer/nope?lang=en")
    assert r.status_code == 404 and "no classification “nope”" in r.text


def test_unexpected_errors_become_a_500_page_without_details(client: TestClient, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    from kodeks.web import catalog as home

    def broken(*_a: object) -> None:
        raise RuntimeError("secret database detail")

    monkeypatch.setattr(home, "home_page", broken)
    r = client.get("/")
    assert r.status_code == 500 and r.template.name == "error.html"  # type: ignore[attr-defined]
    assert "secret database detail" not in r.text


def test_the_api_keeps_its_json_errors(client: TestClient) -> None:
    r = client.get("/api/v1/classifications/nope")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
