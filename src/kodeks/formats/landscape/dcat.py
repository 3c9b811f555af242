"""DCAT (Turtle) for the landscape: the data services and distributions systems provide, and the AI
code bank's entries.

* Each IRI a solution provides (``sys:provides``/``producesDataset``/``dct:hasPart``) becomes a
  ``dcat:DataService`` titled by its last path segment, with ``dcat:endpointURL`` when it is an http(s)
  address and ``dct:source`` the system that provides it; the system's supplier is its publisher.
* Each code bank entry becomes a ``dcat:Resource`` (DCAT 3: an algorithm is neither a data set nor a
  service): title, description (purpose), ``dct:subject`` the KLE task, ``dct:license``,
  ``dcat:landingPage`` its repository, ``dcat:contactPoint`` its e-mail, ``dct:publisher`` the
  municipality, and ``kodeks:aiActRisk``, ``kodeks:dpiaStatus``, ``kodeks:inputData``.
"""

from __future__ import annotations

import pyoxigraph as ox

from kodeks.domain.landscape.codebank import CodeBankEntry
from kodeks.domain.landscape.model import Solution
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.formats.landscape.sysap import (
    DCAT,
    DCT,
    KODEKS,
    MUNICIPALITY_IRI,
    RDF_TYPE,
    solution_iri,
    task_iri,
)

VCARD = "http://www.w3.org/2006/vcard/ns#"
FOAF = "http://xmlns.com/foaf/0.1/"


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _t(s: ox.NamedNode | ox.BlankNode, p: str, o: ox.NamedNode | ox.BlankNode | ox.Literal) -> ox.Triple:
    return ox.Triple(s, _n(p), o)


def data_services(solutions: list[Solution], base: str) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for s in solutions:
        for provided in s.provides:
            if not provided.startswith(("http://", "https://", "urn:")):
                continue
            node = _n(provided)
            out.append(_t(node, RDF_TYPE, _n(DCAT + "DataService")))
            out.append(
                _t(node, DCT + "title", ox.Literal(provided.rstrip("/").rsplit("/", 1)[-1] or provided))
            )
            out.append(_t(node, DCT + "source", _n(solution_iri(base, s))))
            if provided.startswith(("http://", "https://")):
                out.append(_t(node, DCAT + "endpointURL", node))
            if s.supplier:
                agent = ox.BlankNode()
                out.append(_t(node, DCT + "publisher", agent))
                out.append(_t(agent, RDF_TYPE, _n(FOAF + "Agent")))
                out.append(_t(agent, FOAF + "name", ox.Literal(s.supplier)))
    return out


def code_bank(entries: list[CodeBankEntry], base: str) -> list[ox.Triple]:
    out: list[ox.Triple] = []
    for e in entries:
        node = _n(f"{base.rstrip('/')}/landskab/kodebank/{e.id}")
        out.append(_t(node, RDF_TYPE, _n(DCAT + "Resource")))
        out.append(_t(node, DCT + "identifier", ox.Literal(e.id)))
        out.append(_t(node, DCT + "title", ox.Literal(e.name, language="da")))
        out.append(_t(node, DCT + "description", ox.Literal(e.purpose, language="da")))
        out.append(_t(node, DCT + "subject", _n(task_iri(e.task))))
        out.append(_t(node, DCT + "license", ox.Literal(e.licence)))
        out.append(_t(node, DCT + "publisher", _n(MUNICIPALITY_IRI + e.owner.zfill(4))))
        out.append(
            _t(
                _n(MUNICIPALITY_IRI + e.owner.zfill(4)),
                FOAF + "name",
                ox.Literal(f"{MUNICIPALITIES[e.owner].name} Kommune", language="da"),
            )
        )
        out.append(_t(node, KODEKS + "aiActRisk", ox.Literal(e.risk.value)))
        out.append(_t(node, KODEKS + "dpiaStatus", ox.Literal(e.dpia.value)))
        out.append(_t(node, KODEKS + "inputData", ox.Literal(e.input_data, language="da")))
        if e.repository:
            out.append(_t(node, DCAT + "landingPage", _n(e.repository)))
        if e.evaluation:
            out.append(_t(node, KODEKS + "evaluation", ox.Literal(e.evaluation, language="da")))
        if e.contact:
            point = ox.BlankNode()
            out.append(_t(node, DCAT + "contactPoint", point))
            out.append(_t(point, RDF_TYPE, _n(VCARD + "Kind")))
            out.append(_t(point, VCARD + "hasEmail", _n("mailto:" + e.contact)))
    return out


def write(solutions: list[Solution], entries: list[CodeBankEntry], base: str) -> bytes:
    triples = data_services(solutions, base) + code_bank(entries, base)
    prefixes = {"dcat": DCAT, "dct": DCT, "kodeks": KODEKS, "vcard": VCARD, "foaf": FOAF}
    data = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes) or b""
    return data if data.endswith(b"\n") else data + b"\n"
