"""Every integer parameter of the API (path or query, from the live OpenAPI) is bounded to 64 bits in
the schema and answers a number past 64 bits, a negative one or a 30-digit one with 400/404 in the one
error shape — never 500 (the outside test's ``.../changesets/33010875327796418266064506650099712``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from tests.governance.world import World, build_world

MAX_INT64 = 2**63 - 1
HOSTILE = (str(2**64), "587500376908016824352768", str(-(2**70)), "33010875327796418266064506650099712")


@pytest.fixture(scope="module")
def world() -> World:
    return build_world()


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.kodeks), raise_server_exceptions=False) as c:
        yield c


def _integer(schema: dict[str, Any]) -> bool:
    return schema.get("type") == "integer" or any(s.get("type") == "integer" for s in schema.get("anyOf", ()))


def _bounds(schema: dict[str, Any]) -> tuple[Any, Any]:
    for s in (schema, *schema.get("anyOf", ())):
        if s.get("type") == "integer":
            return s.get("minimum", s.get("exclusiveMinimum")), s.get("maximum", s.get("exclusiveMaximum"))
    return None, None


def integer_parameters(spec: dict[str, Any]) -> list[tuple[str, str, str, str]]:
    """(method, path, where, name) of every integer parameter in the OpenAPI document."""
    found = []
    for path, operations in spec["paths"].items():
        for method, op in operations.items():
            for p in op.get("parameters", ()):
                if _integer(p.get("schema", {})):
                    found.append((method.upper(), path, p["in"], p["name"]))
    return found


SPEC = create_app(build_world().kodeks).openapi()
PARAMS = integer_parameters(SPEC)


def test_the_api_has_integer_parameters_and_each_is_bounded_to_64_bits() -> None:
    assert {(p, n) for _, p, _, n in PARAMS} >= {
        ("/api/v1/roles/{assignment_id}", "assignment_id"),
        ("/api/v1/audit", "after"),
        ("/api/v1/classifications/{classification_id}/changesets/{change_set_id}/reject", "change_set_id"),
    }
    for method, path, _, name in PARAMS:
        schema = next(
            p["schema"] for p in SPEC["paths"][path][method.lower()]["parameters"] if p["name"] == name
        )
        low, high = _bounds(schema)
        assert low is not None and high is not None, (method, path, name)
        assert -MAX_INT64 - 1 <= low <= high <= MAX_INT64, (method, path, name)


def _fill(path: str, world: World) -> str:
    values = {"classification_id": "own-plan", "change_set_id": str(world.plans["751"].draft), "code": "01"}
    return re.sub(r"\{(\w+)\}", lambda m: values.get(m.group(1), "x"), path)


@pytest.mark.parametrize("value", HOSTILE)
@pytest.mark.parametrize(
    ("method", "path", "where", "name"), PARAMS, ids=[f"{m} {p} {n}" for m, p, _, n in PARAMS]
)
def test_out_of_range_numbers_are_400_or_404(
    client: TestClient, world: World, method: str, path: str, where: str, name: str, value: str
) -> None:
    url = _fill(path.replace("{" + name + "}", value), world) if where == "path" else _fill(path, world)
    params = {name: value} if where == "query" else {}
    r = client.request(method, url, params=params, headers=world.auth("admin"))
    assert r.status_code in (400, 404), r.text
    assert set(r.json()) == {"error"} and set(r.json()["error"]) == {"code", "message", "details"}


@pytest.mark.parametrize(
    "url",
    [
        "/api/v1/classifications/own-plan/changesets/33010875327796418266064506650099712/reject",
        "/api/v1/roles/587500376908016824352768",
        "/api/v1/audit?after=145969307354894480827219968",
    ],
)
def test_the_reported_cases(client: TestClient, world: World, url: str) -> None:
    method = "GET" if "audit" in url else ("DELETE" if "roles" in url else "POST")
    r = client.request(method, url, headers=world.auth("admin"), json={"reason": "x"})
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid_request"


def test_numbers_in_bodies_are_bounded_too(client: TestClient, world: World) -> None:
    r = client.put(
        "/api/v1/classifications/own-plan/reserved-ranges",
        json={"ranges": [{"level": 2, "low": 2**70, "high": 2**71}]},
        headers=world.auth("admin"),
    )
    assert r.status_code == 400, r.text
    assert r.json()["error"]["code"] == "invalid_request"
