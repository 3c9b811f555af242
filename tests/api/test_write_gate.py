"""Writes authenticate before they validate: every write route of the app's route table answers 401
to anonymous callers and bad credentials however malformed the body, and governed routes answer 403
to a caller without any write role on the classification the path names, before the body is read."""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from typing import Any

import pytest
from fastapi.routing import APIRoute
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.api.governance_http import AuthFirstRoute
from tests.governance.world import World, build_world

WRITES = ("POST", "PUT", "PATCH", "DELETE")
BODIES = {
    "none": {},
    "empty json": {"content": b"", "headers": {"Content-Type": "application/json"}},
    "broken json": {"content": b'{"id": ', "headers": {"Content-Type": "application/json"}},
    "not utf-8": {"content": b"\xff\xfe\x00garbage", "headers": {"Content-Type": "application/json"}},
    "broken multipart": {
        "content": b"--x\r\nnope",
        "headers": {"Content-Type": "multipart/form-data; boundary=x"},
    },
}


@pytest.fixture(scope="module")
def world() -> World:
    return build_world()


@pytest.fixture(scope="module")
def client(world: World) -> Iterator[TestClient]:
    with TestClient(create_app(world.kodeks), raise_server_exceptions=False) as c:
        yield c


def app_routes(routes: Iterable[Any]) -> Iterator[tuple[str, Any]]:
    """Every (full path, route) of an app's route table, through included routers."""
    for r in routes:
        if hasattr(r, "effective_candidates"):
            yield from app_routes(r.effective_candidates())
        elif hasattr(r, "original_route"):
            yield r.path, r.original_route
        else:
            yield getattr(r, "path", ""), r


def _app_writes() -> list[tuple[str, str, APIRoute]]:
    app = create_app(build_world().kodeks)
    return [
        (m, path, r)
        for path, r in app_routes(app.routes)
        if isinstance(r, APIRoute) and path.startswith("/api/")
        for m in sorted(r.methods)
        if m in WRITES
    ]


WRITE_ROUTES = _app_writes()


def _path(path: str, world: World) -> str:
    values = {"classification_id": "own-plan", "change_set_id": str(world.plans["751"].draft), "code": "01"}
    return re.sub(r"\{(\w+)(:\w+)?\}", lambda m: values.get(m.group(1), "x"), path)


def test_every_api_write_goes_through_the_gate() -> None:
    assert len(WRITE_ROUTES) >= 30
    assert [p for _, p, r in WRITE_ROUTES if not isinstance(r, AuthFirstRoute)] == []


@pytest.mark.parametrize("body", BODIES)
@pytest.mark.parametrize(
    ("method", "path", "route"), WRITE_ROUTES, ids=[f"{m} {p}" for m, p, _ in WRITE_ROUTES]
)
@pytest.mark.parametrize("who", ["anonymous", "bad token"])
def test_anonymous_writes_get_401_before_validation(
    client: TestClient, world: World, method: str, path: str, route: APIRoute, body: str, who: str
) -> None:
    kwargs = dict(BODIES[body])
    headers = dict(kwargs.pop("headers", {}))
    if who == "bad token":
        headers["Authorization"] = "Bearer kodeks_" + "x" * 43
    r = client.request(method, _path(path, world), headers=headers, **kwargs)
    assert r.status_code == 401, r.text
    assert r.json()["error"]["code"] == "unauthorized"


GOVERNED = [
    (m, p) for m, p, r in WRITE_ROUTES if getattr(r, "governed", False) and "{classification_id}" in p
]


@pytest.mark.parametrize(("method", "path"), GOVERNED, ids=[f"{m} {p}" for m, p in GOVERNED])
def test_callers_without_write_rights_get_403_before_validation(
    client: TestClient, world: World, method: str, path: str
) -> None:
    headers = {**world.auth("reader"), "Content-Type": "application/json"}
    r = client.request(method, _path(path, world), headers=headers, content=b"{broken")
    assert r.status_code == 403, r.text
    assert r.json()["error"]["code"] == "forbidden"


def test_the_governed_routes_are_the_change_sets_policy_and_ranges() -> None:
    assert len(GOVERNED) == 13
