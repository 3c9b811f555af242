"""Every model writer: stable output with one final newline, and a round trip or an outside check.

XMI and LinkML re-import losslessly (the whole model, compared element by element); RDF parses back
with the counts of the model; SHACL shapes validate data with pySHACL; LinkML's own SchemaView loads
the schema; JSON Schema is a valid 2020-12 schema. The big FINT model goes through XMI and LinkML
only (its RDF takes seconds); the FDA models through everything.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import OWL, SKOS

from kodeks.domain.models.codec import model_to_dict
from kodeks.domain.models.model import InfoModel
from kodeks.domain.models.valuedomain import BoundDomain
from kodeks.formats.models_registry import WRITERS, ModelFormatRegistry
from kodeks.formats.models_xmi import read_xmi
from tests.models.conftest import DATAQUALITY, FINT, NEMKONTO, PROFILE, SMALL_XMI, real_model

FORMATS = ModelFormatRegistry()
TEXT_WRITERS = sorted(set(WRITERS) - {"conceptlist"})


def _normal(model: InfoModel, *, profiles: bool = True) -> dict[str, Any]:
    d = model_to_dict(model)
    for key in ("packages", "classes", "associations", "concepts", "instances"):
        d[key] = sorted(d[key], key=lambda x: x["id"])
    d["generalizations"] = sorted(g[1:] for g in d["generalizations"])
    if not profiles:
        d["profiles"] = []
    return d


def _small() -> InfoModel:
    return read_xmi(SMALL_XMI, "small.xmi", "sag")


@pytest.mark.parametrize("fmt", TEXT_WRITERS)
def test_every_writer_is_stable_and_ends_with_one_newline(fmt: str) -> None:
    writer = FORMATS.writer(fmt)
    for model in (_small(), real_model(NEMKONTO)):
        first = writer(model, {})
        assert first == writer(model, {})
        assert first.endswith(b"\n") and not first.endswith(b"\n\n")


@pytest.mark.parametrize("relative", [FINT, NEMKONTO, DATAQUALITY, PROFILE])
def test_xmi_export_reimports_losslessly(relative: str) -> None:
    model = real_model(relative)
    written = FORMATS.writer("xmi")(model, {})
    again = read_xmi(written, "export.xmi", model.id)
    assert again.counts() == model.counts()
    assert _normal(again) == _normal(model)
    # and a second trip gives the same bytes (a fixed point)
    assert FORMATS.writer("xmi")(again, {}) == written


@pytest.mark.parametrize("relative", [FINT, NEMKONTO, DATAQUALITY, None])
def test_linkml_round_trip_and_linkml_loads_it(relative: str | None) -> None:
    from linkml_runtime.utils.schemaview import SchemaView

    model = real_model(relative) if relative else _small()
    written = FORMATS.writer("linkml")(model, {})
    again = FORMATS.reader("linkml")(written, "m.yaml", model.id)
    assert _normal(again, profiles=False) == _normal(model, profiles=False)
    if relative == NEMKONTO:  # concepts, instances and the associations reaching them are carried
        counts = again.counts()
        assert (counts["concepts"], counts["instances"], counts["associations"]) == (3, 13, 20)
        annotations = SchemaView(written.decode()).schema.annotations
        assert {"kodeks_concepts", "kodeks_instances", "kodeks_associations"} <= set(annotations)
    if relative is None:  # LinkML's own tools (SchemaView) on the small model: classes, slots, enums
        view = SchemaView(written.decode())
        assert set(view.all_classes()) == {"Sag", "Part", "Aktoer"}
        assert set(view.all_enums()) == {"EmneVaerdi"}
        slots = {s.name: s for s in view.class_induced_slots("Sag")}
        assert slots["emne"].range == "EmneVaerdi" and slots["emne"].multivalued
        assert slots["titel"].required and slots["part"].range == "Part"
        assert view.get_class("Part").is_a == "Aktoer"


def test_rdf_carries_classes_properties_concepts_and_fda_tags() -> None:
    model = real_model(NEMKONTO)
    g = Graph().parse(data=FORMATS.writer("rdf")(model, {}), format="turtle")
    classes = set(g.subjects(RDF.type, OWL.Class))
    assert len(classes) == model.counts()["classes"]
    owner = URIRef("https://data.gov.dk/model/nemkontoregisteret#AccountOwner")
    assert owner in classes
    assert g.value(owner, SKOS.prefLabel) == Literal("kontoejer", lang="da")
    assert g.value(owner, SKOS.altLabel) == Literal("kontoindehaver", lang="da")
    assert len(set(g.subjects(RDF.type, SKOS.Concept))) == model.counts()["concepts"]
    assert len(set(g.subjects(RDF.type, OWL.NamedIndividual))) == model.counts()["instances"]
    props = set(g.subjects(RDF.type, OWL.DatatypeProperty)) | set(g.subjects(RDF.type, OWL.ObjectProperty))
    assert len(props) == model.counts()["attributes"] + model.counts()["associations"]


def test_rdf_enumeration_is_a_skos_scheme() -> None:
    g = Graph().parse(data=FORMATS.writer("rdf")(_small(), {}), format="turtle")
    (scheme,) = g.subjects(RDF.type, SKOS.ConceptScheme)
    notations = {str(g.value(c, SKOS.notation)) for c in g.subjects(SKOS.inScheme, scheme)}
    assert notations == {"00.01", "00.03"}


def test_shacl_shapes_validate_data_and_a_bound_domain_is_exactly_its_codes() -> None:
    from pyshacl import validate

    model = _small()
    bound = {
        "EAID_A2": BoundDomain(
            "kle", __import__("datetime").date(2026, 1, 1), (("00.01", "a"), ("00.05", "b"))
        )
    }
    shapes = Graph().parse(data=FORMATS.writer("shacl")(model, bound), format="turtle")
    m = Namespace("https://data.gov.dk/model/sag#")
    ns = Namespace("https://kodeks.example/models/sag#")
    sag = m.Sag  # the class carries its URI tag
    good, bad = Graph(), Graph()
    for g, code in ((good, "00.05"), (bad, "00.03")):
        s = URIRef("https://example.org/sag/1")
        g.add((s, RDF.type, sag))
        g.add((s, ns.titel, Literal("En titel")))
        g.add((s, ns.emne, Literal(code)))
    assert validate(good, shacl_graph=shapes)[0] is True
    conforms, _graph, text = validate(bad, shacl_graph=shapes)
    assert conforms is False and "00.03" in text
    missing = Graph()
    missing.add((URIRef("https://example.org/sag/2"), RDF.type, sag))
    assert validate(missing, shacl_graph=shapes)[0] is False  # titel is 1..1


def test_json_schema_is_valid_and_follows_multiplicity_and_bindings() -> None:
    import jsonschema

    model = _small()
    bound = {"EAID_A2": BoundDomain("kle", __import__("datetime").date(2026, 1, 1), (("00.01", "a"),))}
    schema = json.loads(FORMATS.writer("jsonschema")(model, bound))
    jsonschema.Draft202012Validator.check_schema(schema)
    sag = schema["$defs"]["Sag"]
    assert sag["required"] == ["titel"]
    assert sag["properties"]["emne"] == {"type": "array", "items": {"enum": ["00.01"]}}
    assert sag["properties"]["part"]["items"] == {"$ref": "#/$defs/Part"}
    assert schema["$defs"]["Part"]["allOf"][0] == {"$ref": "#/$defs/Aktoer"}
    validator = jsonschema.Draft202012Validator({**schema, "$ref": "#/$defs/Sag"})
    assert validator.is_valid({"titel": "x", "emne": ["00.01"]})
    assert not validator.is_valid({"emne": ["00.01"]})
    assert not validator.is_valid({"titel": "x", "emne": ["99"]})


def test_html_report_names_every_class_and_escapes() -> None:
    model = real_model(NEMKONTO)
    html = FORMATS.writer("html")(model, {}).decode()
    assert html.startswith("<!DOCTYPE html>") and "<script" not in html
    for cls in model.classes:
        assert cls.name.replace("&", "&amp;") in html
    assert "borger eller virksomhed som ejer en eller flere konti" in html
