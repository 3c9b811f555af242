"""A model as RDF (OWL/RDFS for classes and properties, SKOS for concepts and code lists, the FDA
profile's tags as their RDF properties) and as SHACL shapes to validate data against the model.

Tag mapping (the FDA profile names each tag after its RDF property): ``prefLabel``/``altLabel``/
``deprecatedLabel`` -> ``skos:prefLabel``/``skos:altLabel``/``skos:hiddenLabel``, ``definition`` ->
``skos:definition``, ``example`` -> ``skos:example``, ``comment`` -> ``rdfs:comment``, ``label`` ->
``rdfs:label``, ``applicationNote`` -> ``vann:usageNote``, ``source`` -> ``dct:source``,
``legalSource`` -> ``dct:source`` too, ``isDefinedBy`` -> ``rdfs:isDefinedBy``, ``wasDerivedFrom``
-> ``prov:wasDerivedFrom``; language ``(da)``/``(en)`` becomes the literal's language tag.

In SHACL an attribute bound to a registry classification (or typed by an enumeration) gets ``sh:in``
with exactly the codes valid on the export date.
"""

from __future__ import annotations

import re
from collections.abc import Mapping

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, OWL, PROV, RDF, RDFS, SH, SKOS, XSD

from kodeks.domain.models.elements import Tags
from kodeks.domain.models.model import InfoModel
from kodeks.domain.models.valuedomain import BoundDomain
from kodeks.formats.models_turtle import turtle
from kodeks.formats.models_types import element_uri, model_namespace, xsd_type

VANN = Namespace("http://purl.org/vocab/vann/")
_TAG_PROPERTIES = {
    "prefLabel": SKOS.prefLabel,
    "altLabel": SKOS.altLabel,
    "deprecatedLabel": SKOS.hiddenLabel,
    "definition": SKOS.definition,
    "example": SKOS.example,
    "comment": RDFS.comment,
    "label": RDFS.label,
    "applicationNote": VANN.usageNote,
    "source": DCTERMS.source,
    "legalSource": DCTERMS.source,
    "isDefinedBy": RDFS.isDefinedBy,
    "wasDerivedFrom": PROV.wasDerivedFrom,
}
_IRI = re.compile(r"^https?://[^\s<>\"{}|\\^`]+$")
_LANG = re.compile(r"^(\w+) \(([a-z]{2})\)$")


def _tags(g: Graph, subject: URIRef, tags: Tags) -> None:
    for name, value in tags:
        if not value:
            continue
        match = _LANG.match(name)
        key, lang = (match.group(1), match.group(2)) if match else (name, None)
        prop = _TAG_PROPERTIES.get(key)
        if prop is None:
            continue
        if key in ("source", "legalSource", "isDefinedBy", "wasDerivedFrom") and _IRI.match(value):
            g.add((subject, prop, URIRef(value)))
        else:
            g.add((subject, prop, Literal(value, lang=lang)))


def _graph(model: InfoModel) -> tuple[Graph, str]:
    ns = model_namespace(model)
    g = Graph()
    g.bind("owl", OWL)
    g.bind("skos", SKOS)
    g.bind("dct", DCTERMS)
    g.bind("sh", SH)
    g.bind("m", Namespace(ns))
    return g, ns


def uris(model: InfoModel, ns: str) -> dict[str, URIRef]:
    """Every element's URI, by element id (unique: a clash gets the element id appended)."""
    out: dict[str, URIRef] = {}
    seen: set[str] = set()
    elements = [(c.id, c.name, c.tags) for c in model.classes]
    elements += [(a.id, a.name, a.tags) for _, a in model.attributes()]
    elements += [(lit.id, lit.name, lit.tags) for c in model.classes for lit in c.literals]
    elements += [(c.id, c.name, c.tags) for c in model.concepts]
    elements += [(i.id, i.name, i.tags) for i in model.instances]
    elements += [(a.id, a.name or a.target.role or a.id, a.target.tags or a.tags) for a in model.associations]
    for element_id, name, tags in elements:
        uri = element_uri(ns, name, tags, element_id)
        if uri in seen:
            uri = f"{uri}_{re.sub(r'[^A-Za-z0-9]', '', element_id)}"
        seen.add(uri)
        out[element_id] = URIRef(uri)
    return out


