"""Writing a correspondence: XKOS Correspondence (Turtle), FHIR R4 ConceptMap (JSON), or CSV.

- **XKOS**: an ``xkos:Correspondence`` (``<base>/correspondence/<id>``) that ``xkos:compares`` the two
  schemes and is ``xkos:madeOf`` one ``xkos:ConceptAssociation`` per mapping, with
  ``xkos:sourceConcept`` / ``xkos:targetConcept``. XKOS has no term for a partial mapping or a source
  without counterpart: ``kodeks:partial true`` and ``kodeks:noCounterpart true`` say so.
- **FHIR ConceptMap** (validated with ``fhir.resources`` R4B): one group, one element per source code.
  ``equivalence`` per target: ``inexact`` for a partial mapping; otherwise from the cardinality:
  ``equivalent`` (1:1), ``narrower`` (1:n: each target covers part of the source), ``wider`` (n:1),
  ``relatedto`` (n:m). A source without counterpart has one target with ``unmatched`` and no code.
- **CSV**: ``source,target,partial,note,source_title,target_title`` (the ``pairs`` reader reads it back).

Output is stable: the same correspondence always gives the same bytes, ending in a newline.
"""

from __future__ import annotations

import csv
import io
import json
from collections import Counter, defaultdict
from dataclasses import dataclass
from typing import Any

import pyoxigraph as ox
from pydantic import ValidationError

from kodeks.domain.classification import BASE_URI
from kodeks.domain.local.correspondence import Correspondence, Mapping, cardinality
from kodeks.errors import InvalidRequest
from kodeks.formats import vocab
from kodeks.formats.cells import csv_row
from kodeks.formats.skos_write import concept_iri
from kodeks.formats.vocab import DCT, KODEKS, RDF_TYPE, SCHEMA, SKOS, XKOS, XSD

_N = ox.NamedNode
FORMATS = ("xkos", "fhir", "csv")


@dataclass(frozen=True, slots=True)
class Written:
    content: bytes
    media_type: str
    extension: str


def correspondence_uri(cid: str) -> str:
    return f"{BASE_URI}correspondence/{cid}"


def write(c: Correspondence, format: str, *, source_uri: str, target_uri: str) -> Written:
    """``source_uri``/``target_uri`` are the schemes' canonical URIs (concept IRIs are built on them)."""
    if format == "xkos":
        return Written(_xkos(c, source_uri, target_uri), "text/turtle", "ttl")
    if format == "fhir":
        return Written(_fhir(c, source_uri, target_uri), "application/fhir+json", "json")
    if format == "csv":
        return Written(_csv(c), "text/csv; charset=utf-8", "csv")
    raise InvalidRequest(
        f"unknown correspondence export format {format!r}; choose one of: {', '.join(FORMATS)}"
    )


def _equivalences(mappings: tuple[Mapping, ...]) -> dict[str, str]:
    targets: dict[str, list[str | None]] = defaultdict(list)
    for m in mappings:
        targets[m.source].append(m.target)
    shared = dict(Counter(m.target for m in mappings if m.target is not None))
    names = {"1:1": "equivalent", "1:n": "narrower", "n:1": "wider", "n:m": "relatedto", "1:0": "unmatched"}
    return {s: names[cardinality(ts, shared)] for s, ts in targets.items()}


