"""Write an export set as SKOS/XKOS triples (Turtle, JSON-LD, RDF/XML), sorted so output is stable.

- The scheme IRI is the classification's canonical URI; a concept is ``<scheme>/<url-quoted code>``.
- Levels are ``xkos:ClassificationLevel`` resources (``<scheme>/level/<n>``, ``xkos:depth``,
  ``skos:member``) listed in the scheme's ``xkos:levels``; versions are ``kodeks:Release`` resources
  (``<scheme>/version/<i>``, ``owl:versionInfo``, ``dct:issued``) linked by ``dct:hasVersion`` with
  ``xkos:follows`` between consecutive versions; the newest also stamps the scheme itself.
- Validity is ``schema:validFrom`` / ``schema:validThrough`` typed ``xsd:date``; ``validThrough`` is
  the first day the item is no longer valid (schema.org: "the date after when the item is not
  valid"), which is Kodeks' exclusive end. ``dct:valid`` is not used: its value format is free text.
- Successors are ``dct:isReplacedBy`` to the successor's concept IRI.
- Every parent is a ``skos:broader`` (with the inverse ``skos:narrower``); ``skos:related`` links,
  definitions and notes with their language (``texts``), ``dct:created`` / ``dct:modified``.
- Groups are ``skos:Collection`` resources ``<scheme>/group/<code>`` with ``skos:notation``, labels,
  ``skos:member`` for nested groups and the current members; an earlier fact names its groups with
  ``kodeks:group`` (their codes).
- Keywords, legal references and properties are small resources under the concept
  (``<concept>/keyword/<i>`` ...) in the ``kodeks:`` vocabulary, with ``kodeks:position`` for order.
- A code with several facts (an export of all time) keeps its newest fact on the concept; earlier
  facts are ``kodeks:Fact`` resources ``<concept>/fact/<start>`` with ``dct:isVersionOf``.
- Blank nodes get fixed labels and triples are sorted before serialising, so the same export
  always gives the same bytes.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterator
from datetime import date
from urllib.parse import quote

import pyoxigraph as ox

from kodeks.domain.codes import natural_key
from kodeks.domain.item import Item
from kodeks.formats import vocab
from kodeks.formats.base import ExportSet
from kodeks.formats.vocab import DCT, KODEKS, OWL, RDF_TYPE, SKOS, XKOS, XSD

Triple = tuple[ox.NamedNode | ox.BlankNode, ox.NamedNode, ox.NamedNode | ox.BlankNode | ox.Literal]

_N = ox.NamedNode


def write_skos(export: ExportSet, fmt: ox.RdfFormat) -> bytes:
    triples = sorted(set(_triples(export)), key=lambda t: (str(t[0]), t[1].value, str(t[2])))
    out = ox.serialize([ox.Triple(*t) for t in triples], format=fmt, prefixes=vocab.PREFIXES)
    assert out is not None
    return out if out.endswith(b"\n") else out + b"\n"


def concept_iri(scheme: str, code: str) -> str:
    return f"{scheme.rstrip('/')}/{quote(code, safe='')}"


def _text(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang and lang != "und" else ox.Literal(value)


def _day(value: date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_N(XSD + "date"))


def _int(value: int) -> ox.Literal:
    return ox.Literal(str(value), datatype=_N(XSD + "integer"))


def _triples(export: ExportSet) -> Iterator[Triple]:
    cls = export.classification
    scheme = _N(cls.canonical_uri)
    base = cls.canonical_uri
    yield scheme, _N(RDF_TYPE), _N(SKOS + "ConceptScheme")
    yield scheme, _N(DCT + "identifier"), _text(cls.id)
    for lang, title in cls.titles.items():
        yield scheme, _N(SKOS + "prefLabel"), _text(title, lang)
    for predicate, value in (
        (DCT + "description", cls.description),
        (DCT + "creator", cls.owner),
        (DCT + "publisher", cls.publisher),
        (DCT + "license", cls.licence),
        (DCT + "source", cls.source_uri),
    ):
        if value is not None:
            yield scheme, _N(predicate), _text(value)
    yield (
        scheme,
        _N(KODEKS + "copyrighted"),
        ox.Literal(str(cls.copyrighted).lower(), datatype=_N(XSD + "boolean")),
    )
    yield scheme, _N(KODEKS + "codeOrder"), _text(str(cls.code_order))
    yield from _versions(export, scheme)
    level_numbers = {level.number for level in export.levels}
    yield from _levels(export, scheme)

    by_code: dict[str, list[Item]] = defaultdict(list)
    for item in export.items:
        by_code[item.code].append(item)
    for code in sorted(by_code, key=natural_key):
        facts = sorted(by_code[code], key=lambda i: (i.valid.start is not None, i.valid.start or date.min))
        concept = _N(concept_iri(base, code))
        current = facts[-1]
        yield concept, _N(RDF_TYPE), _N(SKOS + "Concept")
        yield concept, _N(SKOS + "notation"), _text(code)
        yield concept, _N(SKOS + "inScheme"), scheme
        if current.parent is None:
            yield concept, _N(SKOS + "topConceptOf"), scheme
            yield scheme, _N(SKOS + "hasTopConcept"), concept
        for parent in current.parents:
            yield _N(concept_iri(base, parent)), _N(SKOS + "narrower"), concept
        for group in current.groups:
            yield _N(group_iri(base, group)), _N(SKOS + "member"), concept
        if current.level is not None and current.level in level_numbers:
            yield _N(f"{base}/level/{current.level}"), _N(SKOS + "member"), concept
        elif current.level is not None:
            yield concept, _N(KODEKS + "level"), _int(current.level)
        yield from _item_triples(concept, current, base)
        for fact in facts[:-1]:
            node = _N(f"{concept.value}/fact/{fact.valid.start.isoformat() if fact.valid.start else '-'}")
            yield node, _N(RDF_TYPE), _N(KODEKS + "Fact")
            yield node, _N(DCT + "isVersionOf"), concept
            if fact.level is not None:
                yield node, _N(KODEKS + "level"), _int(fact.level)
            for group in fact.groups:
                yield node, _N(KODEKS + "group"), _text(group)
            yield from _item_triples(node, fact, base)
    yield from _groups(export, base)


def group_iri(scheme: str, code: str) -> str:
    return f"{scheme.rstrip('/')}/group/{quote(code, safe='')}"


def _groups(export: ExportSet, base: str) -> Iterator[Triple]:
    for group in export.groups:
        node = _N(group_iri(base, group.code))
        yield node, _N(RDF_TYPE), _N(SKOS + "Collection")
        yield node, _N(SKOS + "notation"), _text(group.code)
        for lang, title in group.titles.items():
            yield node, _N(SKOS + "prefLabel"), _text(title, lang)
        for sub in group.subgroups:
            yield node, _N(SKOS + "member"), _N(group_iri(base, sub))


def _versions(export: ExportSet, scheme: ox.NamedNode) -> Iterator[Triple]:
    previous: ox.NamedNode | None = None
    for index, version in enumerate(export.versions, start=1):
        node = _N(f"{scheme.value}/version/{index}")
        yield scheme, _N(DCT + "hasVersion"), node
        yield node, _N(RDF_TYPE), _N(KODEKS + "Release")
        yield node, _N(OWL + "versionInfo"), _text(version.label)
        yield node, _N(DCT + "issued"), _day(version.release_date)
        if previous is not None:
            yield node, _N(XKOS + "follows"), previous
        previous = node
    if export.versions:
        latest = export.versions[-1]
        yield scheme, _N(OWL + "versionInfo"), _text(latest.label)
        yield scheme, _N(DCT + "issued"), _day(latest.release_date)


def _levels(export: ExportSet, scheme: ox.NamedNode) -> Iterator[Triple]:
    levels = sorted(export.levels, key=lambda lv: lv.number)
    if not levels:
        return
    yield scheme, _N(XKOS + "numberOfLevels"), _int(len(levels))
    cells = [ox.BlankNode(f"levels{i}") for i in range(len(levels))]
    yield scheme, _N(XKOS + "levels"), cells[0]
    for index, level in enumerate(levels):
        node = _N(f"{scheme.value}/level/{level.number}")
        yield node, _N(RDF_TYPE), _N(XKOS + "ClassificationLevel")
        yield node, _N(XKOS + "depth"), _int(level.number)
        for lang, title in level.titles.items():
            yield node, _N(SKOS + "prefLabel"), _text(title, lang)
        yield cells[index], _N(vocab.RDF_FIRST), node
        yield (
            cells[index],
            _N(vocab.RDF_REST),
            cells[index + 1] if index + 1 < len(cells) else _N(vocab.RDF_NIL),
        )


def _item_triples(node: ox.NamedNode, item: Item, base: str) -> Iterator[Triple]:
    for lang, title in item.titles.items():
        yield node, _N(SKOS + "prefLabel"), _text(title, lang)
    for lang, label in item.alt_titles:
        yield node, _N(SKOS + "altLabel"), _text(label, lang)
    if item.description is not None and not any(
        t.kind == "definition" and t.text == item.description for t in item.texts
    ):  # a description taken from a language-tagged definition is written once, with its language
        yield node, _N(SKOS + "definition"), _text(item.description)
    for note in item.notes:
        yield node, _N(SKOS + "scopeNote"), _text(note)
    for text in item.texts:
        yield node, _N(SKOS + text.kind), _text(text.text, text.lang)
    for parent in item.parents:
        yield node, _N(SKOS + "broader"), _N(concept_iri(base, parent))
    for other in item.related:
        yield node, _N(SKOS + "related"), _N(concept_iri(base, other))
    for predicate, day in ((DCT + "created", item.created), (DCT + "modified", item.modified)):
        if day is not None:
            yield node, _N(predicate), _day(day)
    if item.valid.start is not None:
        yield node, _N(vocab.SCHEMA + "validFrom"), _day(item.valid.start)
    if item.valid.end is not None:
        yield node, _N(vocab.SCHEMA + "validThrough"), _day(item.valid.end)
    for successor in item.replaced_by:
        yield node, _N(DCT + "isReplacedBy"), _N(concept_iri(base, successor))
    if item.uuid is not None:
        yield node, _N(KODEKS + "uuid"), _text(str(item.uuid))
    for index, keyword in enumerate(item.keywords, start=1):
        res = _N(f"{node.value}/keyword/{index}")
        yield node, _N(KODEKS + "keyword"), res
        yield res, _N(KODEKS + "position"), _int(index)
        yield res, _N(KODEKS + "term"), _text(keyword.term)
        if keyword.weight is not None:
            yield res, _N(KODEKS + "weight"), _int(keyword.weight)
    for index, ref in enumerate(item.legal_refs, start=1):
        res = _N(f"{node.value}/legalReference/{index}")
        yield node, _N(KODEKS + "legalReference"), res
        yield res, _N(KODEKS + "position"), _int(index)
        yield res, _N(DCT + "title"), _text(ref.title)
        if ref.reference is not None:
            yield res, _N(KODEKS + "reference"), _text(ref.reference)
    for index, (name, value) in enumerate(sorted(item.properties.items()), start=1):
        res = _N(f"{node.value}/property/{index}")
        yield node, _N(KODEKS + "property"), res
        yield res, _N(KODEKS + "name"), _text(name)
        yield res, _N(KODEKS + "value"), _text(value)
