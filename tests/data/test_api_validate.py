"""``POST /api/v1/classifications/{id}/validate`` on real KLE: the statuses of the CLI, and refusals."""

from __future__ import annotations

import dataclasses
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.api.data.validate import MAX_PAIRS
from kodeks.bootstrap import Kodeks
from tests.data.test_validate_real_kle import CASES

TOKEN = "data-test-token-" + "x" * 32
AUTH = {"Authorization": f"Bearer {TOKEN}"}
URL = "/api/v1/classifications/kle/validate"


@pytest.fixture(scope="module")
def client(real_kle: Kodeks) -> Iterator[TestClient]:
    """The shared real KLE registry, served with an API token (validation is a POST: it authenticates)."""
    served = dataclasses.replace(
        real_kle, settings=dataclasses.replace(real_kle.settings, api_tokens=(TOKEN,))
    )
    with TestClient(create_app(served), raise_server_exceptions=False) as c:
        yield c


def test_the_api_gives_the_statuses_the_cli_gives(client: TestClient) -> None:
    dated = [c for c in CASES if c[1] is not None]  # without "at" the API reads today
    items = [{"code": code, "at": day} for code, day, *_ in dated]
    r = client.post(URL, json={"items": items, "level": 3}, headers=AUTH)
    assert r.status_code == 200, r.text
    body = r.json()
    assert [(x["status"], x["suggestion"], x["title"]) for x in body["results"]] == [
        (c[2], c[3], c[4]) for c in dated
    ]
    assert body["rows"] == len(dated) and body["statuses"]["moved"] == 3


def test_more_than_ten_thousand_pairs_get_413_pointing_at_the_cli(client: TestClient) -> None:
    items = [{"code": "27.24.03", "at": "2018-07-01"}] * (MAX_PAIRS + 1)
    r = client.post(URL, json={"items": items}, headers=AUTH)
    assert r.status_code == 413
    assert r.json()["error"]["code"] == "input_too_large"
    assert "kodeks data validate" in r.json()["error"]["message"]


def test_exactly_ten_thousand_pairs_are_validated(client: TestClient) -> None:
    items = [{"code": "00.10.00", "at": "2016-01-01"}] * MAX_PAIRS
    r = client.post(URL, json={"items": items}, headers=AUTH)
    assert r.status_code == 200 and r.json()["statuses"]["moved"] == MAX_PAIRS


@pytest.mark.parametrize(
    "body",
    [
        b"",
        b"{",
        b"[]",
        b'{"items": 3}',
        b'{"items": [{"code": 5}]}',
        b'{"items": [], "level": "x"}',
        b'{"items": [], "known_at": "yesterday"}',
        b'{"items": [{"code": "\\ud800"}]}',
        b"\xff\xfe\x00\x00",
    ],
)
def test_malformed_bodies_are_one_400(client: TestClient, body: bytes) -> None:
    r = client.post(URL, content=body, headers={**AUTH, "Content-Type": "application/json"})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid_request"


def test_hostile_values_get_a_status_not_an_error(client: TestClient) -> None:
    items = [
        {"code": "'; DROP TABLE items; --", "at": "2018-07-01"},
        {"code": "27.24.03", "at": "9999-99-99"},
        {"code": "x" * 10_000, "at": "2018-07-01"},
        {"code": "<script>alert(1)</script>"},
    ]
    r = client.post(URL, json={"items": items}, headers=AUTH)
    assert r.status_code == 200
    assert [x["status"] for x in r.json()["results"]] == ["malformed", "bad_date", "malformed", "malformed"]


def test_an_unknown_classification_is_404_and_anonymous_callers_401(client: TestClient) -> None:
    r = client.post("/api/v1/classifications/nope/validate", json={"items": []}, headers=AUTH)
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"
    assert client.post(URL, json={"items": []}).status_code == 401