def _xkos(c: Correspondence, source_uri: str, target_uri: str) -> bytes:
    me = _N(correspondence_uri(c.id))
    triples: list[tuple[Any, Any, Any]] = [
        (me, _N(RDF_TYPE), _N(XKOS + "Correspondence")),
        (me, _N(DCT + "identifier"), ox.Literal(c.id)),
        (me, _N(XKOS + "compares"), _N(source_uri)),
        (me, _N(XKOS + "compares"), _N(target_uri)),
        (me, _N(KODEKS + "sourceScheme"), _N(source_uri)),
        (me, _N(KODEKS + "targetScheme"), _N(target_uri)),
    ]
    triples += [
        (me, _N(SKOS + "prefLabel"), ox.Literal(t, language=lang)) for lang, t in sorted(c.titles.items())
    ]
    for predicate, value in (
        (DCT + "description", c.description),
        (DCT + "creator", c.owner),
        (DCT + "source", c.origin),
    ):
        if value:
            triples.append((me, _N(predicate), ox.Literal(value)))
    for predicate, day in ((SCHEMA + "validFrom", c.valid.start), (SCHEMA + "validThrough", c.valid.end)):
        if day is not None:
            triples.append((me, _N(predicate), ox.Literal(day.isoformat(), datatype=_N(XSD + "date"))))
    for m in c.mappings:
        target = m.target or "-"
        node = _N(f"{correspondence_uri(c.id)}/association/{_seg(m.source)}/{_seg(target)}")
        triples += [
            (me, _N(XKOS + "madeOf"), node),
            (node, _N(RDF_TYPE), _N(XKOS + "ConceptAssociation")),
            (node, _N(XKOS + "sourceConcept"), _N(concept_iri(source_uri, m.source))),
        ]
        if m.target is None:
            triples.append(
                (node, _N(KODEKS + "noCounterpart"), ox.Literal("true", datatype=_N(XSD + "boolean")))
            )
        else:
            triples.append((node, _N(XKOS + "targetConcept"), _N(concept_iri(target_uri, m.target))))
        if m.partial:
            triples.append((node, _N(KODEKS + "partial"), ox.Literal("true", datatype=_N(XSD + "boolean"))))
        if m.note:
            triples.append((node, _N(SKOS + "note"), ox.Literal(m.note)))
    unique = sorted(set(triples), key=lambda t: (str(t[0]), str(t[1]), str(t[2])))
    out = ox.serialize([ox.Triple(*t) for t in unique], format=ox.RdfFormat.TURTLE, prefixes=vocab.PREFIXES)
    assert out is not None
    return out if out.endswith(b"\n") else out + b"\n"


def _seg(code: str) -> str:
    from urllib.parse import quote

    return quote(code, safe="")


def conceptmap(c: Correspondence, source_uri: str, target_uri: str) -> dict[str, Any]:
    kinds = _equivalences(c.mappings)
    elements: dict[str, dict[str, Any]] = {}
    for m in c.mappings:
        element = elements.setdefault(m.source, {"code": m.source, "target": []})
        if m.source_title and "display" not in element:
            element["display"] = m.source_title
        if m.target is None:
            element["target"].append({"equivalence": "unmatched", "comment": m.note or "no counterpart"})
            continue
        target: dict[str, Any] = {"code": m.target}
        if m.target_title:
            target["display"] = m.target_title
        kind = "inexact" if m.partial else kinds[m.source]
        target["equivalence"] = kind
        comments = [
            x
            for x in (
                ("partial correspondence" if m.partial else None),
                (f"{kind}: the source maps to several codes" if kind in ("narrower", "relatedto") else None),
                m.note,
            )
            if x
        ]
        if comments:
            target["comment"] = "; ".join(comments)
        element["target"].append(target)
    group: dict[str, Any] = {"source": source_uri, "target": target_uri, "element": list(elements.values())}
    if c.source.version:
        group["sourceVersion"] = c.source.version
    if c.target.version:
        group["targetVersion"] = c.target.version
    resource: dict[str, Any] = {
        "resourceType": "ConceptMap",
        "id": c.id,
        "url": correspondence_uri(c.id),
        "name": _name(c.id),
        "title": c.title(),
        "status": "active",
        "sourceUri": source_uri,
        "targetUri": target_uri,
        "group": [group],
    }
    if c.owner:
        resource["publisher"] = c.owner
    if c.description:
        resource["description"] = c.description
    return resource


def _name(cid: str) -> str:
    return "".join(part.capitalize() for part in cid.split("-")) or "Correspondence"


def _fhir(c: Correspondence, source_uri: str, target_uri: str) -> bytes:
    from fhir.resources.R4B.conceptmap import ConceptMap

    resource = conceptmap(c, source_uri, target_uri)
    try:
        ConceptMap.model_validate(resource)
    except ValidationError as exc:  # a bug in this writer, not the user's input
        raise ValueError(
            f"the ConceptMap written for {c.id} is not valid FHIR R4: {exc.errors()[0]['msg']}"
        ) from exc
    return (json.dumps(resource, ensure_ascii=False, indent=2) + "\n").encode()


def _csv(c: Correspondence) -> bytes:
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")  # RFC 4180; and a CR in a cell gets quoted
    writer.writerow(["source", "target", "partial", "note", "source_title", "target_title"])
    for m in c.mappings:
        writer.writerow(
            csv_row(
                [
                    m.source,
                    m.target or "",
                    "true" if m.partial else "false",
                    m.note or "",
                    m.source_title or "",
                    m.target_title or "",
                ]
            )
        )
    return buffer.getvalue().encode()
