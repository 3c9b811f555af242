"""A quality declaration as a W3C Data Quality Vocabulary (DQV) graph, in Turtle.

The dataset gets ``dqv:hasQualityMeasurement``; each measurement is a ``dqv:QualityMeasurement`` of
a ``dqv:Metric`` that is ``dqv:inDimension`` one of the Danish core dimensions (their URIs are the
model's: ``https://data.gov.dk/model/core/CoreDataQualityDimensions#...``).
"""

from __future__ import annotations

from rdflib import RDF, XSD, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCTERMS, SKOS

from kodeks.domain.data.quality import DIMENSIONS, METRICS, Declaration

DQV = Namespace("http://www.w3.org/ns/dqv#")
METRIC = Namespace("https://kodeks.dk/id/data-quality/metric/")


def graph(declaration: Declaration, dataset_uri: str) -> Graph:
    g = Graph()
    g.bind("dqv", DQV)
    g.bind("dct", DCTERMS)
    g.bind("skos", SKOS)
    dataset = URIRef(dataset_uri)
    for key, metric in METRICS.items():
        node = METRIC[key]
        g.add((node, RDF.type, DQV.Metric))
        g.add((node, DQV.inDimension, URIRef(DIMENSIONS[metric.dimension].uri)))
        g.add((node, SKOS.prefLabel, Literal(metric.da, lang="da")))
        g.add((node, SKOS.prefLabel, Literal(metric.en, lang="en")))
    for i, m in enumerate(declaration.measurements):
        node = URIRef(f"{dataset_uri.rstrip('/')}/quality/{i + 1}")
        g.add((dataset, DQV.hasQualityMeasurement, node))
        g.add((node, RDF.type, DQV.QualityMeasurement))
        g.add((node, DQV.computedOn, dataset))
        g.add((node, DQV.isMeasurementOf, METRIC[m.metric]))
        g.add((node, DQV.value, Literal(round(m.value, 6), datatype=XSD.double)))
        if m.column:
            against = f" against {m.against}" if m.against else ""
            g.add((node, DCTERMS.description, Literal(f"column {m.column}{against}")))
    return g


def turtle(declaration: Declaration, dataset_uri: str) -> str:
    return graph(declaration, dataset_uri).serialize(format="turtle")
