"""The catalog as DCAT-AP-DK: ``dcat:Catalog`` → ``dcat:Dataset`` → ``dcat:Distribution`` (Turtle, JSON-LD,
RDF/XML). Not a classification format: it describes classifications, it does not carry their items.

Mapping of a catalog entry (``kodeks.domain.catalog``) onto a ``dcat:Dataset``:

================  ====================================================================
titles            ``dct:title`` (``@da``, ``@en``)
descriptions      ``dct:description``
publisher, owner  ``dct:publisher``, ``dct:rightsHolder`` (``foaf:Agent`` with ``foaf:name``)
contact           ``dcat:contactPoint`` (``vcard:Organization``: ``fn``, ``hasEmail``, ``hasURL``)
licence, rights   ``dct:license`` (IRI, else a ``dct:LicenseDocument`` with a label), ``dct:rights``
access            ``dct:accessRights`` (EU access-right NAL)
themes            ``dcat:theme`` (EU data-theme NAL)
keywords          ``dcat:keyword`` (``@da``)
subject_area      ``dct:subject`` (a ``skos:Concept`` with a ``skos:prefLabel``)
frequency         ``dct:accrualPeriodicity`` (EU frequency NAL)
status            ``adms:status`` (ADMS status vocabulary)
landing_page      ``dcat:landingPage``
distributions     ``dcat:distribution`` (``dcat:accessURL``, ``dcat:downloadURL``, ``dcat:mediaType``)
related           ``dct:relation`` (entries of this catalog by id, or IRIs)
used_by           ``kodeks:usedBy`` (text: municipalities or systems using it)
version, dates    ``owl:versionInfo``, ``dct:issued``, ``dct:modified``; ``dct:identifier``
================  ====================================================================

Registry entries also get one distribution per Kodeks export format (the export API). The information
models Kodeks holds are datasets of the same catalog, described in the model catalogue's vocabulary
(``kodeks.formats.models_catalogue``: model type, status, approval status), so one harvest sees both.
An entry with a quality declaration attached (``kodeks data quality --catalog-entry``) gets its
measurements as ``dqv:hasQualityMeasurement`` (``formats.dqv``).
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import date

from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, OWL, RDF, RDFS, SKOS, XSD

from kodeks.domain.catalog import CatalogEntry
from kodeks.domain.data.quality import Declaration
from kodeks.domain.models.catalogue import CatalogueEntry
from kodeks.formats import dqv, models_catalogue

ADMS = Namespace("http://www.w3.org/ns/adms#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
KODEKS = Namespace("https://kodeks.dk/ns#")
EU = "http://publications.europa.eu/resource/authority/"
ADMS_STATUS = "http://purl.org/adms/status/"
IANA = "https://www.iana.org/assignments/media-types/"

#: format name → (rdflib serializer, media type, file extension)
FORMATS = {
    "ttl": ("turtle", "text/turtle", "ttl"),
    "jsonld": ("json-ld", "application/ld+json", "jsonld"),
    "rdfxml": ("xml", "application/rdf+xml", "rdf"),
}


@dataclass(frozen=True, slots=True)
class ExportLink:
    """A Kodeks export format a registry classification can be downloaded in."""

    name: str
    media_type: str


def dataset_uri(entry: CatalogEntry, base_url: str) -> URIRef:
    if entry.identifier:
        return URIRef(entry.identifier)
    return URIRef(f"{base_url.rstrip('/')}/api/v1/catalog/entries/{entry.id}")


def catalog_graph(
    entries: Sequence[CatalogEntry],
    base_url: str,
    exports: Sequence[ExportLink] = (),
    models: Sequence[CatalogueEntry] = (),
    quality: Mapping[str, Declaration] | None = None,
) -> Graph:
    base = base_url.rstrip("/")
    g = Graph()
    if models:
        models_catalogue.bind_prefixes(g)
    for prefix, ns in (
        ("dcat", DCAT),
        ("dct", DCTERMS),
        ("foaf", FOAF),
        ("adms", ADMS),
        ("vcard", VCARD),
        ("skos", SKOS),
        ("owl", OWL),
        ("kodeks", KODEKS),
    ):
        g.bind(prefix, ns)
    catalog = URIRef(f"{base}/api/v1/catalog")
    g.add((catalog, RDF.type, DCAT.Catalog))
    g.add((catalog, DCTERMS.title, Literal("Kodeks – klassifikationskatalog", lang="da")))
    g.add((catalog, DCTERMS.title, Literal("Kodeks – catalogue of classifications", lang="en")))
    g.add(
        (
            catalog,
            DCTERMS.description,
            Literal(
                "Klassifikationer, som danske kommuner deler: metadata og links (DCAT-AP-DK).", lang="da"
            ),
        )
    )
    g.add((catalog, DCTERMS.publisher, _agent(g, "Kodeks")))
    g.add((catalog, DCTERMS.language, URIRef(f"{EU}language/DAN")))
    g.add((catalog, FOAF.homepage, URIRef(f"{base}/")))
    modified = max((e.modified for e in entries if e.modified), default=None)
    if modified:
        g.add((catalog, DCTERMS.modified, _date(modified)))
    uris = {e.id: dataset_uri(e, base) for e in entries}
    for entry in entries:
        g.add((catalog, DCAT.dataset, uris[entry.id]))
        _dataset(g, entry, uris, base, exports if entry.kind == "registry" else ())
        declared = (quality or {}).get(entry.id)
        if declared is not None:
            g.bind("dqv", dqv.DQV)
            g += dqv.graph(declared, str(uris[entry.id]))
    models_catalogue.add_datasets(g, catalog, models)
    return g


def serialize(
    entries: Sequence[CatalogEntry],
    fmt: str,
    base_url: str,
    exports: Sequence[ExportLink] = (),
    models: Sequence[CatalogueEntry] = (),
    quality: Mapping[str, Declaration] | None = None,
) -> bytes:
    """The catalog in ``fmt`` (``ttl``, ``jsonld``, ``rdfxml``); ``KeyError`` for another name.
    ``models``: the information models Kodeks holds, as datasets of the same catalog."""
    serializer = FORMATS[fmt][0]
    graph = catalog_graph(entries, base_url, exports, models, quality)
    data = graph.serialize(format=serializer, encoding="utf-8")
    return data if data.endswith(b"\n") else data + b"\n"


def _dataset(
    g: Graph, e: CatalogEntry, uris: dict[str, URIRef], base: str, exports: Sequence[ExportLink]
) -> None:
    ds = uris[e.id]
    g.add((ds, RDF.type, DCAT.Dataset))
    g.add((ds, DCTERMS.identifier, Literal(e.identifier or e.id)))
    for lang, title in sorted(e.titles.items()):
        g.add((ds, DCTERMS.title, Literal(title, lang=lang)))
    for lang, text in sorted(e.descriptions.items()):
        g.add((ds, DCTERMS.description, Literal(text, lang=lang)))
    if e.publisher:
        g.add((ds, DCTERMS.publisher, _agent(g, e.publisher)))
    if e.owner:
        g.add((ds, DCTERMS.rightsHolder, _agent(g, e.owner)))
    if e.contact:
        _contact(g, ds, e)
    if e.licence:
        g.add((ds, DCTERMS.license, _licence(g, e.licence)))
    if e.rights:
        rights = BNode()
        g.add((rights, RDF.type, DCTERMS.RightsStatement))
        g.add((rights, RDFS.label, Literal(e.rights, lang="da")))
        g.add((ds, DCTERMS.rights, rights))
    g.add((ds, DCTERMS.accessRights, URIRef(f"{EU}access-right/{e.access}")))
    for theme in e.themes:
        g.add((ds, DCAT.theme, URIRef(f"{EU}data-theme/{theme}")))
    for keyword in e.keywords:
        g.add((ds, DCAT.keyword, Literal(keyword, lang="da")))
    if e.subject_area:
        subject = BNode()
        g.add((subject, RDF.type, SKOS.Concept))
        g.add((subject, SKOS.prefLabel, Literal(e.subject_area, lang="da")))
        g.add((ds, DCTERMS.subject, subject))
    if e.frequency:
        g.add((ds, DCTERMS.accrualPeriodicity, URIRef(f"{EU}frequency/{e.frequency}")))
    g.add((ds, ADMS.status, URIRef(f"{ADMS_STATUS}{e.status}")))
    if e.landing_page:
        g.add((ds, DCAT.landingPage, URIRef(e.landing_page)))
    for related in e.related:
        target = uris.get(related) or (
            URIRef(related) if related.startswith(("http://", "https://")) else None
        )
        if target is not None:
            g.add((ds, DCTERMS.relation, target))
        else:
            g.add((ds, KODEKS.relatedName, Literal(related)))
    for user in e.used_by:
        g.add((ds, KODEKS.usedBy, Literal(user)))
    if e.version:
        g.add((ds, OWL.versionInfo, Literal(e.version)))
    if e.issued:
        g.add((ds, DCTERMS.issued, _date(e.issued)))
    if e.modified:
        g.add((ds, DCTERMS.modified, _date(e.modified)))
    for d in e.distributions:
        dist = _distribution(g, ds, d.url, d.media_type, d.download)
        if d.title:
            g.add((dist, DCTERMS.title, Literal(d.title, lang="da")))
    for link in exports:
        url = f"{base}/api/v1/classifications/{e.id}/export?format={link.name}"
        dist = _distribution(g, ds, url, link.media_type, True)
        g.add((dist, DCTERMS.title, Literal(f"{e.title()} ({link.name})", lang="da")))


def _distribution(g: Graph, ds: URIRef, url: str, media_type: str | None, download: bool) -> URIRef:
    dist = URIRef(f"{ds}/distribution/{hashlib.sha256(url.encode()).hexdigest()[:16]}")
    g.add((ds, DCAT.distribution, dist))
    g.add((dist, RDF.type, DCAT.Distribution))
    g.add((dist, DCAT.accessURL, URIRef(url)))
    if download:
        g.add((dist, DCAT.downloadURL, URIRef(url)))
    if media_type:
        g.add((dist, DCAT.mediaType, URIRef(IANA + media_type.split(";")[0].strip())))
    return dist


def _agent(g: Graph, name: str) -> BNode:
    agent = BNode()
    g.add((agent, RDF.type, FOAF.Agent))
    g.add((agent, FOAF.name, Literal(name)))
    return agent


def _contact(g: Graph, ds: URIRef, e: CatalogEntry) -> None:
    assert e.contact is not None
    card = BNode()
    g.add((card, RDF.type, VCARD.Organization))
    g.add((card, VCARD.fn, Literal(e.contact.name or e.publisher or e.title())))
    if e.contact.email:
        g.add((card, VCARD.hasEmail, URIRef(f"mailto:{e.contact.email}")))
    if e.contact.url:
        g.add((card, VCARD.hasURL, URIRef(e.contact.url)))
    g.add((ds, DCAT.contactPoint, card))


def _licence(g: Graph, licence: str) -> URIRef | BNode:
    if licence.startswith(("http://", "https://")) and " " not in licence:
        return URIRef(licence)
    doc = BNode()
    g.add((doc, RDF.type, DCTERMS.LicenseDocument))
    g.add((doc, RDFS.label, Literal(licence)))
    return doc


def _date(day: date) -> Literal:
    return Literal(day.isoformat(), datatype=XSD.date)
