"""Malformed, hostile and oversized input to the governance API: a clear 4xx, nothing changed, and no
token ever in a log line or an error body."""

from __future__ import annotations

import logging
from collections.abc import Iterator

import pytest
from fastapi.testclient import TestClient

from tests.governance.world import OWN, World, dump

PLAN = "/api/v1/classifications/own-plan"


def draft(world: World) -> str:
    return f"{PLAN}/changesets/{world.plans[OWN].draft}"


def h(world: World, who: str, etag: str | None = None) -> dict[str, str]:
    headers = world.auth(who)
    if etag:
        headers["If-Match"] = etag
    return headers


BAD_ITEMS = [
    ({"code": "a b", "titles": {"da": "x"}}, 400, "invalid code"),
    ({"code": "a/b", "titles": {"da": "x"}}, 400, "invalid code"),
    ({"code": "a\u0000b", "titles": {"da": "x"}}, 400, "invalid code"),
    ({"code": "x" * 201, "titles": {"da": "x"}}, 400, "code"),
    ({"code": "", "titles": {"da": "x"}}, 400, "code"),
    ({"code": "05", "titles": {}}, 400, "titles"),
    ({"code": "05", "titles": {"da": "x" * 2001}}, 400, "titles"),
    ({"code": "05", "titles": {"not a language": "x"}}, 400, "titles"),
    ({"code": "05", "titles": {"da": "x"}, "level": -1}, 400, "level"),
    ({"code": "05", "titles": {"da": "x"}, "parent": "99"}, 422, "parent '99'"),
    ({"code": "05", "titles": {"da": "x"}, "properties": {"withdrawn": "true"}}, 400, "withdrawn"),
    ({"code": "05", "titles": {"da": "x"}, "surprise": 1}, 400, "surprise"),
    ({"code": "05", "titles": {"da": "x"}, "valid_to": "not a date"}, 400, "valid_to"),
    ({"code": "05", "titles": {"da": "x"}, "valid_to": "2020-01-01"}, 400, "valid_to"),
    ({"code": "01", "titles": {"da": "x"}}, 409, "already"),
    ({"code": ["05"], "titles": {"da": "x"}}, 400, "code"),
]


@pytest.mark.parametrize(("body", "status", "says"), BAD_ITEMS, ids=[str(i) for i in range(len(BAD_ITEMS))])
def test_bad_items_are_refused_and_change_nothing(
    client: TestClient, world: World, body: dict[str, object], status: int, says: str
) -> None:
    before = dump(world.kodeks.engine)
    r = client.post(f"{draft(world)}/items", json=body, headers=h(world, "editor"))
    assert r.status_code == status, r.text
    error = r.json()["error"]
    assert says in error["message"] and set(error) == {"code", "message", "details"}
    assert dump(world.kodeks.engine) == before


def test_cycles_are_refused(client: TestClient, world: World) -> None:
    cs = f"{PLAN}/changesets/{world.plans[OWN].draft}"
    read = client.get(f"{cs}/items/01", headers=h(world, "editor")).headers["etag"]
    before = dump(world.kodeks.engine)
    r = client.put(
        f"{cs}/items/01", json={"titles": {"da": "x"}, "parent": "01.01"}, headers=h(world, "editor", read)
    )
    assert r.status_code == 422 and "cycle in hierarchy: 01 → 01.01 → 01" in r.json()["error"]["message"]
    r = client.put(
        f"{cs}/items/01", json={"titles": {"da": "x"}, "parent": "01"}, headers=h(world, "editor", read)
    )
    assert r.status_code == 400 and "its own parent" in r.json()["error"]["message"]
    assert dump(world.kodeks.engine) == before


def test_expiring_a_parent_with_live_children_is_refused_at_submit(client: TestClient, world: World) -> None:
    cs = f"{PLAN}/changesets/{world.plans[OWN].draft}"
    client.delete(
        f"{cs}/items/01",
        headers=h(world, "editor", client.get(f"{cs}/items/01", headers=h(world, "editor")).headers["etag"]),
    )
    read = client.get(f"{cs}/items/02", headers=h(world, "editor")).headers["etag"]
    assert (
        client.post(
            f"{cs}/items/02/expire", json={"valid_to": "2026-01-01"}, headers=h(world, "editor", read)
        ).status_code
        == 200
    )
    etag = client.get(cs, headers=h(world, "editor")).headers["etag"]
    before = dump(world.kodeks.engine)
    r = client.post(f"{cs}/submit", headers=h(world, "editor", etag))
    assert r.status_code == 422 and "02.01 would lose its parent '02'" in r.json()["error"]["message"]
    assert dump(world.kodeks.engine) == before


