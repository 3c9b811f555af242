"""Profiles over HTTP: read like a classification, written with ETags, affected by upstream versions."""

from __future__ import annotations

from datetime import date

from kodeks.services import importing
from tests.factories import FakeCatalog, item, tree_bundle
from tests.local.world import World, profile_body

BASE = "/api/v1/classifications/own-plan/profiles"
P = f"{BASE}/skole"


def create(w: World, pid: str = "skole", **kw: object) -> str:
    r = w.send("POST", BASE, "reviewer", json=profile_body(pid, **kw))
    assert r.status_code == 201, r.json()
    return str(r.headers["etag"])


def test_create_get_and_list(w: World) -> None:
    tag = create(w)
    assert tag == '"p-1"'
    got = w.get(P)
    assert got.status_code == 200 and got.headers["etag"] == '"p-1"'
    body = got.json()
    assert body["owner"] == "751" and body["version"] == 1 and body["based_on"] == "2015-08-01"
    assert body["local_codes"][0]["code"] == "10.01.90"
    listed = w.get(BASE).json()
    assert [p["id"] for p in listed] == ["skole"] and "selections" not in listed[0]


def test_the_item_endpoints_mirror_the_classification(w: World) -> None:
    create(w)
    items = w.get(f"{P}/items", params={"at": "2013-06-01"}).json()
    assert [i["code"] for i in items["items"]] == [
        "10",
        "10.01",
        "10.01.00",
        "10.01.90",
        "20",
        "20.02",
        "20.02.01",
    ]
    assert items["count"] == 7 and items["version"] == 1
    one = w.get(f"{P}/items/10.01.00", params={"at": "2013-06-01"}).json()
    assert one["titles"]["da"] == "Skoleundervisning" and one["origin"] == "selected"
    assert one["properties"]["profile.common_title"] == "Undervisning i almindelighed"
    local = w.get(f"{P}/items/10.01.90", params={"at": "2013-06-01"}).json()
    assert local["origin"] == "local" and local["level"] == 3 and local["valid_from"] == "2013-01-01"
    assert [i["code"] for i in w.get(f"{P}/items/10.01/children", params={"at": "2013-06-01"}).json()] == [
        "10.01.00",
        "10.01.90",
    ]
    assert [i["code"] for i in w.get(f"{P}/items/20/descendants", params={"at": "2013-06-01"}).json()] == [
        "20.02",
        "20.02.01",
    ]
    history = w.get(f"{P}/items/10.01.00/history").json()
    assert {r["source"] for r in history["records"]} == {"profile", "common"}
    level = w.get(f"{P}/items", params={"at": "2013-06-01", "level": 3}).json()
    assert [i["code"] for i in level["items"]] == ["10.01.00", "10.01.90", "20.02.01"]


def test_404s_say_why(w: World) -> None:
    create(w)
    early = w.get(f"{P}/items/10.01.90", params={"at": "2012-06-01"})
    assert early.status_code == 404 and "not valid on that date" in early.json()["error"]["message"]
    outside = w.get(f"{P}/items/10.01.05", params={"at": "2011-06-01"})
    assert outside.status_code == 404 and "not in the profile" in outside.json()["error"]["message"]
    assert w.get(f"{BASE}/nope/items").json()["error"]["code"] == "not_found"
    assert w.get("/api/v1/classifications/nope/profiles/skole/items").status_code == 404


def test_csv_and_export(w: World) -> None:
    create(w)
    csv = w.get(f"{P}/items", params={"at": "2013-06-01", "format": "csv"})
    assert csv.status_code == 200 and csv.headers["content-type"].startswith("text/csv")
    assert "10.01.90" in csv.text and "Lokal skoleordning" in csv.text
    ttl = w.get(f"{P}/export", params={"format": "ttl", "at": "2013-06-01"})
    assert ttl.status_code == 200 and "profiles/skole" in ttl.text and "Skoleundervisning" in ttl.text
    fhir = w.get(f"{P}/export", params={"format": "fhir", "at": "2013-06-01"}).json()
    assert fhir["resourceType"] == "CodeSystem" and fhir["id"] == "own-plan-skole"
    assert w.get(f"{P}/export", params={"format": "nope"}).status_code == 400


def test_replace_needs_the_version_read(w: World) -> None:
    create(w)
    renamed = profile_body("skole", titles={"da": "Ny titel"})
    assert w.send("PUT", P, "reviewer", json=renamed).status_code == 428
    assert w.send("PUT", P, "reviewer", json=renamed, headers={"If-Match": '"p-9"'}).status_code == 409
    assert w.send("PUT", P, "reviewer", json=renamed, headers={"If-Match": "garbage"}).status_code == 400
    ok = w.send("PUT", P, "reviewer", json=renamed, headers={"If-Match": '"p-1"'})
    assert ok.status_code == 200 and ok.headers["etag"] == '"p-2"'
    stale = w.send("PUT", P, "reviewer", json=profile_body("skole"), headers={"If-Match": '"p-1"'})
    assert stale.status_code == 409
    assert stale.json()["error"]["details"]["current_version"] == 2
    assert w.get(P).json()["titles"] == {"da": "Ny titel"}
    assert w.send("POST", BASE, "reviewer", json=profile_body("skole")).status_code == 409


