"""``/api/v1/models`` (contract names): import, read, classes, export, bindings; hostile input."""

from __future__ import annotations

from dataclasses import replace

import pytest
from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from kodeks.formats import budget
from tests.factories import memory_registry, record, tree_bundle
from tests.models.conftest import SMALL_XMI

AUTH = {"Authorization": "Bearer test-token-" + "x" * 24}
URL = "/api/v1/models"


@pytest.fixture(scope="module")
def registry() -> Kodeks:
    """One registry for the module (building one costs seconds): tests write only to their own models."""
    kodeks = memory_registry()
    record(kodeks, tree_bundle())
    return kodeks


@pytest.fixture(scope="module")
def client(registry: Kodeks) -> TestClient:
    c = TestClient(create_app(registry), raise_server_exceptions=False)
    assert c.post(f"{URL}?filename=sag.xmi&model=sag", content=SMALL_XMI, headers=AUTH).status_code == 201
    return c


def test_list_one_model_and_its_classes(client: TestClient) -> None:
    listed = next(m for m in client.get(URL).json() if m["id"] == "sag")
    assert listed["id"] == "sag" and listed["version"] == 1
    assert listed["counts"]["classes"] == 3 and listed["counts"]["enumerations"] == 1
    one = client.get(f"{URL}/sag").json()
    assert one["model"]["kind"] == "information" and one["packages"][0]["name"] == "Sag"
    classes = client.get(f"{URL}/sag/classes").json()
    sag = next(c for c in classes if c["name"] == "Sag")
    assert [a["name"] for a in sag["attributes"]] == ["titel", "emne"]
    assert sag["attributes"][1]["multiplicity"] == "0..*"


def test_the_same_file_again_is_no_new_version(client: TestClient) -> None:
    again = client.post(f"{URL}?filename=sag.xmi&model=sag", content=SMALL_XMI, headers=AUTH)
    assert again.status_code == 200 and again.json()["already"] is True
    assert [v["version"] for v in client.get(f"{URL}/sag/versions").json()] == [1]


def test_export_every_format_the_api_names(client: TestClient) -> None:
    for fmt in ("xmi", "jsonschema", "rdf", "shacl", "linkml", "html"):
        response = client.get(f"{URL}/sag/export", params={"format": fmt})
        assert response.status_code == 200, (fmt, response.text)
        assert response.content
    assert (
        client.get(f"{URL}/sag/export", params={"format": "nope"}).json()["error"]["code"]
        == "invalid_request"
    )


