"""``GET /api/v1/search`` (a contract): parameters, shape, and a clear 4xx for every bad input."""

from __future__ import annotations

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from tests.factories import item, tree_bundle
from tests.search.backends import load

URL = "/api/v1/search"


def test_shape(shared_client: TestClient) -> None:
    body = shared_client.get(URL, params={"q": "undervisning"}).json()
    assert set(body) == {
        "query",
        "at",
        "count",
        "total",
        "offset",
        "limit",
        "facets",
        "corrections",
        "results",
    }
    first = body["results"][0]
    assert set(first) == {
        "kind",
        "classification",
        "code",
        "title",
        "title_lang",
        "titles",
        "level",
        "valid_from",
        "valid_to",
        "valid_at",
        "score",
        "matched",
        "matched_in",
        "links",
    }
    assert first["code"] == "10.01" and first["links"]["self"] == "/api/v1/classifications/tree/items/10.01"


def test_parameters(shared_client: TestClient) -> None:
    r = shared_client.get(
        URL,
        params={
            "q": "gammel ordning",
            "classification": "tree",
            "level": 3,
            "at": "2011-01-01",
            "include_expired": "true",
            "limit": 1,
        },
    )
    assert r.status_code == 200
    assert [h["code"] for h in r.json()["results"]] == ["10.01.05"]


@pytest.mark.parametrize(
    ("params", "status", "code"),
    [
        ({}, 400, "invalid_request"),
        ({"q": ""}, 400, "invalid_request"),
        ({"q": "x" * 10_000}, 400, "invalid_request"),
        ({"q": "skole", "at": "2020-02-30"}, 400, "invalid_request"),
        ({"q": "skole", "at": "i går"}, 400, "invalid_request"),
        ({"q": "skole", "level": "-1"}, 400, "invalid_request"),
        ({"q": "skole", "level": "x"}, 400, "invalid_request"),
        ({"q": "skole", "limit": "1000"}, 400, "invalid_request"),
        ({"q": "skole", "include_expired": "maybe"}, 400, "invalid_request"),
        ({"q": "skole", "classification": "ukendt"}, 404, "not_found"),
        ({"q": "skole", "classification": "x" * 500}, 400, "invalid_request"),
        ({"q": "skole", "classification": "a\x00b"}, 404, "not_found"),
        ({"q": "skole", "classification": "'; DROP TABLE x;--"}, 404, "not_found"),
    ],
)
def test_bad_input_is_a_clear_4xx(
    shared_client: TestClient, params: dict[str, str], status: int, code: str
) -> None:
    r = shared_client.get(URL, params=params)
    assert r.status_code == status
    assert r.json()["error"]["code"] == code
    assert r.json()["error"]["message"]


@pytest.mark.parametrize(
    "q",
    [
        '"',
        "*",
        "NEAR(skole undervisning, 2)",
        "skole OR 1=1",
        "'); DROP TABLE item_record;--",
        "\x00\x01skole",
        "skole\u202e",
        "𝔰𝔨𝔬𝔩𝔢",
        "<script>alert(1)</script>",
        "%_%",
        "\\",
    ],
)
def test_hostile_queries_never_fail(shared_client: TestClient, q: str) -> None:
    r = shared_client.get(URL, params={"q": q})
    assert r.status_code == 200
    assert shared_client.get(URL, params={"q": "skole"}).json()["count"] > 0


def test_titles_come_back_as_plain_text(registry: Kodeks) -> None:
    client = TestClient(create_app(registry), raise_server_exceptions=False)
    hostile = '<img src=x onerror="alert(1)">Skolebus'
    load(registry, tree_bundle(cid="xss", items=[item("1", hostile)]))
    r = client.get(URL, params={"q": "skolebus"})
    assert r.headers["content-type"].startswith("application/json")
    assert r.json()["results"][0]["title"] == hostile
