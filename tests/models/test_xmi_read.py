"""The XMI reader on the real models (counts checked against the files by XPath) and on bad input."""

from __future__ import annotations

import pytest
from lxml import etree

from kodeks.domain.models.elements import Multiplicity
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.models_xmi import read_xmi
from tests.conftest import data_file
from tests.models.conftest import DATAQUALITY, FINT, NEMKONTO, PROFILE, SMALL_XMI, real_model

PE = "{*}packagedElement"


def _uml_counts(relative: str) -> dict[str, int]:
    """Counts straight from the file's UML part (not EA's extension, which repeats elements)."""
    root = etree.parse(str(data_file(relative))).getroot()
    xmi = next(uri for uri in root.nsmap.values() if "/XMI/" in uri)
    model = next(root.iter("{*}Model"))
    t = f"{{{xmi}}}type"

    def count(kind: str) -> int:
        return sum(1 for el in model.iter(PE) if el.get(t) == kind)

    props = [el for el in model.iter("{*}ownedAttribute") if el.getparent().get(t) == "uml:Class"]
    return {
        "packages": count("uml:Package"),
        "classes": count("uml:Class"),
        "associations": count("uml:Association"),
        "generalizations": sum(1 for _ in model.iter("{*}generalization")),
        "plain_attributes": sum(1 for p in props if p.get("association") is None),
        "instances": count("uml:InstanceSpecification"),
    }


def test_fint_counts_match_the_uml_part_of_the_file() -> None:
    model = real_model(FINT)
    expected = _uml_counts(FINT)
    counts = model.counts()
    # SOURCES.md's 454 classes / 101 packages / 126 generalizations also count EA's extension records
    # (202 classes, 52 packages, 4 generalizations): the model itself holds these.
    assert expected == {
        "packages": 49,
        "classes": 252,
        "associations": 330,
        "generalizations": 122,
        "plain_attributes": 378,
        "instances": 0,
    }
    assert counts["packages"] == expected["packages"]
    assert counts["classes"] + counts["enumerations"] + counts["concepts"] == expected["classes"]
    assert counts["associations"] == expected["associations"]
    assert counts["generalizations"] == expected["generalizations"]
    assert counts["attributes"] == expected["plain_attributes"]
    assert model.name == "FINT"
    assert "hovedklasse" in {s for c in model.classes for s in c.stereotypes}
    assert "writable" in {s for _, a in model.attributes() for s in a.stereotypes}


def test_fint_keeps_windows_1252_names_and_documentation() -> None:
    model = real_model(FINT)
    names = {c.name for c in model.classes}
    assert "DokumentStatus" in names
    assert any("ø" in n for n in names)
    status = next(c for c in model.classes if c.name == "DokumentStatus")
    assert status.definition.startswith("Kodeverk for status til et dokument.")
    assert model.package_path(status.package)[-1].name == "Kodeverk"


def test_nemkonto_reads_the_fda_profile() -> None:
    model = real_model(NEMKONTO)
    expected = _uml_counts(NEMKONTO)
    counts = model.counts()
    # the UML part's 12 classes: 8 classes, 3 concepts, and EA's proxy connector (its notation)
    assert counts["classes"] + counts["concepts"] + 1 == expected["classes"] == 12
    assert "ProxyConnector" not in {c.name for c in model.classes}
    assert counts["associations"] == expected["associations"] == 20
    assert counts["instances"] == expected["instances"] == 13
    assert model.kind == "information"
    owner = next(c for c in model.classes if c.name == "nkr:AccountOwner")
    tags = dict(owner.tags)
    assert tags["URI"] == "https://data.gov.dk/model/nemkontoregisteret#AccountOwner"
    assert tags["prefLabel (da)"] == "kontoejer"
    assert owner.definition == "borger eller virksomhed som ejer en eller flere konti i et pengeinsitut"
    assert "ModelElement" in owner.stereotypes
    assert owner.alias == "" or isinstance(owner.alias, str)
    identification = next(a for a in owner.attributes if a.name == "nkr:accountOwnerIdentification")
    assert identification.type_name == "xsd:string"
    assert identification.multiplicity == Multiplicity(1, 1)
    assert {c.name for c in model.concepts} >= {"Class1"}


def test_dataquality_and_the_profile_itself() -> None:
    dq = real_model(DATAQUALITY)
    assert dq.version == "1.0.0"
    assert dq.counts()["instances"] == _uml_counts(DATAQUALITY)["instances"] == 4
    profile = real_model(PROFILE)
    assert profile.kind == "profile"
    stereotypes = {c.name for c in profile.classes}
    assert {"DKObjekttype", "DKEgenskab", "DKKlassifikation", "Concept", "ModelElement"} <= stereotypes
    assert len(stereotypes) == 29


