"""RDF vocabularies the SKOS format speaks, and the small ``kodeks:`` vocabulary for what SKOS/XKOS lack.

``kodeks:`` (``https://kodeks.dk/ns#``) carries Kodeks facts that have no SKOS, XKOS, Dublin Core or
schema.org term: the item UUID, keywords with weights, free-form properties, legal references, the
level of an item whose level has no ``xkos:ClassificationLevel``, the copyright flag and code order of a
classification, and the releases (versions) themselves.
"""

from __future__ import annotations

from typing import Final

KODEKS: Final = "https://kodeks.dk/ns#"
SKOS: Final = "http://www.w3.org/2004/02/skos/core#"
XKOS: Final = "http://rdf-vocabulary.ddialliance.org/xkos#"
DCT: Final = "http://purl.org/dc/terms/"
DC: Final = "http://purl.org/dc/elements/1.1/"
SCHEMA: Final = "https://schema.org/"
SCHEMA_HTTP: Final = "http://schema.org/"
RDF: Final = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS: Final = "http://www.w3.org/2000/01/rdf-schema#"
OWL: Final = "http://www.w3.org/2002/07/owl#"
XSD: Final = "http://www.w3.org/2001/XMLSchema#"
FOAF: Final = "http://xmlns.com/foaf/0.1/"
EU_AUTHORITY: Final = "http://publications.europa.eu/ontology/authority/"

RDF_TYPE: Final = RDF + "type"
RDF_FIRST: Final = RDF + "first"
RDF_REST: Final = RDF + "rest"
RDF_NIL: Final = RDF + "nil"

#: Prefixes used when writing Turtle and RDF/XML.
PREFIXES: Final = {
    "dct": DCT,
    "kodeks": KODEKS,
    "owl": OWL,
    "rdf": RDF,
    "rdfs": RDFS,
    "schema": SCHEMA,
    "skos": SKOS,
    "xkos": XKOS,
    "xsd": XSD,
}


def skos(name: str) -> str:
    return SKOS + name


def kodeks(name: str) -> str:
    return KODEKS + name