BAD_BODIES = [
    ("POST", "/api/v1/organisations", b"{not json", 400),
    ("POST", "/api/v1/organisations", b'{"id": "x", "name": "x", "kind": "planet"}', 400),
    ("POST", "/api/v1/users", b'{"id": "UPPER case", "organisation": "751", "name": "x"}', 400),
    (
        "POST",
        "/api/v1/roles",
        b'{"user": "reader", "role": "emperor", "resource_kind": "organisation", "resource_id": "751"}',
        400,
    ),
    (
        "POST",
        "/api/v1/roles",
        b'{"user": "reader", "role": "reader", "resource_kind": "organisation",'
        b' "resource_id": "751", "codes": "27.*"}',
        400,
    ),
    ("POST", "/api/v1/tokens", b'{"name": ""}', 400),
    ("POST", "/api/v1/classifications", b'{"id": "Not A Slug", "titles": {"da": "x"}, "owner": "751"}', 400),
    ("POST", "/api/v1/classifications", b'{"id": "own-plan", "titles": {"da": "x"}, "owner": "751"}', 409),
    ("POST", "/api/v1/classifications", b'{"id": "ny", "titles": {"da": "x"}, "owner": "999"}', 404),
    ("POST", f"{PLAN}/changesets", b'{"title": "x", "label": "x", "effective": "2026-02-30"}', 400),
    (
        "POST",
        f"{PLAN}/changesets",
        b'{"title": "x", "label": "x", "effective": "2026-01-01", "metadata": {"id": "hijack"}}',
        400,
    ),
    (
        "POST",
        "/api/v1/classifications/nope/changesets",
        b'{"title": "x", "label": "x", "effective": "2026-01-01"}',
        404,
    ),
    ("DELETE", "/api/v1/roles/not-a-number", b"", 400),
    ("DELETE", "/api/v1/tokens/unknown", b"", 404),
    ("POST", f"{PLAN}/changesets/999/submit", b"", 404),
    ("POST", "/api/v1/classifications/other-plan/changesets/2/submit", b"", 404),
]


@pytest.mark.parametrize(
    ("method", "path", "body", "status"), BAD_BODIES, ids=[str(i) for i in range(len(BAD_BODIES))]
)
def test_malformed_requests_are_refused_in_the_one_error_shape(
    client: TestClient, world: World, method: str, path: str, body: bytes, status: int
) -> None:
    before = dump(world.kodeks.engine)
    headers = {**h(world, "admin"), "Content-Type": "application/json"}
    r = client.request(method, path, content=body, headers=headers)
    assert r.status_code == status, r.text
    assert set(r.json()["error"]) == {"code", "message", "details"}
    assert dump(world.kodeks.engine) == before


