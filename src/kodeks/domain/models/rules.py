"""The model rules a machine can check, each with what it rests on, and a report naming every finding.

``RULES`` lists them. ``cites`` says where each rule comes from: the FDA UML profile (the tags and
stereotypes it defines, read from DIGST's own profile file) or the naming convention of the model
rules (UpperCamelCase for classes, lowerCamelCase for attributes and roles; the same convention is
rule 5.7 of the grunddata model rules). Rules about tags and stereotypes apply to models that use the
FDA profile; the others to every model.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Iterator, Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

from kodeks.domain.models.elements import Tags, tag
from kodeks.domain.models.model import InfoModel


@dataclass(frozen=True, slots=True)
class Rule:
    id: str
    title: str
    cites: str


#: Where FDA rule numbers are given, they are the numbers DIGST's own concept-list template gives each
#: tag (``digst_begrebsliste_skabelon.xlsx``, sheet "Feltdefinitioner", column "Regel").
_TEMPLATE = "FDA model rules {} (per DIGST's concept-list template, sheet Feltdefinitioner)"
RULES = (
    Rule(
        "definition",
        "Every class, attribute, concept and enumeration has a definition",
        _TEMPLATE.format("21, 22, 23: definition (da)"),
    ),
    Rule(
        "uri",
        "Every class, attribute and association role of an FDA model has a URI",
        _TEMPLATE.format("16: URI"),
    ),
    Rule(
        "model-metadata",
        "An FDA model states its namespace, version, model status and approval status",
        _TEMPLATE.format("6: namespace, 10: versionInfo, 11: approvalStatus, 12: modelStatus"),
    ),
    Rule(
        "class-name",
        "Class, data type and enumeration names are UpperCamelCase, without spaces",
        "naming convention (grunddata model rules 5.7; the FDA rules' own number is not cited yet)",
    ),
    Rule(
        "attribute-name",
        "Attribute and role names are lowerCamelCase, without spaces",
        "naming convention (grunddata model rules 5.7; the FDA rules' own number is not cited yet)",
    ),
    Rule(
        "stereotype",
        "An FDA model uses only the FDA profile's stereotypes",
        "FDA UML profile (digst_fdaprofile_xmi_uml.xml): its stereotypes",
    ),
    Rule(
        "multiplicity",
        "Every attribute and association role states its multiplicity",
        "UML class diagrams of the model rules (rule number not cited yet)",
    ),
    Rule(
        "duplicate-name",
        "Names are unique: classes within a package, attributes within a class",
        "grunddata model rules 5.7: names are unique within the package (FDA number not cited yet)",
    ),
    Rule(
        "code-list-source",
        "A code list or enumeration names its source (or is bound to a registry classification)",
        _TEMPLATE.format("25: source / legalSource"),
    ),
    Rule(
        "value-domain",
        "A value domain bound to a registry classification refers to one that exists",
        "Kodeks: bindings of attributes to registry classifications",
    ),
)
RULE_BY_ID = {r.id: r for r in RULES}

#: The stereotypes of the FDA profile (checked against the profile file by the tests).
FDA_STEREOTYPES = frozenset(
    {
        "ClassificationModel",
        "Concept",
        "ConceptModel",
        "DKDatatype",
        "DKEgenskab",
        "DKEnumeration",
        "DKKlassifikation",
        "DKKodeliste",
        "DKObjekttype",
        "DatatypeProperty",
        "FunctionalProperty",
        "Identifikation",
        "Individual",
        "InformationModel",
        "InverseFunctionalProperty",
        "LogicalDataModel",
        "Model",
        "ModelElement",
        "ObjectProperty",
        "OwlClass",
        "RdfsClass",
        "RdfsProperty",
        "RdfsResource",
        "Registrering",
        "Status",
        "SymmetricProperty",
        "TransitiveProperty",
        "Virkning",
        "DKDomænemodel",
    }
    | {"ApplicationProfile"}  # DIGST's own models use it for an application profile package
)
_CODE_LIST_STEREOTYPES = frozenset({"DKKlassifikation", "DKKodeliste", "DKEnumeration", "codeList"})
_UPPER = re.compile(r"^[A-ZÆØÅ][A-Za-z0-9ÆØÅæøå]*$")
_LOWER = re.compile(r"^[a-zæøå][A-Za-z0-9ÆØÅæøå]*$")


@dataclass(frozen=True, slots=True)
class Finding:
    rule: str
    element_id: str
    element: str
    message: str


@dataclass(frozen=True)
class CheckReport:
    model_id: str
    findings: tuple[Finding, ...]
    rules: tuple[Rule, ...] = field(default=RULES)

    def broken_rules(self) -> list[str]:
        return sorted({f.rule for f in self.findings})

    def counts(self) -> dict[str, int]:
        return dict(Counter(f.rule for f in self.findings))

    def to_dict(self) -> dict[str, Any]:
        return {
            "model": self.model_id,
            "rules": [asdict(r) for r in self.rules],
            "counts": self.counts(),
            "findings": [asdict(f) for f in self.findings],
        }


def uses_fda_profile(model: InfoModel) -> bool:
    return "FDAprofil" in model.profiles or any(
        s in FDA_STEREOTYPES - {"Model"} for c in model.classes for s in c.stereotypes
    )


def _local_name(name: str) -> str:
    """``nkr:AccountOwner`` -> ``AccountOwner`` (a namespace prefix is not part of the name)."""
    return name.rsplit(":", 1)[-1]


def check(model: InfoModel, bindings: Mapping[str, bool] | None = None) -> CheckReport:
    """``bindings``: bound element id -> whether its classification exists in the registry."""
    bindings = bindings or {}
    return CheckReport(model.id, tuple(_findings(model, bindings)))


def _findings(model: InfoModel, bindings: Mapping[str, bool]) -> Iterator[Finding]:
    fda = uses_fda_profile(model)
    if model.kind == "profile":
        return
    for cls in model.classes:
        label = cls.name
        if not cls.definition:
            yield Finding("definition", cls.id, label, f"{cls.kind} has no definition")
        if cls.kind != "primitive" and not _UPPER.match(_local_name(cls.name)):
            yield Finding("class-name", cls.id, label, "name is not UpperCamelCase")
        if fda:
            yield from _fda_element(cls.id, label, cls.stereotypes, cls.tags, uri=cls.kind != "primitive")
        is_code_list = cls.kind == "enumeration" or bool(_CODE_LIST_STEREOTYPES & set(cls.stereotypes))
        if (
            is_code_list
            and cls.id not in bindings
            and not (tag(cls.tags, "source") or tag(cls.tags, "legalSource"))
        ):
            yield Finding("code-list-source", cls.id, label, "code list names no source and is not bound")
        names = Counter(a.name for a in cls.attributes)
        for a in cls.attributes:
            where = f"{cls.name}.{a.name}"
            if not a.definition:
                yield Finding("definition", a.id, where, "attribute has no definition")
            if not _LOWER.match(_local_name(a.name)):
                yield Finding("attribute-name", a.id, where, "name is not lowerCamelCase")
            if a.multiplicity is None:
                yield Finding("multiplicity", a.id, where, "attribute states no multiplicity")
            if names[a.name] > 1:
                yield Finding(
                    "duplicate-name", a.id, where, f"{names[a.name]} attributes of the class have this name"
                )
            if fda:
                yield from _fda_element(a.id, where, a.stereotypes, a.tags, uri=True)
    per_package = Counter((c.package, c.name) for c in model.classes)
    for cls in model.classes:
        if per_package[(cls.package, cls.name)] > 1:
            yield Finding("duplicate-name", cls.id, cls.name, "another class of the package has this name")
    for concept in model.concepts:
        if not concept.definition:
            yield Finding("definition", concept.id, concept.name, "concept has no definition")
    names_by_id = {e.id: e.name for group in (model.classes, model.concepts, model.instances) for e in group}
    for assoc in model.associations:
        for end in (assoc.source, assoc.target):
            if not end.role:
                continue  # an unnamed end is not navigable: nothing to name or count
            where = f"{names_by_id.get(assoc.source.class_id, '?')} -> {end.role}"
            if end.multiplicity is None:
                yield Finding("multiplicity", end.id, where, "association role states no multiplicity")
            if not _LOWER.match(_local_name(end.role)):
                yield Finding("attribute-name", end.id, where, "role name is not lowerCamelCase")
            if fda and end.tags and not tag(end.tags, "URI"):
                yield Finding("uri", end.id, where, "association role has no URI")
        if fda:
            for s in assoc.stereotypes:
                if s not in FDA_STEREOTYPES:
                    yield Finding(
                        "stereotype",
                        assoc.id,
                        assoc.name or assoc.id,
                        f"stereotype «{s}» is not in the FDA profile",
                    )
    top = next((p for p in model.packages if p.parent is None), None)
    if fda and top is not None:
        for key in ("namespace", "versionInfo", "modelStatus", "approvalStatus"):
            if not tag(top.tags, key):
                yield Finding("model-metadata", top.id, top.name, f"the model states no {key}")
    for pkg in model.packages:
        if fda:
            for s in pkg.stereotypes:
                if s not in FDA_STEREOTYPES:
                    yield Finding(
                        "stereotype", pkg.id, pkg.name, f"stereotype «{s}» is not in the FDA profile"
                    )
    for element_id, exists in sorted(bindings.items()):
        if not exists:
            yield Finding(
                "value-domain", element_id, element_id, "bound to a classification the registry does not hold"
            )


def _fda_element(
    element_id: str, label: str, stereotypes: tuple[str, ...], tags: Tags, *, uri: bool
) -> Iterator[Finding]:
    for s in stereotypes:
        if s not in FDA_STEREOTYPES:
            yield Finding("stereotype", element_id, label, f"stereotype «{s}» is not in the FDA profile")
    if uri and not tag(tags, "URI"):
        yield Finding("uri", element_id, label, "has no URI")
