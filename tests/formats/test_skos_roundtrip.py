"""Export -> import gives the same model, for the SKOS (ttl, jsonld, rdfxml) and FHIR exporters.

SKOS has set semantics for altLabel, scopeNote and isReplacedBy, so for SKOS the expected alt titles,
notes and successors are compared as sorted sets; FHIR keeps every field exactly.
"""

from __future__ import annotations

import json
import uuid
from dataclasses import replace
from datetime import date, timedelta

import pytest
from fhir.resources.R4B.codesystem import CodeSystem
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from kodeks.domain.classification import Classification
from kodeks.domain.codes import natural_key
from kodeks.domain.item import Item, Keyword, LegalReference
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, Level, Release
from kodeks.formats import fhir, skos
from kodeks.formats.base import ExportSet, ImportOptions, bundle_from_export
from tests.conftest import data_file

EXPORTERS = {e.name: e for e in [*skos.EXPORTERS, *fhir.EXPORTERS]}
IMPORTER = {
    "ttl": skos.IMPORTERS[0],
    "jsonld": skos.IMPORTERS[0],
    "rdfxml": skos.IMPORTERS[0],
    "fhir": fhir.IMPORTERS[0],
}


def normalise(items: tuple[Item, ...], fmt: str) -> list[Item]:
    out = []
    for item in items:
        if fmt != "fhir":
            item = replace(
                item,
                alt_titles=tuple(sorted(set(item.alt_titles))),
                notes=tuple(sorted(set(item.notes))),
                replaced_by=tuple(sorted(set(item.replaced_by), key=natural_key)),
            )
        out.append(item)
    return sorted(out, key=lambda i: (natural_key(i.code), i.valid.start or date.min))


def assert_round_trip(export: ExportSet, fmt: str) -> bytes:
    exporter = EXPORTERS[fmt]
    data = exporter.write(export)
    source = f"export{exporter.extension}"
    (back,) = IMPORTER[fmt].read(data, source, ImportOptions())
    expected = bundle_from_export(export, source=source, format="fhir" if fmt == "fhir" else "skos")
    assert back.classification == expected.classification
    assert back.levels == tuple(sorted(expected.levels, key=lambda lv: lv.number))
    assert (back.release_label, back.release_date) == (expected.release_label, expected.release_date)
    assert normalise(back.items, fmt) == normalise(expected.items, fmt)
    return data


def export_of(bundle: Bundle) -> ExportSet:
    levels = (Level(1, {"da": "Hovedgruppe", "en": "Main group"}), Level(2, {"da": "Gruppe"}))
    items = tuple(
        replace(i, level=1 if i.parent is None else i.level, uuid=i.uuid or uuid.uuid4())
        for i in bundle.items
    )
    versions = (Release("2019", date(2019, 1, 1)), Release(bundle.release_label or "2020", date(2020, 5, 30)))
    return ExportSet(bundle.classification, items, levels, versions)


REAL = [
    ("fhir", "fsiii/CodeSystem-FSIII.json"),
    ("skos", "skos_eu_vocabularies/countries-skos.rdf"),
    ("skos", "skos_stw_thesaurus/stw-skos.ttl"),
]


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
@pytest.mark.parametrize(("importer", "relative"), REAL, ids=[r[1].split("/")[0] for r in REAL])
def test_real_bundle_round_trips(importer: str, relative: str, fmt: str) -> None:
    if "stw" in relative and fmt != "ttl":
        pytest.skip("STW (6,244 concepts) round-trips through Turtle only, to keep the suite fast")
    path = data_file(relative)
    imp = skos.IMPORTERS[0] if importer == "skos" else fhir.IMPORTERS[0]
    (bundle,) = imp.read(path.read_bytes(), path.name, ImportOptions())
    export = export_of(bundle)
    data = assert_round_trip(export, fmt)
    assert data == EXPORTERS[fmt].write(export)
    assert data.endswith(b"\n")


TEXT = st.text(alphabet="abcdeABCæøåÆØÅ \"'<>&é1", min_size=1, max_size=12).map(str.strip).filter(bool)
CODE = (
    st.text(alphabet="AB019.-æ/ ", min_size=1, max_size=5)
    .map(lambda c: " ".join(c.split()))  # a code is words separated by single spaces
    .filter(bool)
)
DAY = st.dates(min_value=date(1990, 1, 1), max_value=date(2040, 1, 1))


@st.composite
def export_sets(draw: st.DrawFn) -> ExportSet:
    codes = draw(st.lists(CODE, min_size=1, max_size=8, unique=True))
    items = []
    for index, code in enumerate(codes):
        start = draw(st.none() | DAY)
        end = draw(
            st.none() | st.integers(1, 4000).map(lambda n, s=start: (s or date(1990, 1, 1)) + timedelta(n))
        )
        items.append(
            Item(
                code=code,
                titles=draw(st.dictionaries(st.sampled_from(["da", "en"]), TEXT, min_size=1)),
                level=draw(st.none() | st.integers(1, 3)),
                parent=draw(st.none() | st.sampled_from(codes[:index])) if index else None,
                valid=Period(start, end),
                uuid=draw(st.none() | st.uuids()),
                description=draw(st.none() | TEXT),
                notes=tuple(draw(st.lists(TEXT, max_size=2))),
                alt_titles=tuple(draw(st.lists(st.tuples(st.sampled_from(["da", "en"]), TEXT), max_size=2))),
                keywords=tuple(
                    draw(st.lists(st.builds(Keyword, TEXT, st.none() | st.integers(-5, 100)), max_size=3))
                ),
                replaced_by=tuple(draw(st.lists(st.sampled_from(codes), max_size=2, unique=True))),
                legal_refs=tuple(
                    draw(st.lists(st.builds(LegalReference, TEXT, st.none() | TEXT), max_size=2))
                ),
                properties=draw(
                    st.dictionaries(st.sampled_from(["bevaring", "sletning", "x-y"]), TEXT, max_size=2)
                ),
            )
        )
    cls = Classification(
        id="test-klass",
        titles={"da": 'Prøve "æøå"', "en": "Test"},
        description=draw(st.none() | TEXT),
        owner="KL",
        publisher=draw(st.none() | TEXT),
        licence="CC-BY-4.0",
        copyrighted=draw(st.booleans()),
        source_uri="https://example.org/x",
    )
    levels = (Level(1, {"da": "Hovedgruppe"}), Level(2, {"da": "Gruppe", "en": "Group"}))
    versions = (Release("v1", date(2020, 1, 1)), Release('v2 "ny"', date(2021, 6, 1)))
    return ExportSet(cls, tuple(items), levels, versions)


@pytest.mark.parametrize("fmt", sorted(EXPORTERS))
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(export=export_sets())
def test_generated_items_round_trip(fmt: str, export: ExportSet) -> None:
    data = assert_round_trip(export, fmt)
    shuffled = replace(export, items=tuple(reversed(export.items)))
    assert EXPORTERS[fmt].write(shuffled) == data  # stable whatever the input order


@settings(max_examples=20, deadline=None)
@given(export=export_sets())
def test_fhir_export_is_valid_under_fhir_resources(export: ExportSet) -> None:
    data = EXPORTERS["fhir"].write(export)
    resource = CodeSystem.model_validate_json(data)
    assert resource.hierarchyMeaning == "is-a"
    declared = {p.code for p in resource.property or []}
    used = set()

    def walk(concepts: list[dict]) -> None:  # type: ignore[type-arg]
        for c in concepts:
            used.update(p["code"] for p in c.get("property", []))
            walk(c.get("concept", []))

    walk(json.loads(data)["concept"])
    assert used <= declared
