"""Read SKOS/XKOS (Turtle, RDF/XML, JSON-LD, N-Triples) into bundles, one per concept scheme.

Mapping decisions (docs: ``docs/formats.md`` § SKOS):

- Every ``skos:ConceptScheme`` that has concepts becomes one bundle. Concepts join a scheme through
  ``skos:inScheme``, ``skos:topConceptOf`` or the scheme's ``skos:hasTopConcept``. Concepts in no scheme
  go to the only scheme of the file, or, when the file has none or several, to a scheme derived from
  the file name. Option ``scheme=<IRI>`` keeps only that scheme.
- The code is the concept's ``skos:notation`` (plain notations before typed ones, then the smallest;
  the others are kept in property ``skos:notation``), else the local name of its IRI (after the last
  ``#`` or ``/``), else the whole IRI. Option ``code=local`` always uses the local name. Two concepts
  with one code in a scheme raise :class:`InvalidContent` naming both IRIs.
- ``skos:prefLabel`` per language → titles (plain literals under ``und``; a second label in one
  language becomes an alt title); ``skos:altLabel`` → alt titles. Every ``skos:definition`` and
  note (``scopeNote``, ``note``, ``example``, ``historyNote``, ``editorialNote``, ``changeNote``)
  is kept with its language in ``texts``; the preferred definition (plain, then Danish, then English)
  is also the description, and plain scope notes are the notes (they are not repeated in ``texts``).
- ``skos:broader`` (and inverse ``skos:narrower``) within the scheme → parents: all of them (a
  polyhierarchy); ``parent`` is the first in natural code order, the others ``other_parents``. Links
  to concepts outside the scheme and self-links are not parents. Cycles are returned as data (the
  import service's ``check_items`` reports them). ``skos:related`` (symmetric) → related codes.
- ``skos:Collection`` / ``skos:OrderedCollection`` (not XKOS levels) holding, at any depth, a concept
  of the scheme → the bundle's groups (code: ``skos:notation``, else the IRI's local name), nested
  collections as subgroups, and each concept's direct collections in ``Item.groups``.
- ``dct:created`` / ``dct:modified`` of a concept → ``created`` / ``modified`` (a value that is not a
  date is kept as text in property ``dct:created`` / ``dct:modified``).
- Levels: XKOS levels or ``kodeks:level`` where the file has them; otherwise the depth from the top
  concepts (1 at the top; in a polyhierarchy through the shallowest parent), except in a file Kodeks
  wrote (its scheme has ``kodeks:codeOrder``): there no level means the registry had none.
- Validity: ``schema:validFrom`` / ``schema:validThrough`` (exclusive end), also the EU authority
  tables' ``at:start.use`` / ``at:end.use``. ``dct:isReplacedBy`` → replaced_by (codes).
- XKOS ``xkos:ClassificationLevel`` (``xkos:depth``, ``skos:member``) → levels and item levels.
- Release: the newest ``kodeks:Release`` of the scheme, else its ``owl:versionInfo`` / ``dct:issued``.
- SKOS has set semantics: alt titles, notes and replaced_by come back sorted.
"""

from __future__ import annotations

import re
import unicodedata
import uuid as uuidlib
from collections import defaultdict
from dataclasses import dataclass, field, replace
from datetime import date
from functools import lru_cache
from pathlib import PurePath
from urllib.parse import unquote

import pyoxigraph as ox

from kodeks.domain.classification import Classification, classification_uri, is_slug
from kodeks.domain.codes import CodeOrder
from kodeks.domain.codes import natural_key as _natural_key
from kodeks.domain.group import Group
from kodeks.domain.hierarchy import depths
from kodeks.domain.item import TEXT_KINDS, Item, Keyword, LangText, LegalReference
from kodeks.domain.period import ALWAYS, Period
from kodeks.domain.release import Bundle, Level, date_shaped
from kodeks.errors import InvalidContent
from kodeks.formats import vocab
from kodeks.formats.base import ImportOptions
from kodeks.formats.rdf_graph import Graph, Node, Term, lang_of, literal_date
from kodeks.formats.vocab import DCT, KODEKS, OWL, SKOS, XKOS

