"""The FHIR CodeSystem importer on the real FSIII family and the Danish ICD-10 supplement, and bad input."""

from __future__ import annotations

import json
from datetime import date

import pytest

from kodeks.domain.hierarchy import check_items
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.base import ImportOptions
from kodeks.formats.fhir import IMPORTERS
from tests.conftest import data_file

FHIR = IMPORTERS[0]


def read(data: bytes, name: str = "cs.json", **options: str):  # type: ignore[no-untyped-def]
    return FHIR.read(data, name, ImportOptions(options=options))


def read_file(relative: str, **options: str):  # type: ignore[no-untyped-def]
    path = data_file(relative)
    assert FHIR.sniff(path.read_bytes()[:4096], path.name) == 95
    return FHIR.read(path.read_bytes(), path.name, ImportOptions(options=options))


def test_fsiii() -> None:
    (bundle,) = read_file("fsiii/CodeSystem-FSIII.json")
    assert len(bundle.items) == 828 and bundle.classification.id == "fsiii"
    assert bundle.release_label == "20240530" and bundle.release_date == date(2024, 5, 30)
    assert bundle.date_source == "CodeSystem.version 20240530"  # the file has no date; its version is one
    assert bundle.classification.uri == bundle.classification.source_uri == "urn:oid:1.2.208.176.2.21"
    by_code = {i.code: i for i in bundle.items}
    top = by_code["370e6178-9a5d-45f9-a2c9-f658186059c9"]
    assert top.titles == {"da": "Generelle oplysninger"} and top.parent is None
    child = by_code["041a8348-e77d-4d6d-a464-a46b4fd036d0"]
    assert child.parent == top.code and child.description and child.description.startswith("Fysiske")
    assert by_code["I4.9"].alt_titles == (("da", "Andre problemer med hud og slimhinder"),)
    assert not check_items(bundle.items)


@pytest.mark.parametrize(
    ("name", "count"), [("FFB", 220), ("FBOE", 295), ("LTT", 27), ("CareSocialCodes", 91)]
)
def test_other_kl_codesystems(name: str, count: int) -> None:
    (bundle,) = read_file(f"fsiii/CodeSystem-{name}.json")
    assert len(bundle.items) == count and not check_items(bundle.items)


def test_icd10_supplement_gets_code_pattern_parents() -> None:
    (bundle,) = read_file("icd10_da_sks/CodeSystem-icd10-da.json")
    assert len(bundle.items) == 10563
    by_code = {i.code: i for i in bundle.items}
    assert by_code["A00"].titles == {"da": "Kolera"} and by_code["A00"].parent is None
    assert by_code["A00.1"].parent == "A00"
    assert sum(1 for i in bundle.items if i.parent) == 8844
    assert str(bundle.release_date) == "2026-06-16"
    (flat,) = read_file("icd10_da_sks/CodeSystem-icd10-da.json", hierarchy="none")
    assert all(i.parent is None for i in flat.items)


def test_parent_property_gives_the_hierarchy() -> None:
    cs = {
        "resourceType": "CodeSystem",
        "status": "active",
        "content": "complete",
        "concept": [
            {"code": "a", "display": "A"},
            {"code": "b", "display": "B", "property": [{"code": "parent", "valueCode": "a"}]},
        ],
    }
    (bundle,) = read(json.dumps(cs).encode())
    assert [i.parent for i in bundle.items] == [None, "a"]


def test_cycles_and_duplicates_are_returned_as_data() -> None:
    cs = {
        "resourceType": "CodeSystem",
        "status": "active",
        "content": "complete",
        "concept": [
            {"code": "a", "property": [{"code": "parent", "valueCode": "b"}]},
            {"code": "b", "property": [{"code": "parent", "valueCode": "a"}]},
            {"code": "c", "property": [{"code": "parent", "valueCode": "zz"}]},
            {"code": "c"},
        ],
    }
    (bundle,) = read(json.dumps(cs).encode())
    messages = " ".join(p.message for p in check_items(bundle.items))
    assert "cycle" in messages and "duplicate" in messages and "unknown parent" in messages


def test_non_fhir_json_is_refused_clearly() -> None:
    assert FHIR.sniff(b'{"a": 1}', "x.json") == 0
    with pytest.raises(
        MalformedInput, match=r"x\.json: resourceType: not a FHIR CodeSystem \(resourceType 'ValueSet'\)"
    ):
        read(b'{"resourceType": "ValueSet"}', "x.json")


def test_invalid_codesystem_names_the_element() -> None:
    cs = {
        "resourceType": "CodeSystem",
        "status": "active",
        "content": "complete",
        "concept": [{"display": "x"}],
    }
    with pytest.raises(InvalidContent) as err:
        read(json.dumps(cs).encode(), "bad.json")
    assert err.value.location == "concept[0].code" and "bad.json" in str(err.value)


def test_malformed_json_names_line() -> None:
    with pytest.raises(MalformedInput) as err:
        read(b'{"resourceType": "CodeSystem",\n  "status": }', "m.json")
    assert err.value.location == "line 2, column 13"


def test_latin1_and_empty() -> None:
    with pytest.raises(MalformedInput, match=r"l\.json: line 2: not UTF-8"):
        read('{\n"title": "Ærø"}'.encode("latin-1"), "l.json")
    with pytest.raises(MalformedInput, match=r"e\.json: file is empty"):
        read(b"", "e.json")
