"""The edges of the API in-process: header limits in the app (whatever server runs it), raw UTF-8 in
request lines, and refused authentications logged at WARNING with the token's id, never the token."""

from __future__ import annotations

import json
import logging
from typing import Any

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.api.headers import MAX_HEADER_BYTES
from kodeks.api.server import error_response, percent_encode_request_line
from tests.factories import run_apart
from tests.governance.world import World


def test_headers_over_the_limit_are_431_in_the_error_shape(client: TestClient) -> None:
    r = client.get("/health", headers={"X-Junk": "a" * (MAX_HEADER_BYTES + 1)})
    assert r.status_code == 431
    assert r.json()["error"]["code"] == "headers_too_large"
    assert set(r.json()["error"]) == {"code", "message", "details"}
    assert client.get("/health", headers={"X-Junk": "a" * (MAX_HEADER_BYTES // 2)}).status_code == 200


def test_raw_utf8_in_a_request_line_is_percent_encoded() -> None:
    line = "GET /api/v1/search?q=hjemmehjælp&x=ø HTTP/1.1\r\n".encode()
    assert percent_encode_request_line(line) == b"GET /api/v1/search?q=hjemmehj%C3%A6lp&x=%C3%B8 HTTP/1.1\r\n"
    assert percent_encode_request_line(b"GET /a?q=%C3%A6 HTTP/1.1\r\n") == b"GET /a?q=%C3%A6 HTTP/1.1\r\n"


def test_percent_encoded_utf8_reaches_the_routes_decoded(client: TestClient) -> None:
    r = client.get("/api/v1/search?q=hjemmehj%C3%A6lp")
    assert r.status_code == 200
    assert r.json()["query"] == "hjemmehjælp"


def test_the_servers_own_errors_have_the_error_shape() -> None:
    raw = error_response(400, "invalid_request", "the HTTP request is malformed")
    head, _, body = raw.partition(b"\r\n\r\n")
    assert head.startswith(b"HTTP/1.1 400 Bad Request\r\n")
    assert b"content-type: application/json" in head
    assert json.loads(body) == {
        "error": {"code": "invalid_request", "message": "the HTTP request is malformed", "details": {}}
    }


@pytest.mark.parametrize("who", ["expired", "revoked"])
def test_refused_tokens_are_logged_at_warning_with_their_id(
    world: World, gov_client: TestClient, caplog: pytest.LogCaptureFixture, who: str
) -> None:
    with caplog.at_level(logging.WARNING, logger="kodeks"):
        r = gov_client.get("/api/v1/me", headers=world.auth(who))
    assert r.status_code == 401
    warnings = [rec.getMessage() for rec in caplog.records if rec.levelno == logging.WARNING]
    assert any(f"token {world.token_ids[who]} of lapsed" in m for m in warnings), warnings
    assert all(world.tokens[who] not in m for m in caplog.messages)
    assert world.tokens[who] not in r.text


def _asgi(app: Any, method: str, path: str, headers: list[tuple[bytes, bytes]]) -> tuple[int, bytes]:
    """One request straight to the ASGI app (no client library normalises its headers)."""
    sent: list[dict[str, Any]] = []

    async def receive() -> dict[str, Any]:
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message: dict[str, Any]) -> None:
        sent.append(message)

    scope = {
        "type": "http", "asgi": {"version": "3.0"}, "http_version": "1.1", "method": method,
        "scheme": "http", "path": path, "raw_path": path.encode(), "query_string": b"",
        "root_path": "", "headers": headers, "client": ("127.0.0.1", 1), "server": ("testserver", 80),
    }  # fmt: skip
    run_apart(app(scope, receive, send))
    status = next(m["status"] for m in sent if m["type"] == "http.response.start")
    return status, b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")


def test_a_content_length_of_non_ascii_digits_is_400(world: World) -> None:
    token = world.auth("admin")["Authorization"].encode()
    headers = [(b"authorization", token), (b"content-length", "\u00b2".encode("latin-1"))]
    status, body = _asgi(create_app(world.kodeks), "POST", "/api/v1/organisations", headers)
    assert status == 400, body
    assert json.loads(body)["error"]["code"] == "invalid_request"
