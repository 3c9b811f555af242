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
    """The file lists 828 concepts: the 414 of FSIII twice (UUID codes and FSH names); each is read once."""
    (bundle,) = read_file("fsiii/CodeSystem-FSIII.json")
    assert len(bundle.items) == 414 and bundle.classification.id == "fsiii"
    assert all(len(i.code) == 36 for i in bundle.items)
    assert bundle.release_label == "20240530" and bundle.release_date == date(2024, 5, 30)
    assert bundle.date_source == "CodeSystem.version 20240530"  # the file has no date; its version is one
    assert bundle.classification.uri == bundle.classification.source_uri == "urn:oid:1.2.208.176.2.21"
    by_code = {i.code: i for i in bundle.items}
    top = by_code["370e6178-9a5d-45f9-a2c9-f658186059c9"]
    assert top.titles == {"da": "Generelle oplysninger"} and top.parent is None
    child = by_code["041a8348-e77d-4d6d-a464-a46b4fd036d0"]
    assert child.parent == top.code and child.description and child.description.startswith("Fysiske")
    assert top.properties == {"notation": "F"} and child.properties == {"notation": "F3"}
    (skin,) = [i for i in bundle.items if i.properties.get("notation") == "I4.9"]
    assert skin.alt_titles == (("da", "Andre problemer med hud og slimhinder"),)
    # no concept twice under one parent (three titles do recur, with different definitions)
    assert len({(i.parent, i.title("da"), i.description) for i in bundle.items}) == 414
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


def test_icd10_chapters_and_blocks_from_the_code_ranges() -> None:
    (bundle,) = read_file("icd10_da_sks/CodeSystem-icd10-da.json", hierarchy="icd10")
    by_code = {i.code: i for i in bundle.items}
    top = [i for i in bundle.items if i.parent is None]
    assert len(top) == 21  # chapters I-XXI (XXII, U00-U85, holds no code of the Danish file)
    assert by_code["A00-B99"].title("da") == "Kapitel I: Visse infektiøse og parasitære sygdomme"
    assert by_code["I00-I99"].title("da").startswith("Kapitel IX: ")
    assert by_code["A00"].parent == "A00-A09" and by_code["A00-A09"].parent == "A00-B99"
    assert by_code["A00-A09"].title("da").startswith("Kolera; Tyfus og paratyfus; ")
    assert by_code["C15"].parent == "C15-C26" and by_code["C15-C26"].parent == "C00-C75"
    assert by_code["C00-C75"].parent == "C00-C97" and by_code["C00-C97"].parent == "C00-D48"
    assert by_code["A00.1"].parent == "A00" and by_code["M459"].parent == "M45-M49"
    assert len(bundle.items) == 10563 + 21 + 235  # 235 of the 274 blocks hold codes of the file
    assert all(i.parent for i in bundle.items if not i.title("da").startswith("Kapitel "))
    assert not check_items(bundle.items)


def test_icd10_ranges_refuse_a_file_that_has_range_codes() -> None:
    data = {
        "resourceType": "CodeSystem",
        "status": "active",
        "content": "complete",
        "concept": [{"code": "A00-A09", "display": "x"}, {"code": "A00", "display": "Kolera"}],
    }
    with pytest.raises(InvalidContent, match="A00-A09"):
        read(json.dumps(data).encode(), hierarchy="icd10")


def test_twin_trees_need_one_uuid_side() -> None:
    twin = {"code": "B", "display": "Same", "concept": [{"code": "B1", "display": "Child"}]}
    data = {
        "resourceType": "CodeSystem",
        "status": "active",
        "content": "complete",
        "concept": [{**twin, "code": "A", "concept": [{"code": "A1", "display": "Child"}]}, twin],
    }
    (bundle,) = read(json.dumps(data).encode())
    assert len(bundle.items) == 4  # neither tree is UUID-coded: both kept


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