_START = (vocab.SCHEMA + "validFrom", vocab.SCHEMA_HTTP + "validFrom", vocab.EU_AUTHORITY + "start.use")
_END = (vocab.SCHEMA + "validThrough", vocab.SCHEMA_HTTP + "validThrough", vocab.EU_AUTHORITY + "end.use")
_TITLE = (DCT + "title", SKOS + "prefLabel", vocab.RDFS + "label")
_PREFERRED_LANGS = ("und", "da", "en")
natural_key = lru_cache(maxsize=65536)(_natural_key)
_PREF, _ALT, _NOTATION = SKOS + "prefLabel", SKOS + "altLabel", SKOS + "notation"
_BROADER, _NARROWER, _DEFINITION = SKOS + "broader", SKOS + "narrower", SKOS + "definition"
_SCOPE_NOTE, _NOTE, _REPLACED, _DEPRECATED = (
    SKOS + "scopeNote",
    SKOS + "note",
    DCT + "isReplacedBy",
    OWL + "deprecated",
)
_K_PROPERTY, _K_KEYWORD, _K_LEGAL = KODEKS + "property", KODEKS + "keyword", KODEKS + "legalReference"
_K_LEVEL, _K_UUID = KODEKS + "level", KODEKS + "uuid"
_RELATED, _MEMBER, _K_GROUP = SKOS + "related", SKOS + "member", KODEKS + "group"
_CREATED, _MODIFIED = DCT + "created", DCT + "modified"


@dataclass
class _Scheme:
    node: Node | None
    concepts: list[Node] = field(default_factory=list)


def read_skos(graph: Graph, source: str, options: ImportOptions) -> list[Bundle]:
    schemes = _schemes(graph, source, options)
    if options.classification and len(schemes) > 1:
        names = ", ".join(str(s.node) for s in schemes)
        raise InvalidContent(
            f"the file holds {len(schemes)} concept schemes ({names}); choose one with "
            "option scheme=<IRI> when giving a classification id",
            source=source,
        )
    bundles = [_bundle(graph, scheme, source, options) for scheme in schemes]
    ids = [b.classification.id for b in bundles]
    for dup in {i for i in ids if ids.count(i) > 1}:
        raise InvalidContent(f"two concept schemes get the classification id {dup!r}", source=source)
    return bundles


def _schemes(graph: Graph, source: str, options: ImportOptions) -> list[_Scheme]:
    scheme_nodes = graph.typed(SKOS + "ConceptScheme")
    concepts = graph.typed(SKOS + "Concept")
    if not concepts:
        raise InvalidContent("no skos:Concept in the file", source=source)
    by_node = {node: _Scheme(node) for node in scheme_nodes}
    tops: dict[Node, list[Node]] = defaultdict(list)
    for scheme in scheme_nodes:
        for top in graph.nodes(scheme, SKOS + "hasTopConcept"):
            tops[top].append(scheme)
    orphans = _Scheme(None)
    for concept in concepts:
        homes = {
            *graph.nodes(concept, SKOS + "inScheme"),
            *graph.nodes(concept, SKOS + "topConceptOf"),
            *tops.get(concept, ()),
        }
        known = sorted((h for h in homes if h in by_node), key=str)
        if not known and len(by_node) == 1:
            known = list(by_node)
        for home in known:
            by_node[home].concepts.append(concept)
        if not known:
            orphans.concepts.append(concept)
    chosen = [s for s in sorted(by_node.values(), key=lambda s: str(s.node)) if s.concepts]
    if orphans.concepts:
        chosen.append(orphans)
    wanted = options.options.get("scheme")
    if wanted:
        chosen = [s for s in chosen if s.node is not None and s.node.value == wanted]
        if not chosen:
            raise InvalidContent(f"no concept scheme {wanted!r} with concepts in the file", source=source)
    return chosen


def _bundle(graph: Graph, scheme: _Scheme, source: str, options: ImportOptions) -> Bundle:
    cls = _classification(graph, scheme.node, source, options)
    codes = _codes(graph, scheme.concepts, source, options)
    levels, level_of = _levels(graph, scheme, codes)
    base = scheme.node.value if isinstance(scheme.node, ox.NamedNode) else None
    groups, group_codes = _groups(graph, codes, source)
    items = [
        _item(graph, concept, codes, level_of, source, base, groups=group_codes.get(concept, ()))
        for concept in scheme.concepts
    ]
    facts = _facts(graph, codes, level_of, source, base)
    written_by_kodeks = scheme.node is not None and bool(graph.objects(scheme.node, KODEKS + "codeOrder"))
    if not levels and not written_by_kodeks and all(item.level is None for item in (*items, *facts)):
        depth = depths(items)  # no levels in the file: the depth from the top concepts
        items = [replace(item, level=depth.get(item.code)) for item in (*items, *facts)]
    else:
        items += facts
    items.sort(key=lambda i: (natural_key(i.code), i.valid.start is not None, i.valid.start or date.min))
    label, day, said = _release(graph, scheme.node, source)
    return Bundle(
        classification=cls,
        items=tuple(items),
        levels=levels,
        release_label=label,
        release_date=day,
        source=source,
        format="skos",
        date_source=said,
        groups=groups,
    )


