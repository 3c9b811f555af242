"""Correspondences over HTTP with the real files: import, map (the contract), invert, export.

KLE and FORM are KL's content: expectations about them are read from the files, not written here.
"""

from __future__ import annotations

import csv
import io
import json

import pyoxigraph as ox
import pytest
from fhir.resources.R4B.conceptmap import ConceptMap

from tests.conftest import data_file
from tests.local.world import World, world

BASE = "/api/v1/correspondences"
FILES = {
    "kle-form": "correspondences/kle_form_2018-07-11.csv",
    "form-kle": "correspondences/form_kle_2018-07-11.csv",
    "nace-isic": "correspondences/nace2_isic4_normative.tsv",
    "isco88-isco08": "correspondences/ilo_isco88_isco08_correspondence.csv",
}


@pytest.fixture
def big() -> World:  # real files are up to 90 KB; the default test limit is 64 KiB
    with world(max_request_bytes=1024 * 1024) as w:
        yield w  # type: ignore[misc]


def upload(w: World, cid: str, name: str, owner: str = "751", who: str = "reviewer", **params: str) -> dict:  # type: ignore[type-arg]
    path = data_file(FILES[name])
    r = w.send(
        "POST",
        BASE,
        who,
        content=path.read_bytes(),
        headers={"Content-Type": "text/csv"},
        params={"id": cid, "owner": owner, "filename": path.name, **params},
    )
    assert r.status_code == 201, r.json()
    return r.json()  # type: ignore[no-any-return]


def test_kle_to_form_with_several_targets_per_cell(big: World) -> None:
    body = upload(big, "kle-form", "kle-form", valid_from="2018-07-11")
    assert body["format"] == "kle-form"  # detected
    assert (body["source"]["classification"], body["target"]["classification"]) == ("kle", "form")
    lines = data_file(FILES["kle-form"]).read_text().splitlines()
    pairs = {(line.split(";")[0], t) for line in lines for t in line.split(";")[1].split(",")}
    assert body["summary"]["mappings"] == len(pairs) and body["summary"]["source_codes"] == len(lines)
    multi = next(line for line in lines if line.count(",") >= 2)
    code, targets = multi.split(";")[0], multi.split(";")[1].split(",")
    mapped = big.get(f"{BASE}/kle-form/map", params={"code": code, "at": "2019-01-01"}).json()
    assert [t["code"] for t in mapped["targets"]] == targets
    assert mapped["cardinality"] in ("1:n", "n:m") and mapped["target"]["classification"] == "form"
    before = big.get(f"{BASE}/kle-form/map", params={"code": code, "at": "2018-01-01"})
    assert before.status_code == 404 and "valid [2018-07-11" in before.json()["error"]["message"]
    back = big.get(
        f"{BASE}/kle-form/map", params={"code": targets[0], "at": "2019-01-01", "inverse": "true"}
    ).json()
    assert code in [t["code"] for t in back["targets"]] and back["source"]["classification"] == "form"


def test_form_to_kle_with_no_counterpart(big: World) -> None:
    body = upload(big, "form-kle", "form-kle")
    rows = data_file(FILES["form-kle"]).read_bytes().decode("cp1252").replace("\r", "").split("\n")
    none = next(r.split(";")[0] for r in rows[1:] if r.endswith(";Ikke med i KLE"))
    assert body["summary"]["no_counterpart"] >= 1600
    assert any("Windows-1252" in w for w in body["warnings"])
    assert any("ignored the text after it" in w for w in body["warnings"])
    mapped = big.get(f"{BASE}/form-kle/map", params={"code": none}).json()
    assert mapped["no_counterpart"] and mapped["cardinality"] == "1:0" and mapped["targets"] == []
    assert big.get(f"{BASE}/form-kle/map", params={"code": "00.00.00.00.99"}).status_code == 404


def test_nace_to_isic_and_isco_partial_mappings(big: World) -> None:
    upload(big, "nace-isic", "nace-isic", owner="kl", who="admin")
    assert big.get(f"{BASE}/nace-isic/map", params={"code": "01.41"}).json()["cardinality"] == "n:1"
    assert [
        t["code"] for t in big.get(f"{BASE}/nace-isic/map", params={"code": "01.41"}).json()["targets"]
    ] == ["141"]
    upload(big, "isco", "isco88-isco08", owner="kl", who="admin")
    mapped = big.get(f"{BASE}/isco/map", params={"code": "1141"}).json()
    assert mapped["targets"] == [
        {
            "code": "1114",
            "title": "Senior officials of special-interest organizations",
            "valid": None,
            "partial": True,
            "note": None,
        }
    ]
    assert mapped["source"]["title"] == "Senior officials of political-party organisations"
    summary = big.get(f"{BASE}/isco").json()["summary"]
    assert summary["partial"] == 356 and summary["mappings"] == 671


def test_invert_and_export_in_three_formats(big: World) -> None:
    upload(big, "isco", "isco88-isco08")
    inverse = big.send("POST", f"{BASE}/isco/invert", "reviewer", json={"id": "isco-inverse"})
    assert inverse.status_code == 201 and inverse.json()["source"]["classification"] == "isco-08"
    assert inverse.json()["summary"]["mappings"] == 671
    assert big.get(f"{BASE}/isco-inverse/map", params={"code": "1114"}).json()["cardinality"] == "1:n"

    ttl = big.get(f"{BASE}/isco/export", params={"format": "xkos"})
    store = ox.Store()
    store.load(ttl.content, format=ox.RdfFormat.TURTLE)
    xkos = "http://rdf-vocabulary.ddialliance.org/xkos#"
    assert len(list(store.quads_for_pattern(None, ox.NamedNode(xkos + "madeOf"), None))) == 671
    assert ttl.content == big.get(f"{BASE}/isco/export", params={"format": "xkos"}).content

    fhir = json.loads(big.get(f"{BASE}/isco/export", params={"format": "fhir"}).content)
    ConceptMap.model_validate(fhir)
    element = next(e for e in fhir["group"][0]["element"] if e["code"] == "1141")
    assert element["target"][0]["equivalence"] == "inexact" and "partial" in element["target"][0]["comment"]

    table = big.get(f"{BASE}/isco/export", params={"format": "csv"}).content
    rows = list(csv.DictReader(io.StringIO(table.decode())))
    assert len(rows) == 671 and rows[0].keys() >= {"source", "target", "partial"}
    again = big.send(
        "POST",
        BASE,
        "reviewer",
        content=table,
        params={"id": "isco-again", "owner": "751", "source": "isco-88", "target": "isco-08"},
    )
    assert again.status_code == 201 and again.json()["format"] == "pairs"
    assert again.json()["summary"] == big.get(f"{BASE}/isco").json()["summary"]
    flipped = json.loads(big.get(f"{BASE}/isco/export", params={"format": "fhir", "inverse": "true"}).content)
    assert flipped["sourceUri"].endswith("isco-08")


def test_list_and_get_with_mappings(big: World) -> None:
    upload(big, "isco", "isco88-isco08")
    assert [c["id"] for c in big.get(BASE).json()] == ["isco"]
    full = big.get(f"{BASE}/isco", params={"include": "mappings"}).json()
    assert len(full["mappings"]) == 671 and "mappings" not in big.get(f"{BASE}/isco").json()
    assert big.get(f"{BASE}/nope").status_code == 404