def rdf_graph(model: InfoModel) -> Graph:
    g, ns = _graph(model)
    u = uris(model, ns)
    onto = URIRef(ns.rstrip("#/"))
    g.add((onto, RDF.type, OWL.Ontology))
    g.add((onto, RDFS.label, Literal(model.name)))
    if model.version:
        g.add((onto, OWL.versionInfo, Literal(model.version)))
    for cls in model.classes:
        s = u[cls.id]
        if cls.kind == "enumeration":
            g.add((s, RDF.type, SKOS.ConceptScheme))
            for lit in cls.literals:
                g.add((u[lit.id], RDF.type, SKOS.Concept))
                g.add((u[lit.id], SKOS.inScheme, s))
                g.add((u[lit.id], SKOS.notation, Literal(lit.name)))
                if lit.definition:
                    g.add((u[lit.id], SKOS.prefLabel, Literal(lit.definition, lang="da")))
                _tags(g, u[lit.id], lit.tags)
        else:
            g.add((s, RDF.type, OWL.Class))
        g.add((s, RDFS.label, Literal(cls.name)))
        g.add((s, RDFS.isDefinedBy, onto))
        if cls.definition:
            g.add((s, SKOS.definition, Literal(cls.definition, lang="da")))
        _tags(g, s, cls.tags)
        for a in cls.attributes:
            p = u[a.id]
            target = u.get(a.type_ref) if a.type_ref else None
            g.add((p, RDF.type, OWL.ObjectProperty if target is not None else OWL.DatatypeProperty))
            g.add((p, RDFS.label, Literal(a.name)))
            g.add((p, RDFS.domain, s))
            xsd = xsd_type(a.type_name)
            if target is not None:
                g.add((p, RDFS.range, target))
            elif xsd:
                g.add((p, RDFS.range, XSD[xsd]))
            if a.definition:
                g.add((p, SKOS.definition, Literal(a.definition, lang="da")))
            _tags(g, p, a.tags)
    for gen in model.generalizations:
        if gen.specific in u and gen.general in u:
            g.add((u[gen.specific], RDFS.subClassOf, u[gen.general]))
    for assoc in model.associations:
        p = u[assoc.id]
        g.add((p, RDF.type, OWL.ObjectProperty))
        g.add((p, RDFS.label, Literal(assoc.target.role or assoc.name or assoc.id)))
        for end, prop in ((assoc.source, RDFS.domain), (assoc.target, RDFS.range)):
            if end.class_id in u:
                g.add((p, prop, u[end.class_id]))
        if assoc.definition:
            g.add((p, SKOS.definition, Literal(assoc.definition, lang="da")))
        _tags(g, p, assoc.tags + assoc.target.tags)
    for concept in model.concepts:
        s = u[concept.id]
        g.add((s, RDF.type, SKOS.Concept))
        g.add((s, SKOS.prefLabel, Literal(concept.name, lang="da")))
        if concept.definition:
            g.add((s, SKOS.definition, Literal(concept.definition, lang="da")))
        _tags(g, s, concept.tags)
    for inst in model.instances:
        s = u[inst.id]
        g.add((s, RDF.type, OWL.NamedIndividual))
        if inst.classifier in u:
            g.add((s, RDF.type, u[inst.classifier]))
        g.add((s, RDFS.label, Literal(inst.name)))
        _tags(g, s, inst.tags)
    return g


def shacl_graph(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> Graph:
    bound = bound or {}
    g, ns = _graph(model)
    u = uris(model, ns)
    shapes = Namespace(ns.rstrip("#/") + "/shapes#")
    g.bind("shape", shapes)
    enums = {c.id: c for c in model.classes if c.kind == "enumeration"}
    for cls in model.classes:
        if cls.kind in ("enumeration", "primitive"):
            continue
        shape = shapes[u[cls.id].split("#")[-1].split("/")[-1]]
        g.add((shape, RDF.type, SH.NodeShape))
        g.add((shape, SH.targetClass, u[cls.id]))
        g.add((shape, RDFS.label, Literal(cls.name)))
        for a in cls.attributes:
            prop = BNode(f"p_{re.sub(r'[^A-Za-z0-9]', '', a.id)}")
            g.add((shape, SH.property, prop))
            g.add((prop, SH.path, u[a.id]))
            g.add((prop, SH.name, Literal(a.name)))
            if a.multiplicity is not None:
                if a.multiplicity.lower:
                    g.add((prop, SH.minCount, Literal(a.multiplicity.lower)))
                if a.multiplicity.upper is not None:
                    g.add((prop, SH.maxCount, Literal(a.multiplicity.upper)))
            codes: list[str] | None = None
            if a.id in bound:
                codes = [code for code, _ in bound[a.id].codes]
            elif a.type_ref is not None and a.type_ref in bound:
                codes = [code for code, _ in bound[a.type_ref].codes]
            elif a.type_ref is not None and a.type_ref in enums:
                codes = [lit.name for lit in enums[a.type_ref].literals]
            if codes is not None:
                g.add((prop, SH["in"], _rdf_list(g, f"in_{re.sub(r'[^A-Za-z0-9]', '', a.id)}", codes)))
            elif a.type_ref in u:
                g.add((prop, SH["class"], u[a.type_ref]))
            elif xsd_type(a.type_name):
                g.add((prop, SH.datatype, XSD[xsd_type(a.type_name) or "string"]))
    return g


def _rdf_list(g: Graph, name: str, values: list[str]) -> URIRef | BNode:
    """An RDF list with blank nodes named ``{name}_0``, ``{name}_1``, … (stable output)."""
    if not values:
        return RDF.nil
    cells = [BNode(f"{name}_{i}") for i in range(len(values))]
    for i, (cell, value) in enumerate(zip(cells, values, strict=True)):
        g.add((cell, RDF.first, Literal(value)))
        g.add((cell, RDF.rest, cells[i + 1] if i + 1 < len(cells) else RDF.nil))
    return cells[0]


def _turtle(g: Graph) -> bytes:
    return turtle(g)


def write_rdf(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> bytes:
    return _turtle(rdf_graph(model))


def write_shacl(model: InfoModel, bound: Mapping[str, BoundDomain] | None = None) -> bytes:
    return _turtle(shacl_graph(model, bound))
