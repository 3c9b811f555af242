"""Writing a sortiment version: a SKOS Collection (Turtle) or a FHIR R4 ValueSet (JSON).

- **SKOS**: ``<base>/sortiment/<id>`` is a ``skos:Collection`` (a ``skos:OrderedCollection`` with a
  ``skos:memberList`` when every entry has a rank) whose members are the source concepts
  (``<scheme>/<code>``, as the SKOS export names them). A member carries ``skos:notation``,
  ``skos:inScheme`` and its title on the date; a local label is ``kodeks:localLabel`` (the concept's
  own ``skos:prefLabel`` stays the source's).
- **FHIR ValueSet** (validated with ``fhir.resources`` R4B): ``compose.include`` per classification with
  the listed codes; a local label is the concept's ``display`` (FHIR: "the text to display ... in the
  context of this value set"); a rank is the ``valueset-conceptOrder`` extension. ``expansion`` lists
  the codes valid on the date; entries that are not valid then are left out of it.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import pyoxigraph as ox
from pydantic import ValidationError

from kodeks.domain.classification import BASE_URI, Classification, classification_uri
from kodeks.domain.local.sortiment import EntryCheck, Sortiment, Status
from kodeks.errors import InvalidRequest
from kodeks.formats import vocab
from kodeks.formats.correspondence_export import Written
from kodeks.formats.skos_write import concept_iri
from kodeks.formats.vocab import DCT, KODEKS, OWL, RDF_FIRST, RDF_NIL, RDF_REST, RDF_TYPE, SKOS

_N = ox.NamedNode
FORMATS = ("skos", "fhir")
CONCEPT_ORDER = "http://hl7.org/fhir/StructureDefinition/valueset-conceptOrder"


def sortiment_uri(sid: str) -> str:
    return f"{BASE_URI}sortiment/{sid}"


def _scheme(cid: str, classes: dict[str, Classification]) -> str:
    found = classes.get(cid)
    return found.canonical_uri if found else classification_uri(cid)


def write(
    s: Sortiment,
    checks: Sequence[EntryCheck],
    classes: dict[str, Classification],
    at: date,
    format: str,
    *,
    expanded_at: datetime,
) -> Written:
    if format == "skos":
        return Written(_skos(s, checks, classes, at), "text/turtle", "ttl")
    if format == "fhir":
        return Written(_fhir(s, checks, classes, at, expanded_at), "application/fhir+json", "json")
    raise InvalidRequest(f"unknown sortiment export format {format!r}; choose one of: {', '.join(FORMATS)}")


def _skos(s: Sortiment, checks: Sequence[EntryCheck], classes: dict[str, Classification], at: date) -> bytes:
    me = _N(sortiment_uri(s.id))
    ordered = bool(checks) and all(c.entry.rank is not None for c in checks)
    kind = "OrderedCollection" if ordered else "Collection"
    triples: list[tuple[Any, Any, Any]] = [
        (me, _N(RDF_TYPE), _N(SKOS + kind)),
        (me, _N(DCT + "identifier"), ox.Literal(s.id)),
        (me, _N(DCT + "creator"), ox.Literal(s.owner)),
        (me, _N(OWL + "versionInfo"), ox.Literal(str(s.version))),
        (me, _N(DCT + "valid"), ox.Literal(at.isoformat())),
    ]
    triples += [
        (me, _N(SKOS + "prefLabel"), ox.Literal(t, language=lang)) for lang, t in sorted(s.titles.items())
    ]
    if s.description:
        triples.append((me, _N(DCT + "description"), ox.Literal(s.description)))
    members: list[ox.NamedNode] = []
    for check in checks:
        e = check.entry
        scheme = _scheme(e.classification, classes)
        concept = _N(concept_iri(scheme, e.code))
        members.append(concept)
        triples += [
            (me, _N(SKOS + "member"), concept),
            (concept, _N(SKOS + "notation"), ox.Literal(e.code)),
            (concept, _N(SKOS + "inScheme"), _N(scheme)),
        ]
        if check.item is not None and check.status is Status.VALID:
            triples += [
                (concept, _N(SKOS + "prefLabel"), ox.Literal(t, language=lang))
                for lang, t in sorted(check.item.titles.items())
            ]
        if e.label:
            triples.append((concept, _N(KODEKS + "localLabel"), ox.Literal(e.label)))
    if ordered:
        nodes = [ox.BlankNode(f"m{i}") for i in range(len(members))]
        triples.append((me, _N(SKOS + "memberList"), nodes[0]))
        for i, (node, member) in enumerate(zip(nodes, members, strict=True)):
            triples += [
                (node, _N(RDF_FIRST), member),
                (node, _N(RDF_REST), nodes[i + 1] if i + 1 < len(nodes) else _N(RDF_NIL)),
            ]
    unique = sorted(set(triples), key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    out = ox.serialize([ox.Triple(*t) for t in unique], format=ox.RdfFormat.TURTLE, prefixes=vocab.PREFIXES)
    assert out is not None
    return out if out.endswith(b"\n") else out + b"\n"


def valueset(
    s: Sortiment,
    checks: Sequence[EntryCheck],
    classes: dict[str, Classification],
    at: date,
    expanded_at: datetime,
) -> dict[str, Any]:
    includes: dict[str, dict[str, Any]] = {}
    contains: list[dict[str, Any]] = []
    for check in checks:
        e = check.entry
        system = _scheme(e.classification, classes)
        include = includes.setdefault(system, {"system": system, "concept": []})
        concept: dict[str, Any] = {"code": e.code}
        if e.label:
            concept["display"] = e.label
        if e.rank is not None:
            concept["extension"] = [{"url": CONCEPT_ORDER, "valueInteger": e.rank}]
        include["concept"].append(concept)
        if check.status is Status.VALID:
            entry: dict[str, Any] = {"system": system, "code": e.code}
            display = e.label or (check.item.title() if check.item else None)
            if display:
                entry["display"] = display
            contains.append(entry)
    resource: dict[str, Any] = {
        "resourceType": "ValueSet",
        "id": s.id,
        "url": sortiment_uri(s.id),
        "version": str(s.version),
        "name": "".join(p.capitalize() for p in s.id.split("-")),
        "title": s.title(),
        "status": "active",
        "publisher": s.owner,
        "date": s.valid_from.isoformat(),
        "compose": {"include": list(includes.values())},
        "expansion": {
            "timestamp": expanded_at.replace(microsecond=0).isoformat() + "Z",
            "total": len(contains),
            "parameter": [{"name": "date", "valueDateTime": at.isoformat()}],
            "contains": contains,
        },
    }
    if s.description:
        resource["description"] = s.description
    if not contains:
        del resource["expansion"]["contains"]
    if not includes:
        del resource["compose"]
    return resource


def _fhir(
    s: Sortiment,
    checks: Sequence[EntryCheck],
    classes: dict[str, Classification],
    at: date,
    expanded_at: datetime,
) -> bytes:
    from fhir.resources.R4B.valueset import ValueSet

    resource = valueset(s, checks, classes, at, expanded_at)
    try:
        ValueSet.model_validate(resource)
    except ValidationError as exc:  # a bug in this writer, not the user's input
        raise ValueError(
            f"the ValueSet written for {s.id} is not valid FHIR R4: {exc.errors()[0]['msg']}"
        ) from exc
    return (json.dumps(resource, ensure_ascii=False, indent=2) + "\n").encode()
