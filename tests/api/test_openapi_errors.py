"""The OpenAPI document declares the errors the API really answers, with the one error schema."""

from __future__ import annotations

import json
import re
from typing import Any

from fastapi.testclient import TestClient

CS = "/api/v1/classifications/{classification_id}/changesets/{change_set_id}"


def _spec(client: TestClient) -> dict[str, Any]:
    spec: dict[str, Any] = client.get("/openapi.json").json()
    return spec


def test_no_phantom_validation_error(client: TestClient) -> None:
    text = json.dumps(_spec(client))
    assert "HTTPValidationError" not in text and "ValidationError" not in text


def test_every_reference_points_into_the_document(client: TestClient) -> None:
    """A ``$ref`` names ``#/components/schemas/...`` that exists (ReDoc renders nothing otherwise)."""
    spec = _spec(client)
    refs = set(re.findall(r'"\$ref": "([^"]+)"', json.dumps(spec)))
    schemas = spec["components"]["schemas"]
    assert [r for r in refs if not r.startswith("#/components/schemas/")] == []
    assert [r for r in refs if r.removeprefix("#/components/schemas/") not in schemas] == []


def test_every_error_response_uses_the_one_error_schema(client: TestClient) -> None:
    spec = _spec(client)
    count = 0
    for operations in spec["paths"].values():
        for op in operations.values():
            for status, response in op["responses"].items():
                if int(status) >= 400:
                    count += 1
                    schema = response["content"]["application/json"]["schema"]
                    assert schema == {"$ref": "#/components/schemas/ErrorOut"}
    assert count > 300
    assert set(spec["components"]["schemas"]["ErrorOut"]["properties"]) == {"error"}


def test_each_operation_declares_what_it_can_answer(client: TestClient) -> None:
    spec = _spec(client)

    def declared(path: str, method: str) -> set[int]:
        return {int(s) for s in spec["paths"][path][method]["responses"] if int(s) >= 400}

    assert declared("/health", "get") == {431}
    assert declared("/api/v1/classifications/{classification_id}/items", "get") == {400, 401, 403, 404, 431}
    assert declared(CS + "/items/{code}", "put") == {400, 401, 403, 404, 409, 413, 422, 428, 431}
    assert declared(CS + "/submit", "post") == {400, 401, 403, 404, 409, 422, 428, 431}
    assert declared("/api/v1/classifications/{classification_id}/policy", "patch") >= {409, 428}
    assert declared("/api/v1/correspondences", "post") >= {401, 413, 415, 422}