def test_small_model_everything_read() -> None:
    model = read_xmi(SMALL_XMI, "small.xmi", "sag")
    assert model.id == "sag" and model.version == "1.2.0" and model.kind == "information"
    sag = model.class_by_id["EAID_C1"]
    assert sag.definition == "En sag om noget" and sag.alias == "sag"
    assert sag.stereotypes == ("DKObjekttype",)
    titel, emne = sag.attributes
    assert (titel.type_name, str(titel.multiplicity), titel.definition) == ("String", "1", "Sagens titel")
    assert (emne.type_ref, str(emne.multiplicity)) == ("EAID_E1", "0..*")
    (assoc,) = model.associations
    assert (assoc.source.class_id, assoc.target.class_id, assoc.target.role) == ("EAID_C1", "EAID_C2", "part")
    assert str(assoc.target.multiplicity) == "0..*" and assoc.source.multiplicity is None
    assert [lit.name for lit in model.class_by_id["EAID_E1"].literals] == ["00.01", "00.03"]
    assert model.class_by_id["EAID_C3"].abstract
    assert model.counts()["enumerations"] == 1


@pytest.mark.parametrize(
    ("data", "error", "says"),
    [
        (b"", MalformedInput, "empty"),
        (b"<root><a></root>", MalformedInput, "not well-formed"),
        (b"<kle><emne/></kle>", MalformedInput, "not an XMI file"),
        (
            b'<?xml version="1.0"?><!DOCTYPE x [<!ENTITY a "aaaa">]><xmi:XMI xmlns:xmi="http://schema.omg.org/spec/XMI/2.1"/>',
            MalformedInput,
            "entity",
        ),
        (
            b'<!DOCTYPE x SYSTEM "file:///etc/passwd"><xmi:XMI xmlns:xmi="http://schema.omg.org/spec/XMI/2.1"/>',
            MalformedInput,
            "external DTD",
        ),
        (
            SMALL_XMI.replace(b'<type xmi:idref="EAID_E1"/>', b'<type xmi:idref="EAID_GONE"/>'),
            InvalidContent,
            "'emne' (EAID_A2) is typed by EAID_GONE",
        ),
        (SMALL_XMI.replace(b'general="EAID_C3"', b'general="EAID_C9"'), InvalidContent, "EAID_C9"),
        (SMALL_XMI.replace(b'<memberEnd xmi:idref="EAID_src1"/>', b""), InvalidContent, "harPart"),
        (
            SMALL_XMI.replace(
                b'value="*"/>\n          <type xmi:idref="EAID_E1"',
                b'value="x"/>\n          <type xmi:idref="EAID_E1"',
            ),
            InvalidContent,
            "emne",
        ),
    ],
)
def test_bad_input_is_refused_naming_the_problem(data: bytes, error: type[Exception], says: str) -> None:
    with pytest.raises(error) as caught:
        read_xmi(data, "bad.xmi")
    assert says in str(caught.value)


def test_generalization_cycle_is_named() -> None:
    cyclic = SMALL_XMI.replace(
        b'<packagedElement xmi:type="uml:Class" xmi:id="EAID_C3" name="Aktoer" isAbstract="true"/>',
        b'<packagedElement xmi:type="uml:Class" xmi:id="EAID_C3" name="Aktoer" isAbstract="true">'
        b'<generalization xmi:type="uml:Generalization" xmi:id="EAID_G2" general="EAID_C2"/>'
        b"</packagedElement>",
    )
    with pytest.raises(
        InvalidContent, match=r"generalization cycle: .*(Part -> Aktoer -> Part|Aktoer -> Part -> Aktoer)"
    ):
        read_xmi(cyclic, "cycle.xmi")


def test_a_long_generalization_chain_is_no_problem() -> None:
    classes = "".join(
        f'<packagedElement xmi:type="uml:Class" xmi:id="EAID_{i}" name="K{i}">'
        + (f'<generalization xmi:id="EAID_g{i}" general="EAID_{i - 1}"/>' if i else "")
        + "</packagedElement>"
        for i in range(3000)
    )
    data = (
        '<xmi:XMI xmlns:uml="http://www.omg.org/spec/UML/20131001" xmlns:xmi="http://www.omg.org/spec/XMI/20131001">'
        f'<uml:Model name="m"><packagedElement xmi:type="uml:Package" xmi:id="EAPK_1" name="P">{classes}'
        "</packagedElement></uml:Model></xmi:XMI>"
    ).encode()
    model = read_xmi(data, "chain.xmi")
    assert model.counts()["generalizations"] == 2999
