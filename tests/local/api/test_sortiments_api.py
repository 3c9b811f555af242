"""Sortimenter over HTTP: versions with ETags, the codes contract, validity, SKOS and FHIR exports."""

from __future__ import annotations

import json

import pyoxigraph as ox
from fhir.resources.R4B.valueset import ValueSet

from tests.local.world import World, sortiment_body

BASE = "/api/v1/sortiments"
S = f"{BASE}/esdh"


def create(w: World, **kw: object) -> None:
    r = w.send("POST", BASE, "reviewer", json=sortiment_body("esdh", **kw))
    assert r.status_code == 201, r.json()
    assert r.headers["etag"] == '"s-1"'


def test_create_list_get_versions(w: World) -> None:
    create(w)
    assert [s["id"] for s in w.get(BASE).json()] == ["esdh"]
    assert w.get(BASE, params={"owner": "101"}).json() == []
    got = w.get(S)
    assert got.headers["etag"] == '"s-1"' and len(got.json()["entries"]) == 3
    v2 = w.send(
        "PUT",
        S,
        "reviewer",
        json=sortiment_body(
            "esdh", valid_from="2014-01-01", entries=[{"classification": "own-plan", "code": "20.02.01"}]
        ),
        headers={"If-Match": '"s-1"'},
    )
    assert v2.status_code == 200 and v2.headers["etag"] == '"s-2"' and v2.json()["version"] == 2
    assert [v["version"] for v in w.get(f"{S}/versions").json()] == [1, 2]
    assert (
        w.send("PUT", S, "reviewer", json=sortiment_body("esdh"), headers={"If-Match": '"s-1"'}).status_code
        == 409
    )
    assert w.send("PUT", S, "reviewer", json=sortiment_body("esdh")).status_code == 428


def test_codes_contract_flags_expired_entries_with_successors(w: World) -> None:
    create(w)
    body = w.get(f"{S}/codes", params={"at": "2013-06-01"}).json()
    assert body["sortiment"] == "esdh" and body["version"] == 1 and body["at"] == "2013-06-01"
    assert [(c["classification"], c["code"], c["rank"], c["label"]) for c in body["codes"]] == [
        ("own-plan", "10.01.00", 1, "Undervisning"),
        ("other-plan", "20.02.01", 3, None),
    ]
    assert body["codes"][0]["title"] == "Undervisning i almindelighed" and body["count"] == 2
    assert body["invalid"] == [
        {
            "classification": "own-plan",
            "code": "10.01.05",
            "rank": 2,
            "label": None,
            "status": "expired",
            "title": "Gammel ordning",
            "valid": [{"valid_from": "1990-01-01", "valid_to": "2012-01-01"}],
            "successors": ["20.02.01"],
        }
    ]
    then = w.get(f"{S}/codes", params={"at": "2011-06-01"}).json()
    assert [c["code"] for c in then["codes"]] == ["10.01.00", "10.01.05"]
    assert then["invalid"][0]["status"] == "not_yet_valid"
    assert w.get(f"{S}/codes", params={"at": "2009-01-01"}).status_code == 404
    validity = w.get(f"{S}/validity", params={"at": "2013-06-01"}).json()
    assert (validity["valid"], validity["invalid"]) == (2, 1)


def test_versions_govern_from_their_date(w: World) -> None:
    create(w)
    w.send(
        "PUT",
        S,
        "reviewer",
        json=sortiment_body(
            "esdh", valid_from="2014-01-01", entries=[{"classification": "own-plan", "code": "20.02.01"}]
        ),
        headers={"If-Match": '"s-1"'},
    )
    assert w.get(f"{S}/codes", params={"at": "2013-06-01"}).json()["version"] == 1
    assert [c["code"] for c in w.get(f"{S}/codes", params={"at": "2014-06-01"}).json()["codes"]] == [
        "20.02.01"
    ]


def test_exports(w: World) -> None:
    create(w)
    ttl = w.get(f"{S}/export", params={"format": "skos", "at": "2013-06-01"})
    assert ttl.status_code == 200 and ttl.headers["content-type"].startswith("text/turtle")
    graph = ox.Store()
    graph.load(ttl.content, format=ox.RdfFormat.TURTLE)
    members = list(
        graph.quads_for_pattern(None, ox.NamedNode("http://www.w3.org/2004/02/skos/core#member"), None)
    )
    assert len(members) == 3
    assert ttl.text.endswith("\n") and "OrderedCollection" in ttl.text
    fhir = w.get(f"{S}/export", params={"format": "fhir", "at": "2013-06-01"})
    vs = json.loads(fhir.content)
    ValueSet.model_validate(vs)
    assert [c["code"] for c in vs["expansion"]["contains"]] == ["10.01.00", "20.02.01"]
    assert vs["compose"]["include"][0]["concept"][0]["display"] == "Undervisning"
    fixed = {"format": "fhir", "at": "2013-06-01", "known_at": "2100-01-01T00:00:00Z"}
    assert w.get(f"{S}/export", params=fixed).content == w.get(f"{S}/export", params=fixed).content
    assert w.get(f"{S}/export", params={"format": "xml"}).status_code == 400


def test_unknown_codes_and_classifications_are_refused(w: World) -> None:
    body = sortiment_body(
        "bad",
        entries=[{"classification": "own-plan", "code": "99.99"}, {"classification": "nope", "code": "1"}],
    )
    r = w.send("POST", BASE, "reviewer", json=body)
    assert r.status_code == 400
    assert "own-plan has no code '99.99'" in r.json()["error"]["message"]
    assert "no classification 'nope'" in r.json()["error"]["message"]
    assert w.get(f"{BASE}/bad").status_code == 404