def test_bind_and_the_classification_sees_its_users(client: TestClient) -> None:
    assert (
        client.post(f"{URL}?filename=sag.xmi&model=bound", content=SMALL_XMI, headers=AUTH).status_code == 201
    )
    r = client.put(f"{URL}/bound/bindings/Sag.emne", params={"classification": "tree"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["element"] == "EAID_A2"
    (usage,) = client.get("/api/v1/classifications/tree/model-usages").json()
    assert usage["element"] == "Sag.emne" and usage["model"] == "bound"
    missing = client.put(f"{URL}/bound/bindings/Sag.emne", params={"classification": "nope"}, headers=AUTH)
    assert missing.status_code == 404
    # the SHACL export turns the binding into the exact codes valid on the date
    shacl = client.get(f"{URL}/bound/export", params={"format": "shacl", "at": "2013-01-01"}).text
    assert '"20.02.01"' in shacl and '"10.01.05"' not in shacl


@pytest.mark.parametrize(
    ("body", "status", "code"),
    [
        (b"", 422, "malformed_input"),
        (b"<a>", 422, "malformed_input"),
        (
            b'<!DOCTYPE x [<!ENTITY a "b">]><xmi:XMI xmlns:xmi="http://schema.omg.org/spec/XMI/2.1"/>',
            422,
            "malformed_input",
        ),
        (SMALL_XMI.replace(b'general="EAID_C3"', b'general="EAID_X"'), 422, "invalid_content"),
        (b"\x00\x01binary", 422, "malformed_input"),
    ],
)
def test_bad_bodies_get_the_error_shape_and_change_nothing(
    client: TestClient, body: bytes, status: int, code: str
) -> None:
    r = client.post(f"{URL}?filename=x.xmi&model=sag", content=body, headers=AUTH)
    assert r.status_code == status, r.text
    assert r.json()["error"]["code"] == code
    assert [v["version"] for v in client.get(f"{URL}/sag/versions").json()] == [1]


def test_an_oversized_body_is_refused(registry: Kodeks) -> None:
    small = replace(registry, settings=replace(registry.settings, max_import_bytes=500))
    c = TestClient(create_app(small), raise_server_exceptions=False)
    r = c.post(f"{URL}?filename=sag.xmi", content=SMALL_XMI, headers=AUTH)
    assert r.status_code == 413 and r.json()["error"]["code"] == "input_too_large"


def test_a_model_over_the_import_memory_budget_is_refused_and_nothing_is_recorded(registry: Kodeks) -> None:
    """Issue 17.4: model readers read a file whole; its size times the format's factor is checked first."""
    need = len(SMALL_XMI) * budget.MODEL_MEMORY_FACTOR["xmi"]
    tight = replace(registry, settings=replace(registry.settings, import_memory_bytes=need - 1))
    c = TestClient(create_app(tight), raise_server_exceptions=False)
    before = c.get(URL).json()
    r = c.post(f"{URL}?filename=budget.xmi&model=budget", content=SMALL_XMI, headers=AUTH)
    assert r.status_code == 413 and r.json()["error"]["code"] == "input_too_large"
    message = r.json()["error"]["message"]
    assert message.startswith(
        f"budget.xmi: this xmi model file of {len(SMALL_XMI) / 2**20:.2f} MiB needs about "
    )
    assert "(KODEKS_IMPORT_MEMORY_MB)" in message and "\n" not in message
    assert c.get(URL).json() == before
    enough = replace(registry, settings=replace(registry.settings, import_memory_bytes=need))
    c = TestClient(create_app(enough), raise_server_exceptions=False)
    assert (
        c.post(f"{URL}?filename=budget.xmi&model=budget", content=SMALL_XMI, headers=AUTH).status_code == 201
    )


def test_writes_need_a_user_and_unknown_models_are_404(client: TestClient) -> None:
    assert client.post(f"{URL}?filename=sag.xmi", content=SMALL_XMI).status_code == 401
    unknown = client.post(f"{URL}?filename=x.bin", content=b"\x00\x01", headers=AUTH)
    assert unknown.status_code == 415 and unknown.json()["error"]["code"] == "unknown_format"
    assert client.get(f"{URL}/nope").json()["error"]["code"] == "not_found"
    assert client.get(f"{URL}/sag?version=7").status_code == 404


def test_model_impact_of_a_classification_change(client: TestClient) -> None:
    assert (
        client.post(f"{URL}?filename=sag.xmi&model=impacted", content=SMALL_XMI, headers=AUTH).status_code
        == 201
    )
    assert client.put(f"{URL}/impacted/bindings/EAID_A2?classification=tree", headers=AUTH).status_code == 200
    r = client.get(
        "/api/v1/classifications/tree/model-impact", params={"from": "2011-06-01", "to": "2013-01-01"}
    )
    rows = {row["model"]: row for row in r.json()}
    assert rows["impacted"]["moved"] == [["10.01.05", "20.02.01"]]
    bad = client.get(
        "/api/v1/classifications/tree/model-impact", params={"from": "2013-01-01", "to": "2011-01-01"}
    )
    assert bad.status_code == 400 and bad.json()["error"]["code"] == "invalid_request"


def test_a_classification_as_a_model(client: TestClient) -> None:
    from kodeks.formats.models_xmi import read_xmi

    r = client.get("/api/v1/classifications/tree/as-model", params={"as": "classes", "at": "2013-01-01"})
    assert r.status_code == 200 and r.headers["content-type"].startswith("application/xml")
    model = read_xmi(r.content, "tree.xmi")
    assert "20.02.01" in {i.name for i in model.instances}
    sheet = client.get("/api/v1/classifications/tree/as-model", params={"as": "conceptlist"})
    assert sheet.status_code == 200 and sheet.content.startswith(b"PK")
    assert client.get("/api/v1/classifications/tree/as-model", params={"as": "table"}).status_code == 400
    assert client.get("/api/v1/classifications/nope/as-model", params={"as": "classes"}).status_code == 404


def test_status_over_http_with_four_eyes(client: TestClient) -> None:
    assert (
        client.post(f"{URL}?filename=sag.xmi&model=lifecycle", content=SMALL_XMI, headers=AUTH).status_code
        == 201
    )
    assert client.get(f"{URL}/lifecycle").json()["model"]["status"] == "draft"
    r = client.put(f"{URL}/lifecycle/status", params={"to": "review"}, headers=AUTH)
    assert r.status_code == 200 and r.json()["status"] == "review"
    same = client.put(f"{URL}/lifecycle/status", params={"to": "published"}, headers=AUTH)
    assert same.status_code == 403 and same.json()["error"]["code"] == "forbidden"
    assert client.put(f"{URL}/lifecycle/status", params={"to": "review"}).status_code == 401


def test_a_bootstrap_token_imports_without_granting_a_role(client: TestClient) -> None:
    """A configured bootstrap token administers everything and names no registered user: no owner."""
    held = client.get("/api/v1/roles", params={"resource_kind": "model", "resource_id": "sag"}, headers=AUTH)
    assert held.status_code == 200 and held.json() == []
    assert client.get(f"{URL}/sag/versions").json()[0]["version"] == 1
