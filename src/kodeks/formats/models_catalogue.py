"""DIGST's model catalogue (DCAT, RDF/XML) in, the model catalogue as DCAT (Turtle) out.

Each ``dcat:Dataset`` of the catalogue becomes a :class:`CatalogueEntry` with the catalogue's own
vocabulary (``modelcat:modelType``, ``mdl:modelScope``, ``modelcat:modellingRegime``,
``voag:approvalStatus``, ``adms:status``). The file passes the project's entity check first.
"""

from __future__ import annotations

import logging
from collections.abc import Iterable
from urllib.parse import quote

import pyoxigraph as ox
from rdflib import RDF, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL
from rdflib.term import Node

from kodeks.domain.models.catalogue import CatalogueEntry
from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats.models_turtle import turtle
from kodeks.formats.xml import refuse_entities

MODELCAT = Namespace("https://data.gov.dk/model/vocabular/modelcat#")
MDL = Namespace("https://data.gov.dk/model/core/modelling#")
VOAG = Namespace("http://voag.linkedmodel.org/schema/voag#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
OWL_HTTPS = Namespace("https://www.w3.org/2002/07/owl#")  # the catalogue writes owl:versionInfo so


def _texts(g: Graph, s: URIRef, p: URIRef) -> dict[str, str]:
    out: dict[str, str] = {}
    for o in g.objects(s, p):
        if isinstance(o, Literal) and str(o).strip():
            out.setdefault(o.language or "da", str(o).strip())
    return out


def _one(g: Graph, s: Node, *preds: URIRef) -> str:
    for p in preds:
        for o in sorted(g.objects(s, p), key=str):
            if str(o).strip():
                return str(o).strip()
    return ""


def _iri(value: str) -> bool:
    if not value.startswith(("http://", "https://")):
        return False
    try:
        ox.NamedNode(value)
    except ValueError:
        return False
    return True


def read_catalogue(data: bytes, source: str) -> list[CatalogueEntry]:
    if not data.strip():
        raise MalformedInput("file is empty", source=source)
    refuse_entities(data, source)
    g = Graph()
    logging.getLogger("rdflib.term").disabled = True  # the real catalogue has many malformed dates
    try:
        g.parse(data=data, format="xml")
    except Exception as exc:  # rdflib raises many kinds on bad RDF/XML
        raise MalformedInput(f"not readable RDF/XML: {type(exc).__name__}: {exc}", source=source) from None
    finally:
        logging.getLogger("rdflib.term").disabled = False
    entries = []
    for s in sorted(g.subjects(RDF.type, DCAT.Dataset), key=str):
        if not isinstance(s, URIRef):
            continue
        publisher = next(iter(g.objects(s, DCTERMS.publisher)), None)
        entries.append(
            CatalogueEntry(
                uri=str(s),
                titles=_texts(g, s, DCTERMS.title),
                descriptions=_texts(g, s, DCTERMS.description),
                model_type=_one(g, s, MODELCAT.modelType),
                model_scope=_one(g, s, MDL.modelScope, MODELCAT.modelScope),
                modelling_regime=_one(g, s, MODELCAT.modellingRegime),
                status=_one(g, s, ADMS.status),
                approval_status=_one(g, s, VOAG.approvalStatus),
                publisher=_one(g, publisher, FOAF.name) if publisher is not None else "",
                landing_page=_one(g, s, DCAT.landingPage),
                version=_one(g, s, OWL_HTTPS.versionInfo, OWL.versionInfo),
                issued=_one(g, s, DCTERMS.issued),
                keywords=tuple(
                    sorted({str(k).strip() for k in g.objects(s, DCAT.keyword) if str(k).strip()})
                ),
            )
        )
    if not entries:
        raise InvalidContent("the file holds no dcat:Dataset: not a model catalogue", source=source)
    return entries


def bind_prefixes(g: Graph) -> None:
    for prefix, ns in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("modelcat", MODELCAT),
        ("mdl", MDL),
        ("voag", VOAG),
    ):
        g.bind(prefix, ns)


def add_datasets(g: Graph, catalogue: URIRef, entries: Iterable[CatalogueEntry]) -> None:
    """Each entry as a ``dcat:Dataset`` of ``catalogue``, in the model catalogue's vocabulary (the
    classification catalog's DCAT feed adds the models Kodeks holds with this, too)."""
    for e in entries:
        # an entry whose own URI is not an absolute IRI (the real catalogue has one) is named in the
        # catalogue's namespace and keeps its URI as dct:identifier
        s = URIRef(e.uri) if _iri(e.uri) else URIRef(f"{catalogue}#{quote(e.uri, safe='')}")
        g.add((s, DCTERMS.identifier, Literal(e.uri)))
        g.add((catalogue, DCAT.dataset, s))
        g.add((s, RDF.type, DCAT.Dataset))
        for lang, text in sorted(e.titles.items()):
            g.add((s, DCTERMS.title, Literal(text, lang=lang)))
        for lang, text in sorted(e.descriptions.items()):
            g.add((s, DCTERMS.description, Literal(text, lang=lang)))
        for pred, value in (
            (MODELCAT.modelType, e.model_type),
            (MDL.modelScope, e.model_scope),
            (MODELCAT.modellingRegime, e.modelling_regime),
            (ADMS.status, e.status),
            (VOAG.approvalStatus, e.approval_status),
            (DCAT.landingPage, e.landing_page),
        ):
            if _iri(value):
                g.add((s, pred, URIRef(value)))
        if e.version:
            g.add((s, OWL.versionInfo, Literal(e.version)))
        if e.issued:
            g.add((s, DCTERMS.issued, Literal(e.issued)))
        if e.publisher:
            g.add((s, DCTERMS.publisher, Literal(e.publisher)))
        for k in e.keywords:
            g.add((s, DCAT.keyword, Literal(k)))


def write_catalogue(entries: Iterable[CatalogueEntry], catalogue_uri: str) -> bytes:
    g = Graph()
    bind_prefixes(g)
    catalogue = URIRef(catalogue_uri)
    g.add((catalogue, RDF.type, DCAT.Catalog))
    g.add((catalogue, DCTERMS.title, Literal("Kodeks: informationsmodeller", lang="da")))
    add_datasets(g, catalogue, entries)
    return turtle(g)