def test_oversized_payloads_are_413_before_parsing(client: TestClient, world: World) -> None:
    limit = world.kodeks.settings.max_request_bytes
    before = dump(world.kodeks.engine)
    big = b'{"code": "05", "titles": {"da": "' + b"x" * limit + b'"}}'
    r = client.post(
        f"{draft(world)}/items",
        content=big,
        headers={**h(world, "editor"), "Content-Type": "application/json"},
    )
    assert r.status_code == 413 and r.json()["error"]["code"] == "input_too_large"

    def chunks() -> Iterator[bytes]:
        yield b'{"code": "05", "titles": {"da": "'
        for _ in range(limit // 1024 + 2):
            yield b"y" * 1024
        yield b'"}}'

    streamed = client.post(
        f"{draft(world)}/items",
        content=chunks(),
        headers={**h(world, "editor"), "Content-Type": "application/json"},
    )
    assert streamed.status_code == 413
    lying = client.post(
        "/api/v1/organisations", content=b"{}", headers={**h(world, "admin"), "Content-Length": "abc"}
    )
    assert lying.status_code == 400
    assert dump(world.kodeks.engine) == before


def test_stale_and_missing_etags_on_every_kind_of_edit(client: TestClient, world: World) -> None:
    plan = world.plans[OWN]
    before = dump(world.kodeks.engine)
    edits = [
        ("PATCH", f"{PLAN}/policy", {"public_read": False}),
        ("PATCH", draft(world), {"title": "x"}),
        ("PUT", f"{draft(world)}/items/01", {"titles": {"da": "x"}}),
        ("POST", f"{draft(world)}/items/01/expire", {"valid_to": "2030-01-01"}),
        ("POST", f"{draft(world)}/submit", None),
        ("POST", f"{PLAN}/changesets/{plan.submitted}/approve", None),
        ("POST", f"{PLAN}/changesets/{plan.approved}/publish", {"note": "x"}),
    ]
    for method, path, body in edits:
        missing = client.request(method, path, json=body, headers=h(world, "owner"))
        assert missing.status_code == 428, (path, missing.text)
        stale = client.request(method, path, json=body, headers=h(world, "owner", '"cs-1-1"'))
        assert stale.status_code == 409, (path, stale.text)
        assert stale.json()["error"]["details"]["expected"] == "cs-1-1"
        two = client.request(method, path, json=body, headers=h(world, "owner", '"a", "b"'))
        assert two.status_code == 400
    assert dump(world.kodeks.engine) == before


def test_tokens_never_appear_in_logs_or_error_bodies(
    client: TestClient, world: World, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    secrets = list(world.tokens.values())
    bodies: list[str] = []
    issued = client.post("/api/v1/tokens", json={"name": "ci"}, headers=h(world, "reader"))
    secrets.append(issued.json()["token"])
    forged = world.tokens["reader"][:-4] + "AAAA"
    secrets.append(forged)
    calls = [
        ("GET", "/api/v1/me", {"Authorization": f"Bearer {forged}"}),
        ("GET", "/api/v1/me", {"Authorization": f"Basic {world.tokens['reader']}"}),
        ("GET", "/api/v1/me", {"Authorization": f"Bearer {world.tokens['expired']}"}),
        ("GET", "/api/v1/me", {"Authorization": f"Bearer {world.tokens['revoked']}"}),
        ("GET", "/api/v1/me", {"Authorization": f"Bearer {world.tokens['reader']}x.y.z"}),
        ("GET", f"{PLAN}/audit", {"Authorization": f"Bearer {issued.json()['token']}"}),
        ("POST", "/api/v1/organisations", {"Authorization": f"Bearer {world.tokens['editor']}"}),
        ("GET", "/api/v1/tokens", {"Authorization": f"Bearer {world.tokens['reader']}"}),
        (
            "DELETE",
            f"/api/v1/tokens/{issued.json()['id']}",
            {"Authorization": f"Bearer {world.tokens['reader']}"},
        ),
        ("GET", "/api/v1/me", {"Authorization": f"Bearer {issued.json()['token']}"}),
    ]
    for method, path, headers in calls:
        r = client.request(
            method, path, headers=headers, json={"id": "x", "name": "x"} if method == "POST" else None
        )
        bodies.append(r.text)
        assert r.status_code < 500
    logged = caplog.text + "".join(str(r.args) for r in caplog.records)
    said = [r.getMessage() for r in caplog.records if r.name == "kodeks.governance"]
    assert any("the token has been revoked (token " in m for m in said) and any(
        "token.issue by reader" in m for m in said
    )
    assert any("authentication refused: the token is not valid" in m for m in said)
    for secret in secrets:
        assert secret not in logged
        for body in bodies:
            assert secret not in body
        assert secret[7:20] not in logged


def _write_calls() -> list[tuple[str, object]]:
    from tests.governance.test_security_matrix import ENDPOINTS

    return [(e.name, e) for e in ENDPOINTS]


@pytest.mark.parametrize(("name", "endpoint"), _write_calls(), ids=[n for n, _ in _write_calls()])
def test_every_write_endpoint_refuses_oversized_and_malformed_bodies(
    client: TestClient, world: World, name: str, endpoint: object
) -> None:
    call = endpoint.call(world, OWN)  # type: ignore[attr-defined]
    headers = {
        **h(world, "admin", f'"{call.if_match}"' if call.if_match else None),
        "Content-Type": "application/json",
    }
    before = dump(world.kodeks.engine)
    big = b'{"title": "' + b"x" * world.kodeks.settings.max_request_bytes + b'"}'
    r = client.request(call.method, call.path, content=big, headers=headers)
    assert r.status_code == 413, r.text
    if call.json is not None:
        for garbage in (b"{", b"[]", b'{"x": 1}', b"\xff\xfe", b"null"):
            r = client.request(call.method, call.path, content=garbage, headers=headers)
            assert r.status_code == 400, (garbage, r.text)
            assert r.json()["error"]["code"] == "invalid_request"
    assert dump(world.kodeks.engine) == before