def test_changes_in_both_modes_and_affected_entries(w: World) -> None:
    create(w, selections=[{"code": "10.01.05"}, {"code": "10.01.00"}], based_on="2010-06-01")
    diff = w.get(f"{P}/changes", params={"from": "2010-06-01", "to": "2013-06-01"}).json()
    assert diff["profile"] == "skole" and diff["moved"] == [
        {"old": "10.01.05", "new": "20.02.01", "kind": "replaced"}
    ]
    feed = w.get(f"{P}/changes", params={"since": "2000-01-01T00:00:00Z", "limit": 3}).json()
    assert feed["count"] == 3 and feed["has_more"] and feed["feed"] == "profile:own-plan/skole"
    affected = w.get(f"{P}/affected").json()
    assert affected["from"] == "2010-06-01"
    assert affected["entries"] == [
        {
            "code": "10.01.05",
            "entry": "selection",
            "effect": "moved",
            "message": "10.01.05 moved to 20.02.01",
            "proposed": ["20.02.01"],
        }
    ]
    assert w.get(f"{P}/changes").status_code == 400


def test_a_new_common_version_marks_affected_entries(w: World) -> None:
    create(w, selections=[{"code": "20.02.01"}, {"code": "20", "subtree": True}])
    items = [i for i in tree_bundle(cid="own-plan").items if i.code != "20.02.01"]
    items.append(
        item(
            "20.02.01",
            "Støtte til børn",
            "20.02",
            start=date(2012, 1, 1),
            end=date(2016, 1, 1),
            replaced_by=("20.02.02",),
        )
    )
    items.append(item("20.02.02", "Støtte til børn og unge", "20.02", start=date(2016, 1, 1)))
    importing.import_data(
        w.kodeks.uow,
        FakeCatalog([tree_bundle(date(2016, 1, 1), items=items, cid="own-plan")]),
        b"x",
        "v2.fake",
        listeners=w.kodeks.listeners,
    )
    report = w.get(f"{P}/affected").json()
    assert (report["from"], report["to"] >= "2016-01-01") == ("2015-08-01", True)
    assert [(e["code"], e["effect"], e["proposed"]) for e in report["entries"]] == [
        ("20.02.01", "moved", ["20.02.02"])
    ]
    now = [i["code"] for i in w.get(f"{P}/items", params={"at": "2016-06-01"}).json()["items"]]
    assert "20.02.02" in now and "20.02.01" not in now  # the subtree follows upstream by itself


def test_reserved_ranges_are_read_and_set_by_the_owner(w: World) -> None:
    url = "/api/v1/classifications/own-plan/reserved-ranges"
    assert w.get(url).json()["ranges"][0]["low"] == 90
    body = {"ranges": [{"level": 3, "low": 80, "high": 89}]}
    assert w.send("PUT", url, "reviewer", json=body).status_code == 403
    assert w.send("PUT", url, "owner", json=body).status_code == 200
    assert w.get(url).json()["ranges"][0]["low"] == 80
    bad = w.send("PUT", url, "owner", json={"ranges": [{"level": 3, "low": 99, "high": 10}]})
    assert bad.status_code == 400 and "reserved range" in bad.json()["error"]["message"]
    assert w.get(url).json()["ranges"][0]["low"] == 80
    refused = w.send("POST", BASE, "reviewer", json=profile_body("x"))
    assert refused.status_code == 400 and "outside the reserved ranges" in refused.json()["error"]["message"]


def test_municipalities(w: World) -> None:
    create(w)
    assert len(w.get("/api/v1/municipalities").json()) == 98
    aarhus = w.get("/api/v1/municipalities/751").json()
    assert aarhus["name"] == "Aarhus" and [c["id"] for c in aarhus["classifications"]] == ["own-plan"]
    assert [p["id"] for p in aarhus["profiles"]] == ["skole"]
    assert w.get("/api/v1/municipalities/999").status_code == 404


def test_setting_ranges_moves_the_read_cache_on() -> None:
    from tests.local.world import world

    with world(read_cache_seconds=0) as cached:
        url = "/api/v1/classifications/own-plan/reserved-ranges"
        assert cached.get(url).json()["ranges"][0]["low"] == 90
        cached.send("PUT", url, "owner", json={"ranges": [{"level": 3, "low": 70, "high": 79}]})
        assert cached.get(url).json()["ranges"][0]["low"] == 70
        versions = cached.get("/api/v1/classifications/own-plan/versions").json()
        assert len(versions) == 1  # a registration, not a version
