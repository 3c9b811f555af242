"""Parse RDF bytes with pyoxigraph into a small read-only index (subject, predicate) -> objects.

Parsing streams the triples once into a dict; no triple store is built (that is 2× slower for a
read-once import). Errors become :class:`~kodeks.errors.MalformedInput` naming the file and line.
"""

from __future__ import annotations

import re
from collections import defaultdict
from collections.abc import Iterable
from datetime import date, datetime
from pathlib import PurePath

import pyoxigraph as ox

from kodeks.errors import InvalidContent, MalformedInput
from kodeks.formats import vocab
from kodeks.formats.xml import refuse_entities

Node = ox.NamedNode | ox.BlankNode
Term = ox.NamedNode | ox.BlankNode | ox.Literal | ox.Triple

_BY_EXTENSION = {
    ".ttl": ox.RdfFormat.TURTLE,
    ".turtle": ox.RdfFormat.TURTLE,
    ".nt": ox.RdfFormat.N_TRIPLES,
    ".rdf": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML,
    ".xml": ox.RdfFormat.RDF_XML,
    ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD,
}
_BY_NAME = {
    "turtle": ox.RdfFormat.TURTLE,
    "ttl": ox.RdfFormat.TURTLE,
    "nt": ox.RdfFormat.N_TRIPLES,
    "rdfxml": ox.RdfFormat.RDF_XML,
    "jsonld": ox.RdfFormat.JSON_LD,
}


def rdf_format(data: bytes, source: str, forced: str | None = None) -> ox.RdfFormat:
    """The RDF syntax of a file: forced by name, else by extension, else by its first bytes."""
    if forced:
        if forced not in _BY_NAME:
            raise MalformedInput(
                f"unknown RDF syntax {forced!r}; use one of {', '.join(_BY_NAME)}", source=source
            )
        return _BY_NAME[forced]
    by_ext = _BY_EXTENSION.get(PurePath(source).suffix.lower())
    if by_ext is not None:
        return by_ext
    head = data[:512].lstrip(b"\xef\xbb\xbf \t\r\n")
    if head.startswith((b"<?xml", b"<rdf:RDF")):
        return ox.RdfFormat.RDF_XML
    if head.startswith((b"{", b"[")):
        return ox.RdfFormat.JSON_LD
    return ox.RdfFormat.TURTLE


class Graph:
    """Triples indexed by subject and predicate IRI; objects keep their document order."""

    def __init__(self, triples: Iterable[tuple[Node, str, Term]]) -> None:
        self._out: dict[Node, dict[str, list[Term]]] = {}
        self._inverse: dict[str, dict[Node, list[Node]]] = {}
        for s, p, o in triples:
            self._out.setdefault(s, {}).setdefault(p, []).append(o)

    @classmethod
    def parse(cls, data: bytes, source: str, fmt: ox.RdfFormat) -> Graph:
        _check_bytes(data, source, fmt)
        graph = cls(())
        out = graph._out
        try:
            for s, p, o, _g in ox.parse(data, format=fmt, base_iri=_base(source)):
                by_p = out.get(s)
                if by_p is None:
                    out[s] = {p.value: [o]}
                    continue
                objs = by_p.get(p.value)
                if objs is None:
                    by_p[p.value] = [o]
                else:
                    objs.append(o)
        except SyntaxError as exc:
            location = f"line {exc.lineno}, column {exc.offset}" if exc.lineno else None
            raise MalformedInput(
                f"not valid {fmt.name}: {exc.msg}", source=source, location=location
            ) from exc
        except ValueError as exc:  # JSON-LD errors and the like
            raise MalformedInput(f"not valid {fmt.name}: {exc}", source=source) from exc
        return graph

    def subjects(self) -> Iterable[Node]:
        return self._out.keys()

    def props(self, subject: Node) -> dict[str, list[Term]]:
        """Everything said about ``subject``: predicate IRI -> objects (do not modify)."""
        return self._out.get(subject) or {}

    def objects(self, subject: Node, predicate: str) -> list[Term]:
        by_p = self._out.get(subject)
        return by_p.get(predicate, []) if by_p else []

    def nodes_pointing(self, obj: Node, predicate: str) -> list[Node]:
        """Subjects ``s`` with ``s predicate obj`` (an inverse index, built on first use)."""
        inverse = self._inverse.get(predicate)
        if inverse is None:
            inverse = defaultdict(list)
            for s, by_p in self._out.items():
                for o in by_p.get(predicate, ()):
                    if isinstance(o, ox.NamedNode | ox.BlankNode):
                        inverse[o].append(s)
            self._inverse[predicate] = inverse
        return inverse.get(obj, [])

    def typed(self, rdf_class: str) -> list[Node]:
        node = ox.NamedNode(rdf_class)
        return [s for s, by_p in self._out.items() if node in by_p.get(vocab.RDF_TYPE, ())]

    def nodes(self, subject: Node, predicate: str) -> list[Node]:
        return [o for o in self.objects(subject, predicate) if isinstance(o, ox.NamedNode | ox.BlankNode)]

    def literals(self, subject: Node, predicate: str) -> list[ox.Literal]:
        return [o for o in self.objects(subject, predicate) if isinstance(o, ox.Literal)]

    def rdf_list(self, head: Term) -> list[Term]:
        items: list[Term] = []
        seen: set[Term] = set()
        while (
            isinstance(head, ox.NamedNode | ox.BlankNode) and head.value != vocab.RDF_NIL and head not in seen
        ):
            seen.add(head)
            items.extend(self.objects(head, vocab.RDF_FIRST)[:1])
            rest = self.objects(head, vocab.RDF_REST)
            if not rest:
                break
            head = rest[0]
        return items


def literal_date(literal: ox.Literal, *, source: str, subject: str, what: str) -> date:
    """An ``xsd:date`` or ``xsd:dateTime`` literal (or a plain ISO text) as a date; a plain
    ``dd-mm-yyyy`` text too (DIGST's model-catalogue vocabularies write their dates so)."""
    text = literal.value.strip()
    danish = _DD_MM_YYYY.match(text)
    try:
        if danish:
            return date(int(danish[3]), int(danish[2]), int(danish[1]))
        if "T" in text:
            return datetime.fromisoformat(text.replace("Z", "+00:00")).date()
        return date.fromisoformat(text[:10])
    except ValueError:
        raise InvalidContent(f"{what} {text!r} is not a date", source=source, location=subject) from None


_DD_MM_YYYY = re.compile(r"^(\d{2})-(\d{2})-(\d{4})$")


def lang_of(literal: ox.Literal) -> str:
    """The language tag of a label; ``und`` (undetermined) for a plain literal."""
    return literal.language or "und"


def _base(source: str) -> str:
    return "file:///" + PurePath(source).name


def _check_bytes(data: bytes, source: str, fmt: ox.RdfFormat) -> None:
    if not data.strip():
        raise MalformedInput("file is empty", source=source)
    if fmt is ox.RdfFormat.RDF_XML:
        refuse_entities(data, source)
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data[: exc.start].count(b"\n") + 1
        raise MalformedInput(
            f"not UTF-8 (byte 0x{data[exc.start]:02x}); RDF files must be UTF-8",
            source=source,
            location=f"line {line}",
        ) from None
