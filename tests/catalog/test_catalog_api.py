"""``/api/v1/catalog`` (a contract) and entry CRUD: shapes, DCAT RDF, auth, and hostile input."""

from __future__ import annotations

import json

import pytest
from fastapi.testclient import TestClient
from rdflib import RDF, Graph, Literal, URIRef
from rdflib.namespace import DCAT, DCTERMS

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from tests.search.backends import TOKEN

URL = "/api/v1/catalog"
ENTRIES = "/api/v1/catalog/entries"
AUTH = {"Authorization": f"Bearer {TOKEN}"}
FORM = {
    "id": "form",
    "titles": {"da": "FORM", "en": "FORM"},
    "publisher": "KL",
    "themes": ["GOVE"],
    "landing_page": "https://example.org/form",
    "distributions": [{"url": "https://example.org/form.csv", "media_type": "text/csv"}],
}


@pytest.fixture(scope="module")
def backend() -> str:
    """HTTP behaviour does not depend on the database; the service tests cover both."""
    return "sqlite"


@pytest.fixture
def client(registry: Kodeks) -> TestClient:
    return TestClient(create_app(registry), raise_server_exceptions=False)


def test_catalog_json_lists_every_entry(client: TestClient) -> None:
    body = client.get(URL).json()
    assert body["count"] == 1
    [tree] = body["entries"]
    assert tree["id"] == "tree" and tree["kind"] == "registry"
    assert tree["links"] == {"self": f"{ENTRIES}/tree", "classification": "/api/v1/classifications/tree"}


@pytest.mark.parametrize(
    ("fmt", "parser", "media"),
    [
        ("ttl", "turtle", "text/turtle"),
        ("jsonld", "json-ld", "application/ld+json"),
        ("rdfxml", "xml", "application/rdf+xml"),
    ],
)
def test_catalog_is_harvestable_dcat(client: TestClient, fmt: str, parser: str, media: str) -> None:
    assert client.post(ENTRIES, json=FORM, headers=AUTH).status_code == 201
    r = client.get(URL, params={"format": fmt})
    assert r.status_code == 200 and r.headers["content-type"].startswith(media)
    assert r.content.endswith(b"\n")
    g = Graph().parse(data=r.content, format=parser)
    catalogs = list(g.subjects(RDF.type, DCAT.Catalog))
    datasets = set(g.subjects(RDF.type, DCAT.Dataset))
    assert len(catalogs) == 1 and len(datasets) == 2
    assert set(g.objects(catalogs[0], DCAT.dataset)) == datasets
    tree = URIRef("https://kodeks.dk/id/tree")
    exports = {str(o) for d in g.objects(tree, DCAT.distribution) for o in g.objects(d, DCAT.downloadURL)}
    assert "http://testserver/api/v1/classifications/tree/export?format=ttl" in exports
    form = URIRef("http://testserver/api/v1/catalog/entries/form")
    assert (form, DCAT.theme, URIRef("http://publications.europa.eu/resource/authority/data-theme/GOVE")) in g
    assert (form, DCAT.landingPage, URIRef("https://example.org/form")) in g
    assert (form, DCTERMS.title, Literal("FORM", lang="da")) in g


def test_unknown_catalog_format_is_400(shared_client: TestClient) -> None:
    r = shared_client.get(URL, params={"format": "csv"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_request"


def test_crud(client: TestClient) -> None:
    r = client.post(ENTRIES, json=FORM, headers=AUTH)
    assert r.status_code == 201 and r.headers["location"] == f"{ENTRIES}/form"
    assert r.json()["edited"] == ["distributions", "landing_page", "publisher", "themes", "titles"]
    assert client.get(f"{ENTRIES}/form").json()["publisher"] == "KL"
    r = client.patch(f"{ENTRIES}/form", json={"keywords": ["opgaver"], "frequency": "IRREG"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["keywords"] == ["opgaver"]
    assert [e["id"] for e in client.get(ENTRIES).json()] == ["form", "tree"]
    assert client.delete(f"{ENTRIES}/form", headers=AUTH).status_code == 204
    assert client.get(f"{ENTRIES}/form").status_code == 404


@pytest.mark.parametrize(
    ("method", "path"), [("post", ENTRIES), ("patch", f"{ENTRIES}/tree"), ("delete", f"{ENTRIES}/tree")]
)
def test_writes_need_a_user(shared_client: TestClient, method: str, path: str) -> None:
    client = shared_client
    for headers in ({}, {"Authorization": "Bearer wrong"}, {"Authorization": "Basic x"}):
        r = client.request(method, path, json=FORM, headers=headers)
        assert r.status_code == 401
        assert TOKEN not in r.text


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"{not json", 400, "invalid_request"),
        (b"[]", 400, "invalid_request"),
        (b'"text"', 400, "invalid_request"),
        (json.dumps({**FORM, "colour": "red"}).encode(), 400, "invalid_request"),
        (json.dumps({**FORM, "themes": "GOVE"}).encode(), 400, "invalid_request"),
        (json.dumps({**FORM, "landing_page": "javascript:alert(1)"}).encode(), 400, "invalid_request"),
        (json.dumps({**FORM, "id": "../../etc"}).encode(), 400, "invalid_request"),
        (json.dumps({**FORM, "titles": {"da": "x" * 100_000}}).encode(), 400, "invalid_request"),
        (json.dumps({**FORM, "descriptions": {"da": "x" * 300_000}}).encode(), 413, "input_too_large"),
        (json.dumps({**FORM, "kind": "registry"}).encode(), 400, "invalid_request"),
        (json.dumps({**FORM, "id": "tree"}).encode(), 409, "conflict"),
    ],
)
def test_bad_bodies_are_refused_and_change_nothing(
    shared_client: TestClient, body: bytes, status: int, code: str
) -> None:
    client = shared_client
    before = client.get(URL).json()
    r = client.post(ENTRIES, content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert client.get(URL).json() == before


def test_unknown_and_hostile_ids_are_404(shared_client: TestClient) -> None:
    client = shared_client
    for path in ("nope", "a%00b", "%27%3B%20DROP%20TABLE%20x", "x" * 300):
        assert client.get(f"{ENTRIES}/{path}").status_code == 404
        assert client.patch(f"{ENTRIES}/{path}", json={"keywords": ["x"]}, headers=AUTH).status_code == 404


def test_markup_in_fields_comes_back_as_data(client: TestClient) -> None:
    hostile = {
        "id": "xss",
        "titles": {"da": '<script>alert("x")</script>'},
        "descriptions": {"da": "<img src=x onerror=alert(1)> & \"quotes\" 'single'"},
        "keywords": ["</script><script>alert(2)</script>"],
    }
    assert client.post(ENTRIES, json=hostile, headers=AUTH).status_code == 201
    got = client.get(f"{ENTRIES}/xss")
    assert got.headers["content-type"].startswith("application/json")
    assert got.json()["titles"] == hostile["titles"] and got.json()["descriptions"] == hostile["descriptions"]
    g = Graph().parse(data=client.get(URL, params={"format": "rdfxml"}).content, format="xml")
    titles = {str(o) for o in g.objects(None, DCTERMS.title)}
    assert '<script>alert("x")</script>' in titles
    hits = client.get("/api/v1/search", params={"q": "script alert"}).json()["results"]
    assert hits[0]["title"] == '<script>alert("x")</script>'