def _groups(
    graph: Graph, codes: dict[Node, str], source: str
) -> tuple[tuple[Group, ...], dict[Node, list[str]]]:
    """The collections holding, at any depth, a concept of the scheme, and each concept's groups."""
    levels = set(graph.typed(XKOS + "ClassificationLevel"))
    nodes = [
        n
        for n in dict.fromkeys(graph.typed(SKOS + "Collection") + graph.typed(SKOS + "OrderedCollection"))
        if n not in levels
    ]
    members: dict[Node, list[Node]] = {}
    for node in nodes:
        found = list(graph.nodes(node, _MEMBER))
        for head in graph.objects(node, SKOS + "memberList"):
            found += [m for m in graph.rdf_list(head) if isinstance(m, ox.NamedNode | ox.BlankNode)]
        members[node] = list(dict.fromkeys(found))
    holding: set[Node] = {n for n in nodes if any(m in codes for m in members[n])}
    changed = True
    while changed:
        more = {n for n in nodes if n not in holding and any(m in holding for m in members[n])}
        holding |= more
        changed = bool(more)
    chosen = [n for n in nodes if n in holding]
    group_code: dict[Node, str] = {}
    owner: dict[str, Node] = {}
    for node in chosen:
        notations = sorted(lit.value.strip() for lit in graph.literals(node, _NOTATION) if lit.value.strip())
        local = _local_name(node.value) if isinstance(node, ox.NamedNode) else ""
        code = (notations[0] if notations else local) or str(node)
        if code in owner:
            raise InvalidContent(
                f"group code {code!r} is used by two collections, {owner[code]} and {node}", source=source
            )
        owner[code] = node
        group_code[node] = code
    of_concept: dict[Node, list[str]] = defaultdict(list)
    groups: list[Group] = []
    for node in chosen:
        titles: dict[str, str] = {}
        for lit in sorted(graph.literals(node, _PREF), key=lambda x: x.value):
            titles.setdefault(lang_of(lit), lit.value)
        subgroups = sorted((group_code[m] for m in members[node] if m in group_code), key=natural_key)
        groups.append(Group(group_code[node], titles, tuple(subgroups)))
        for member in members[node]:
            if member in codes:
                of_concept[member].append(group_code[node])
    groups.sort(key=lambda g: natural_key(g.code))
    return tuple(groups), {k: sorted(set(v), key=natural_key) for k, v in of_concept.items()}


def _classification(graph: Graph, node: Node | None, source: str, options: ImportOptions) -> Classification:
    titles: dict[str, str] = {}
    if node is not None:
        for predicate in _TITLE:
            for lit in sorted(graph.literals(node, predicate), key=lambda x: x.value):
                titles.setdefault(lang_of(lit), lit.value)
    slug = options.classification or _slug_for(graph, node, titles, source)
    uri = node.value if isinstance(node, ox.NamedNode) else None
    if uri == classification_uri(slug):
        uri = None

    def text(*predicates: str) -> str | None:
        return _first_text(graph, node, predicates) if node is not None else None

    copyrighted = text(KODEKS + "copyrighted") in ("true", "1")
    order = text(KODEKS + "codeOrder")
    return Classification(
        id=slug,
        titles=titles,
        description=text(DCT + "description", SKOS + "definition", vocab.RDFS + "comment"),
        owner=text(DCT + "creator"),
        publisher=text(DCT + "publisher"),
        licence=text(DCT + "license", "http://creativecommons.org/ns#license"),
        copyrighted=copyrighted,
        source_uri=text(DCT + "source"),
        uri=uri,
        code_order=CodeOrder(order) if order in ("natural", "lexical") else CodeOrder.NATURAL,
    )


