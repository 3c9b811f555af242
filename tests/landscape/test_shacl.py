"""The SYS-AP export validates against the SHACL shapes derived from the profile (pySHACL), and the
shapes are not vacuous: a graph that breaks them is caught."""

from __future__ import annotations

from importlib import resources

import pytest

from kodeks.domain.landscape.generator import generate
from kodeks.formats import landscape as formats
from kodeks.formats.landscape import sysap
from tests.landscape.test_formats import repaired_example, small_landscape

pyshacl = pytest.importorskip("pyshacl")
rdflib = pytest.importorskip("rdflib")


def shapes() -> object:
    text = (resources.files("kodeks") / "resources" / "sysap-shapes.ttl").read_text(encoding="utf-8")
    return rdflib.Graph().parse(data=text, format="turtle")


def conforms(data: bytes, fmt: str = "turtle") -> tuple[bool, str]:
    graph = rdflib.Graph().parse(data=data, format=fmt)
    ok, _, text = pyshacl.validate(graph, shacl_graph=shapes(), inference="none")
    return bool(ok), str(text)


@pytest.mark.parametrize(
    ("name", "fmt"), [("sysap-ttl", "turtle"), ("sysap-rdfxml", "xml"), ("sysap-jsonld", "json-ld")]
)
def test_the_export_conforms(name: str, fmt: str) -> None:
    solutions, uses = small_landscape()
    ok, text = conforms(formats.writer(name).write(solutions, uses, "https://kodeks.example"), fmt)
    assert ok, text


def test_a_generated_landscape_and_the_real_example_conform() -> None:
    made = generate(["27.24.00", "85.02.10", "17.02.09", "32.18.00"], systems=30, years=3)
    uses = [u for u in made.uses if u.municipality in ("101", "751", "851")]  # pySHACL is slow
    ok, text = conforms(sysap.write(made.solutions, uses, "https://kodeks.example"))
    assert ok, text
    example = formats.read(repaired_example(), "example.ttl")
    ok, text = conforms(sysap.write(example.solutions, example.uses, "https://kodeks.example"))
    assert ok, text


def test_a_graph_breaking_the_shapes_is_caught() -> None:
    bad = b"""@prefix sys: <https://data.gov.dk/model/core/itsystem/> .
    @prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
    <https://x/1> a sys:ITSystem ; sys:inUseFromDate "2020-01-01"^^xsd:string ;
      sys:hasApplicationPurpose <https://example.com/not-a-task> ."""
    ok, text = conforms(bad)
    assert not ok
    assert "prefLabel" in text and "inUseFromDate" in text and "hasApplicationPurpose" in text
