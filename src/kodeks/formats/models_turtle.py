"""Turtle for the model writers: the triples are built with rdflib (its namespaces and terms) and
written by pyoxigraph, sorted, which is stable and many times faster than rdflib's Turtle writer on
a large model. Blank nodes must carry deterministic ids (the writers name them)."""

from __future__ import annotations

import pyoxigraph as ox
from rdflib import BNode, Graph, Literal, URIRef
from rdflib.term import Node


def _term(node: Node) -> ox.NamedNode | ox.BlankNode | ox.Literal:
    if isinstance(node, URIRef):
        return ox.NamedNode(str(node))
    if isinstance(node, BNode):
        return ox.BlankNode(str(node))
    if isinstance(node, Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        if node.datatype is not None:
            return ox.Literal(str(node), datatype=ox.NamedNode(str(node.datatype)))
        return ox.Literal(str(node))
    raise TypeError(f"unexpected RDF term {node!r}")


def turtle(g: Graph) -> bytes:
    triples = sorted(
        (ox.Triple(_term(s), _term(p), _term(o)) for s, p, o in g),  # type: ignore[arg-type]
        key=lambda t: (str(t.subject), str(t.predicate), str(t.object)),
    )
    used = {str(t) for triple in triples for t in (triple.subject, triple.predicate, triple.object)}
    uris = {u[1:-1] for u in used if u.startswith("<")} | {
        u.rsplit("^^<", 1)[1][:-1] for u in used if "^^<" in u
    }
    prefixes = {
        prefix: str(ns)
        for prefix, ns in sorted(g.namespaces())
        if prefix and prefix != "xml" and any(u.startswith(str(ns)) for u in uris)
    }
    out = ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes)
    assert out is not None
    return out.rstrip(b"\n") + b"\n"