def _first_text(graph: Graph, node: Node, predicates: tuple[str, ...]) -> str | None:
    for predicate in predicates:
        values = graph.objects(node, predicate)
        if values:
            lits = [v for v in values if isinstance(v, ox.Literal)]
            if lits:
                return _preferred(lits).value
            named = sorted(v.value for v in values if isinstance(v, ox.NamedNode | ox.BlankNode))
            target = next((v for v in values if isinstance(v, ox.NamedNode | ox.BlankNode)), None)
            label = (
                _first_text(
                    graph,
                    target,
                    ("http://xmlns.com/foaf/0.1/name", SKOS + "prefLabel", vocab.RDFS + "label"),
                )
                if isinstance(target, ox.BlankNode)
                else None
            )
            return label or (named[0] if named else None)
    return None


def _preferred(lits: list[ox.Literal]) -> ox.Literal:
    def rank(lit: ox.Literal) -> tuple[int, str, str]:
        lang = lang_of(lit)
        return (_PREFERRED_LANGS.index(lang) if lang in _PREFERRED_LANGS else 9, lang, lit.value)

    return min(lits, key=rank)


def _slug_for(graph: Graph, node: Node | None, titles: dict[str, str], source: str) -> str:
    candidates: list[str] = []
    if node is not None:
        candidates += [lit.value for lit in graph.literals(node, DCT + "identifier")]
        candidates += [lit.value for lit in graph.literals(node, SKOS + "notation")]
        candidates += [titles[lang] for lang in ("en", "da", "und") if lang in titles]
        candidates += sorted(titles.values())
        if isinstance(node, ox.NamedNode):
            candidates.append(_local_name(node.value))
    candidates.append(PurePath(source).stem)
    for candidate in candidates:
        slug = slugify(candidate)
        if slug and is_slug(slug):
            return slug
    return "skos"


_FOLD = str.maketrans({"æ": "ae", "ø": "oe", "å": "aa", "Æ": "ae", "Ø": "oe", "Å": "aa"})


def slugify(text: str) -> str:
    ascii_text = unicodedata.normalize("NFKD", text.translate(_FOLD)).encode("ascii", "ignore").decode()
    return re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")[:63].strip("-")


def _local_name(iri: str) -> str:
    return unquote(re.split(r"[#/]", iri.rstrip("/#"))[-1]).strip()


def _codes(graph: Graph, concepts: list[Node], source: str, options: ImportOptions) -> dict[Node, str]:
    local = options.options.get("code") == "local"
    codes: dict[Node, str] = {}
    owner: dict[str, Node] = {}
    for concept in concepts:
        notations = sorted(
            graph.literals(concept, SKOS + "notation"),
            key=lambda n: (n.datatype.value != vocab.XSD + "string" or bool(n.language), n.value),
        )
        code = notations[0].value.strip() if notations and not local else ""
        if not code and isinstance(concept, ox.NamedNode):
            code = _local_name(concept.value) or concept.value
        if not code:
            code = str(concept)
        if code in owner:
            raise InvalidContent(
                f"code {code!r} is used by two concepts, {owner[code]} and {concept}"
                + ("" if local else "; try option code=local"),
                source=source,
                location=str(concept),
            )
        owner[code] = concept
        codes[concept] = code
    return codes


def _levels(
    graph: Graph, scheme: _Scheme, codes: dict[Node, str]
) -> tuple[tuple[Level, ...], dict[Node, int]]:
    listed: list[Node] = []
    if scheme.node is not None:
        for head in graph.objects(scheme.node, XKOS + "levels"):
            listed += [n for n in graph.rdf_list(head) if isinstance(n, ox.NamedNode | ox.BlankNode)]
    candidates = listed + [n for n in graph.typed(XKOS + "ClassificationLevel") if n not in listed]
    levels: dict[int, Level] = {}
    level_of: dict[Node, int] = {}
    for position, node in enumerate(candidates, start=1):
        members = [m for m in graph.nodes(node, SKOS + "member") if m in codes]
        if node not in listed and not members:
            continue
        depth_lits = graph.literals(node, XKOS + "depth")
        number = int(depth_lits[0].value) if depth_lits and depth_lits[0].value.isdigit() else position
        titles = {
            lang_of(lit): lit.value
            for lit in sorted(graph.literals(node, SKOS + "prefLabel"), key=lambda x: x.value, reverse=True)
        }
        levels[number] = Level(number, titles)
        for member in members:
            level_of[member] = number
    return tuple(levels[n] for n in sorted(levels)), level_of


