"""SKOS/XKOS format plugins: the ``skos`` importer and the ``ttl``, ``jsonld``, ``rdfxml`` exporters.

Reading is in :mod:`kodeks.formats.skos_read`, writing in :mod:`kodeks.formats.skos_write`; the
kodeks vocabulary for facts SKOS lacks is in :mod:`kodeks.formats.vocab`.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import PurePath

import pyoxigraph as ox

from kodeks.domain.release import Bundle
from kodeks.formats.base import ExportSet, ImportOptions
from kodeks.formats.budget import MEMORY_FACTOR
from kodeks.formats.rdf_graph import Graph, rdf_format
from kodeks.formats.skos_read import read_skos
from kodeks.formats.skos_write import write_skos

_RDF_EXTENSIONS = (".ttl", ".rdf", ".owl", ".jsonld", ".nt")
_SKOS_NS = b"http://www.w3.org/2004/02/skos/core#"


class SkosImporter:
    name = "skos"
    memory_factor = MEMORY_FACTOR[name]  # read whole: refused over the memory budget
    description = "SKOS/XKOS concept schemes in Turtle, RDF/XML, JSON-LD or N-Triples (one bundle per scheme)"
    extensions = _RDF_EXTENSIONS

    def sniff(self, head: bytes, filename: str) -> int:
        suffix = PurePath(filename).suffix.lower()
        has_skos = _SKOS_NS in head
        if suffix in _RDF_EXTENSIONS:
            return 90 if has_skos else 40
        if not has_skos:
            return 0
        text = head.lstrip(b"\xef\xbb\xbf \t\r\n")
        if b"rdf:RDF" in head or b"@prefix" in head or b"PREFIX" in head:
            return 80
        if text.startswith((b"{", b"[")) and b'"@context"' in head:
            return 80
        return 10

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        graph = Graph.parse(data, source, rdf_format(data, source, options.options.get("rdf_format")))
        return read_skos(graph, source, options)


@dataclass(frozen=True)
class SkosExporter:
    name: str
    media_type: str
    extension: str
    rdf: ox.RdfFormat
    dated = False  # the bytes do not carry the export's day (``services.exporting``)

    def write(self, export: ExportSet, options: dict[str, str] | None = None) -> bytes:
        return write_skos(export, self.rdf)


IMPORTERS = [SkosImporter()]
EXPORTERS = [
    SkosExporter("ttl", "text/turtle", ".ttl", ox.RdfFormat.TURTLE),
    SkosExporter("jsonld", "application/ld+json", ".jsonld", ox.RdfFormat.JSON_LD),
    SkosExporter("rdfxml", "application/rdf+xml", ".rdf", ox.RdfFormat.RDF_XML),
]
