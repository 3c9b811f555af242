"""The read API's contract: paths, parameters, shapes and errors."""

from __future__ import annotations

from datetime import date

from fastapi.testclient import TestClient

from kodeks.api.app import create_app
from kodeks.bootstrap import Kodeks
from tests.factories import item, record, tree_bundle

BASE = "/api/v1/classifications/tree"


def test_health(client: TestClient) -> None:
    r = client.get("/health")
    assert r.status_code == 200
    assert r.json()["status"] == "ok"


def test_list_and_get_classification(client: TestClient) -> None:
    listed = client.get("/api/v1/classifications").json()
    assert [c["id"] for c in listed] == ["tree"]
    one = client.get(BASE).json()
    assert one["titles"] == {"da": "Testplan", "en": "Test plan"}
    assert one["links"]["items"] == f"{BASE}/items"


def test_versions(client: TestClient) -> None:
    versions = client.get(f"{BASE}/versions").json()
    assert len(versions) == 1
    assert versions[0]["release_date"] == "2015-08-01"
    assert versions[0]["kind"] == "history"
    assert [lv["number"] for lv in versions[0]["levels"]] == [1, 2, 3]


def test_items_at_a_date_are_those_valid_then(client: TestClient) -> None:
    codes_2010 = [i["code"] for i in client.get(f"{BASE}/items", params={"at": "2010-06-01"}).json()["items"]]
    codes_2013 = [i["code"] for i in client.get(f"{BASE}/items", params={"at": "2013-06-01"}).json()["items"]]
    assert "10.01.05" in codes_2010 and "10.01.07" in codes_2010
    assert "10.01.05" not in codes_2013 and "20.02.01" in codes_2013
    assert codes_2013 == sorted(codes_2013, key=lambda c: [int(p) for p in c.split(".")])


def test_items_filtered_by_level(client: TestClient) -> None:
    body = client.get(f"{BASE}/items", params={"at": "2013-01-01", "level": 1}).json()
    assert [i["code"] for i in body["items"]] == ["10", "20"]
    assert body["count"] == 2


def test_item_valid_then_tells_where_it_moved(client: TestClient) -> None:
    r = client.get(f"{BASE}/items/10.01.05", params={"at": "2011-05-01"})
    assert r.status_code == 200
    body = r.json()
    assert body["valid_to"] == "2012-01-01"
    assert body["replaced_by"] == ["20.02.01"]
    assert body["successors_now"] == ["20.02.01"]


def test_item_not_valid_then_is_404_with_when_it_was(client: TestClient) -> None:
    r = client.get(f"{BASE}/items/10.01.05", params={"at": "2013-05-01"})
    assert r.status_code == 404
    err = r.json()["error"]
    assert err["code"] == "not_found"
    assert "2012-01-01" in err["message"]
    assert "replaced by 20.02.01 (Støtte til børn)" in err["message"]
    [successor] = err["details"]["successors"]
    assert successor == {
        "code": "20.02.01",
        "title": "Støtte til børn",
        "href": f"{BASE}/items/20.02.01?at=2013-05-01",
    }
    assert client.get(successor["href"]).status_code == 200


def test_changes_propose_successors_for_codes_that_expired_without_one(client: TestClient) -> None:
    plain = client.get(f"{BASE}/changes", params={"from": "2010-06-01", "to": "2011-06-01"}).json()
    assert "proposed_moves" not in plain
    body = client.get(
        f"{BASE}/changes", params={"from": "2010-06-01", "to": "2011-06-01", "propose": "true"}
    ).json()
    assert [i["code"] for i in body["expired"]] == ["10.01.07"]
    assert body["proposed_moves"] == []  # nothing added in that span that resembles it


def test_unknown_code_and_classification_are_404(client: TestClient) -> None:
    assert client.get(f"{BASE}/items/99.99.99").json()["error"]["code"] == "not_found"
    r = client.get("/api/v1/classifications/nope/items")
    assert r.status_code == 404 and r.json()["error"]["code"] == "not_found"


def test_children_and_descendants(client: TestClient) -> None:
    kids = [i["code"] for i in client.get(f"{BASE}/items/10.01/children", params={"at": "2010-06-01"}).json()]
    assert kids == ["10.01.00", "10.01.05", "10.01.07"]
    desc = [i["code"] for i in client.get(f"{BASE}/items/20/descendants", params={"at": "2013-01-01"}).json()]
    assert desc == ["20.02", "20.02.01"]


def test_history_lists_every_record(client: TestClient, registry: Kodeks) -> None:
    record(
        registry,
        tree_bundle(
            date(2016, 1, 1),
            items=[
                item("10", "Skole og uddannelse", start=date(1988, 1, 1)),
                item("20", "Børn", start=date(1988, 1, 1)),
            ],
        ),
    )
    body = client.get(f"{BASE}/items/10/history").json()
    titles = [(r["item"]["titles"]["da"], r["current"]) for r in body["records"]]
    assert ("Skole", False) in titles
    assert ("Skole og uddannelse", True) in titles