def _code_in(node: Node, codes: dict[Node, str], base: str | None) -> str | None:
    """The code of a concept of the scheme, or of an IRI ``<scheme>/<code>`` Kodeks minted."""
    if node in codes:
        return codes[node]
    if base and isinstance(node, ox.NamedNode) and node.value.startswith(base.rstrip("/") + "/"):
        rest = node.value[len(base.rstrip("/")) + 1 :]
        return unquote(rest) if rest and "/" not in rest else None
    return None


def _lits(po: dict[str, list[Term]], predicate: str) -> list[ox.Literal]:
    return [o for o in po.get(predicate, ()) if isinstance(o, ox.Literal)]


def _item(
    graph: Graph,
    node: Node,
    codes: dict[Node, str],
    level_of: dict[Node, int],
    source: str,
    base: str | None,
    code: str | None = None,
    concept: Node | None = None,
    groups: tuple[str, ...] | list[str] = (),
) -> Item:
    concept = concept or node
    code = code or codes[node]
    po = graph.props(node)
    properties: dict[str, str] = {}
    if _K_PROPERTY in po:
        for prop in graph.nodes(node, _K_PROPERTY):
            name = _first_text(graph, prop, (KODEKS + "name",))
            if name is not None:
                properties[name] = _first_text(graph, prop, (KODEKS + "value",)) or ""
    notations = _lits(po, _NOTATION)
    if len(notations) > 1:
        properties.setdefault("skos:notation", "\n".join(sorted(n.value for n in notations)))
    if _DEPRECATED in po and any(lit.value in ("true", "1") for lit in _lits(po, _DEPRECATED)):
        properties.setdefault("owl:deprecated", "true")

    titles: dict[str, str] = {}
    alt: set[tuple[str, str]] = (
        {(lang_of(lit), lit.value) for lit in _lits(po, _ALT)} if _ALT in po else set()
    )
    pref = _lits(po, _PREF)
    if len(pref) > 1:
        pref.sort(key=lambda x: x.value)
    for lit in pref:
        lang = lit.language or "und"
        if lang in titles:
            alt.add((lang, lit.value))
        else:
            titles[lang] = lit.value
    definitions = _lits(po, _DEFINITION)
    description = _preferred(definitions) if definitions else None
    texts: set[LangText] = set()
    notes: set[str] = set()
    for kind in TEXT_KINDS:
        for lit in _lits(po, SKOS + kind):
            lang = lang_of(lit)
            if kind == "scopeNote" and lang == "und":
                notes.add(lit.value)
            elif not (kind == "definition" and lang == "und" and lit == description):
                texts.add(LangText(kind, lang, lit.value))

    broader = {b for b in po.get(_BROADER, ()) if b in codes and b != concept}
    related = {r for r in po.get(_RELATED, ()) if r in codes and r != concept}
    if node is concept:
        broader.update(s for s in graph.nodes_pointing(concept, _NARROWER) if s in codes and s != concept)
        related.update(s for s in graph.nodes_pointing(concept, _RELATED) if s in codes and s != concept)
    else:
        groups = sorted({g.value for g in _lits(po, _K_GROUP)}, key=natural_key)
    parents = sorted((codes[b] for b in broader), key=natural_key)  # type: ignore[index]
    outside = sorted(r.value for r in po.get(_RELATED, ()) if isinstance(r, ox.NamedNode) and r not in codes)
    if outside:
        properties.setdefault("skos:related", "\n".join(outside))
    created = _concept_date(po, _CREATED, "dct:created", properties, source, node)
    modified = _concept_date(po, _MODIFIED, "dct:modified", properties, source, node)

    replaced_by: list[str] = []
    if _REPLACED in po:
        replaced = [(r, _code_in(r, codes, base)) for r in graph.nodes(node, _REPLACED)]
        replaced_by = sorted({c for _, c in replaced if c is not None}, key=natural_key)
        outside = sorted(r.value for r, c in replaced if c is None)
        if outside:
            properties.setdefault("dct:isReplacedBy", "\n".join(outside))

    level_lits = [lit.value for lit in _lits(po, _K_LEVEL) if lit.value.isdigit()]
    level = int(level_lits[0]) if level_lits else level_of.get(concept)
    uuid_lits = _lits(po, _K_UUID)
    try:
        return Item(
            code=code,
            titles=titles,
            level=level,
            parent=parents[0] if parents else None,
            other_parents=tuple(parents[1:]),
            related=tuple(sorted((codes[r] for r in related), key=natural_key)),  # type: ignore[index]
            groups=tuple(groups),
            texts=tuple(sorted(texts, key=lambda t: (TEXT_KINDS.index(t.kind), t.lang, t.text))),
            created=created,
            modified=modified,
            valid=_period(po, node, source),
            uuid=uuidlib.UUID(uuid_lits[0].value) if uuid_lits else None,
            description=description.value if description is not None else None,
            notes=tuple(sorted(notes)),
            alt_titles=tuple(sorted(alt)),
            keywords=tuple(
                Keyword(t, int(w) if w else None)
                for t, w in _structured(graph, node, "keyword", KODEKS + "term", KODEKS + "weight")
            )
            if _K_KEYWORD in po
            else (),
            replaced_by=tuple(replaced_by),
            legal_refs=tuple(
                LegalReference(t, r)
                for t, r in _structured(graph, node, "legalReference", DCT + "title", KODEKS + "reference")
            )
            if _K_LEGAL in po
            else (),
            properties=properties,
        )
    except ValueError as exc:
        raise InvalidContent(str(exc), source=source, location=str(node)) from None


def _concept_date(
    po: dict[str, list[Term]], predicate: str, name: str, properties: dict[str, str], source: str, node: Node
) -> date | None:
    lits = sorted(_lits(po, predicate), key=lambda x: x.value)
    if not lits:
        return None
    try:
        return literal_date(lits[0], source=source, subject=str(node), what=name)
    except InvalidContent:
        properties.setdefault(name, lits[0].value)
        return None


def _structured(graph: Graph, node: Node, name: str, first: str, second: str) -> list[tuple[str, str | None]]:
    out: list[tuple[int, str, str | None]] = []
    for res in graph.nodes(node, KODEKS + name):
        a, b = _first_text(graph, res, (first,)), _first_text(graph, res, (second,))
        pos = _first_text(graph, res, (KODEKS + "position",))
        if a is not None:
            out.append((int(pos) if pos and pos.isdigit() else 0, a, b))
    out.sort(key=lambda t: (t[0], t[1]))
    return [(a, b) for _, a, b in out]


def _period(po: dict[str, list[Term]], node: Node, source: str) -> Period:
    def first(predicates: tuple[str, ...], what: str) -> date | None:
        for predicate in predicates:
            for lit in _lits(po, predicate):
                return literal_date(lit, source=source, subject=str(node), what=what)
        return None

    start, end = first(_START, "valid from"), first(_END, "valid through")
    if start is None and end is None:
        return ALWAYS
    if start is not None and end is not None and end < start:
        raise InvalidContent(
            f"validity ends ({end}) before it starts ({start})", source=source, location=str(node)
        )
    return Period(start, end)


def _facts(
    graph: Graph,
    codes: dict[Node, str],
    level_of: dict[Node, int],
    source: str,
    base: str | None,
) -> list[Item]:
    """Earlier facts of a code, written by Kodeks as ``kodeks:Fact`` resources (``dct:isVersionOf``)."""
    out: list[Item] = []
    for fact in graph.typed(KODEKS + "Fact"):
        for concept in graph.nodes(fact, DCT + "isVersionOf"):
            if concept in codes:
                out.append(
                    _item(graph, fact, codes, level_of, source, base, code=codes[concept], concept=concept)
                )
    return out


def _release(graph: Graph, node: Node | None, source: str) -> tuple[str | None, date | None, str | None]:
    """Label, date and where the date was found: the newest ``dct:hasVersion`` (else the scheme);
    its ``dct:issued``, else ``dct:modified``, else a date-shaped ``owl:versionInfo``."""
    if node is None:
        return None, None, None
    versions = graph.nodes(node, DCT + "hasVersion")
    if versions:
        followed = {f for v in versions for f in graph.nodes(v, XKOS + "follows")}
        latest = [v for v in versions if v not in followed]
        if len(latest) == 1:
            return _dated(graph, latest[0], source)
    found = [_dated(graph, version, source) for version in versions or [node]]
    return max(found, key=lambda t: (t[1] is not None, t[1] or date.min, t[0] or ""))


def _dated(graph: Graph, version: Node, source: str) -> tuple[str | None, date | None, str | None]:
    label = _first_text(graph, version, (OWL + "versionInfo",))
    for name in ("issued", "modified"):
        said = graph.literals(version, DCT + name)
        if said:
            day = literal_date(said[0], source=source, subject=str(version), what=f"dct:{name}")
            return label, day, f"dct:{name}"
    shaped = date_shaped(label)
    return label, shaped, f"owl:versionInfo {label}" if shaped else None