def test_changes_between_dates(client: TestClient) -> None:
    body = client.get(f"{BASE}/changes", params={"from": "2010-06-01", "to": "2013-01-01"}).json()
    assert body["counts"] == {"added": 0, "expired": 1, "renamed": 0, "moved": 1, "reused": 0}
    assert body["moved"] == [{"old": "10.01.05", "new": "20.02.01", "kind": "replaced"}]
    assert [i["code"] for i in body["expired"]] == ["10.01.07"]


def test_known_at_before_an_import_sees_the_old_world(client: TestClient, registry: Kodeks) -> None:
    before = client.get(f"{BASE}/items/10").json()
    known_at = client.get(f"{BASE}/versions").json()[0]["recorded_at"]
    record(registry, tree_bundle(date(2016, 1, 1), items=[item("10", "Ny titel", start=date(1988, 1, 1))]))
    now = client.get(f"{BASE}/items/10").json()
    then = client.get(f"{BASE}/items/10", params={"known_at": known_at}).json()
    assert now["titles"]["da"] == "Ny titel"
    assert then["titles"] == before["titles"]


def test_bad_parameters_are_400_in_the_error_shape(client: TestClient) -> None:
    for params in (
        {"at": "2019-02-30"},
        {"at": "yesterday"},
        {"known_at": "x"},
        {"level": "-1"},
        {"format": "pdf"},
    ):
        r = client.get(f"{BASE}/items", params=params)
        assert r.status_code == 400, params
        assert r.json()["error"]["code"] == "invalid_request"
    r = client.get(f"{BASE}/changes", params={"from": "2013-01-01", "to": "2010-01-01"})
    assert r.status_code == 400
    r = client.get(f"{BASE}/changes", params={"from": "2013-01-01"})
    assert r.status_code == 400


def test_unknown_route_and_method_use_the_error_shape(client: TestClient) -> None:
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and set(r.json()) == {"error"}
    r = client.post(f"{BASE}/items")
    assert r.status_code == 405 and r.json()["error"]["code"] == "method_not_allowed"


def test_hostile_and_oversized_path_parameters(client: TestClient) -> None:
    for code in ("' OR 1=1 --", "<script>alert(1)</script>", "x" * 5000, "%00", "..%2F..%2Fetc"):
        r = client.get(f"{BASE}/items/{code}")
        assert r.status_code == 404, code
        assert "error" in r.json()


def test_openapi_documents_every_contract_path(client: TestClient) -> None:
    paths = set(client.get("/openapi.json").json()["paths"])
    for path in (
        "/api/v1/classifications",
        "/api/v1/classifications/{classification_id}",
        "/api/v1/classifications/{classification_id}/versions",
        "/api/v1/classifications/{classification_id}/items",
        "/api/v1/classifications/{classification_id}/items/{code}",
        "/api/v1/classifications/{classification_id}/items/{code}/children",
        "/api/v1/classifications/{classification_id}/items/{code}/descendants",
        "/api/v1/classifications/{classification_id}/items/{code}/history",
        "/api/v1/classifications/{classification_id}/changes",
        "/api/v1/classifications/{classification_id}/export",
        "/health",
    ):
        assert path in paths, path


def test_items_as_csv_by_query_or_accept(client: TestClient) -> None:
    by_query = client.get(f"{BASE}/items", params={"at": "2013-01-01", "format": "csv"})
    by_accept = client.get(f"{BASE}/items", params={"at": "2013-01-01"}, headers={"Accept": "text/csv"})
    for r in (by_query, by_accept):
        assert r.status_code == 200
        assert r.headers["content-type"].startswith("text/csv")
        lines = r.text.splitlines()
        assert lines[0].startswith("code,")
        assert sum(1 for line in lines[1:] if line.startswith("20.02.01,")) == 1
    assert by_query.content == by_accept.content


def test_export_in_every_format_at_a_date(client: TestClient) -> None:
    media = {
        "ttl": "text/turtle",
        "jsonld": "application/ld+json",
        "rdfxml": "application/rdf+xml",
        "csv": "text/csv",
        "json": "application/json",
        "fhir": "application/fhir+json",
        "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
    }
    for fmt, media_type in media.items():
        r = client.get(f"{BASE}/export", params={"format": fmt, "at": "2011-05-01"})
        assert r.status_code == 200, fmt
        assert r.headers["content-type"].startswith(media_type), fmt
        assert "attachment" in r.headers["content-disposition"]
        if fmt != "xlsx":
            assert "10.01.05" in r.text, fmt
    r = client.get(f"{BASE}/export", params={"format": "pdf"})
    assert r.status_code == 400 and r.json()["error"]["code"] == "invalid_request"


def test_changes_propose_the_same_title_under_a_new_code(registry: Kodeks) -> None:
    """10.01.07 'Nedlagt ordning' expired in 2011; a later release adds 20.02.09 with that title."""
    new = item("20.02.09", "Nedlagt ordning", "20.02", start=date(2011, 1, 1))
    record(registry, tree_bundle(date(2016, 1, 1), items=[*tree_bundle().items, new]))
    with TestClient(create_app(registry)) as c:
        params = {"from": "2010-06-01", "to": "2016-06-01", "propose": "true"}
        body = c.get(f"{BASE}/changes", params=params).json()
    assert [(p["old"], p["new"], p["reasons"]) for p in body["proposed_moves"]] == [
        ("10.01.07", "20.02.09", ["same title"])
    ]
