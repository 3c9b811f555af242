"""SYS-AP RDF (Turtle, RDF/XML, JSON-LD): read ``sys:ITSystem`` descriptions, write the landscape.

Reading, per ``sys:ITSystem`` node: ``dct:identifier`` (else the name) gives the solution id;
``skos:prefLabel``/``altLabel``, ``dct:description``, ``sys:inUseFromDate``/``inUseUntilDate``,
``sys:hasApplicationPurpose`` (KLE ``…kle-online.dk/emneplan/85/#_85.02.10`` → ``KLE 85.02.10``, FORM
``…form-online.dk/opgavenoegle/65/#65.50.05`` → ``FORM 65.50.05``), ``sys:hasITSystemOwner``,
the supplier (``dct:creator``, else ``dct:rightsHolder``, ``sys:maintainedBy``, ``sys:operatedBy``),
``sys:predecessorSystem``, contracts (``fibo-fnd-agr-ctr:definesTermsFor`` the system, with
``schema:startDate``/``endDate``), data sets (``dct:hasPart``) and, through a
``sys:InstantiatedITSystem`` of it, ``sys:provides``/``producesDataset``/``uses``. Each
``sys:usedInOrganization`` naming a municipality (an IRI ending in its code, or a label) is a use
over ``[inUseFromDate, inUseUntilDate)`` in the status ``sys:operationalStatus`` gives (build →
planned, operational/transition → adopted, retired → phased out).

SYS-AP cannot say *when* each organisation used a system, so Kodeks writes each use also as a
``kodeks:Use`` node (``kodeks:solution``, ``sys:usedInOrganization``, the dates, the status) and reads
such nodes back in place of the plain ``sys:usedInOrganization``. Category and scope are
``kodeks:category`` and ``kodeks:scope``.
"""

from __future__ import annotations

import re
from datetime import date

import pyoxigraph as ox

from kodeks.domain.landscape.bundle import LandscapeBundle, Problem
from kodeks.domain.landscape.model import Contract, Scope, Solution, Status, TaskRef, TaskScheme, Use, slug
from kodeks.domain.landscape.places import komkode, municipality_code
from kodeks.domain.local.municipalities import MUNICIPALITIES
from kodeks.domain.period import Period
from kodeks.errors import MalformedInput
from kodeks.formats.rdf_graph import Graph, Node, rdf_format

SYS = "https://data.gov.dk/model/core/itsystem/"
INFRA = "https://data.gov.dk/model/core/infrastructure/"
DCT = "http://purl.org/dc/terms/"
SKOS = "http://www.w3.org/2004/02/skos/core#"
SCHEMA = "https://schema.org/"
ORG = "http://www.w3.org/ns/org#"
DCAT = "http://www.w3.org/ns/dcat#"
FIBO = "https://spec.edmcouncil.org/fibo/ontology/FND/Agreements/Contracts/"
XSD = "http://www.w3.org/2001/XMLSchema#"
RDF_TYPE = "http://www.w3.org/1999/02/22-rdf-syntax-ns#type"
KODEKS = "https://kodeks.dk/ns/landscape#"
OPSTAT = "https://data.gov.dk/concept/core/operationalstatus/"
MUNICIPALITY_IRI = "https://api.dataforsyningen.dk/kommuner/"
KLE_IRI = "http://www.kle-online.dk/emneplan/"
FORM_IRI = "http://www.form-online.dk/opgavenoegle/"
PREFIXES = {
    "sys": SYS,
    "dct": DCT,
    "skos": SKOS,
    "schema": SCHEMA,
    "org": ORG,
    "dcat": DCAT,
    "xsd": XSD,
    "fibo-fnd-agr-ctr": FIBO,
    "kodeks": KODEKS,
    "infra": INFRA,
}
MAX_BYTES = 50 * 1024 * 1024
_CODE = re.compile(r"(\d{2}(?:\.\d{2}){0,3})/?$")
_STATUS = {
    "build": Status.PLANNED,
    "operational": Status.ADOPTED,
    "transition": Status.ADOPTED,
    "retired": Status.PHASED_OUT,
}
_STATUS_OUT = {Status.PLANNED: "build", Status.ADOPTED: "operational", Status.PHASED_OUT: "retired"}


def task_from_iri(value: str) -> TaskRef | None:
    """``…kle-online.dk/emneplan/85/#_85.02.10`` → ``KLE 85.02.10``; FORM likewise; else ``None``."""
    tail = value.rsplit("#", 1)[-1].lstrip("_") if "#" in value else value
    found = _CODE.search(tail)
    if found is None:
        return None
    lowered = value.lower()
    try:
        if "form-online" in lowered or "/form/" in lowered:
            return TaskRef(TaskScheme.FORM, found.group(1))
        if "kle" in lowered:
            return TaskRef(TaskScheme.KLE, found.group(1))
    except ValueError:
        return None
    return None


def task_iri(ref: TaskRef) -> str:
    if ref.scheme is TaskScheme.FORM:
        return f"{FORM_IRI}{ref.code[:2]}/#{ref.code}"
    return f"{KLE_IRI}{ref.code[:2]}/#_{ref.code}"


class _Reader:
    def __init__(self, graph: Graph, bundle: LandscapeBundle) -> None:
        self.g = graph
        self.b = bundle

    def text(self, node: Node, predicate: str) -> str | None:
        found = self.g.literals(node, predicate)
        if not found:
            return None
        best = next((lit for lit in found if lit.language == "da"), found[0])
        return best.value.strip() or None

    def day(self, node: Node, predicate: str, where: str) -> date | None:
        value = self.text(node, predicate)
        if value is None:
            return None
        try:
            return date.fromisoformat(value[:10])
        except ValueError:
            self.b.notes.append(f"{where}: {predicate.rsplit('/', 1)[-1]} {value!r} is not a date; left out")
            return None

    def label(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str:
        if isinstance(term, ox.Literal):
            return term.value.strip()
        name = self.text(term, SKOS + "prefLabel") or self.text(term, "http://xmlns.com/foaf/0.1/name")
        return name or term.value.rstrip("/").rsplit("/", 1)[-1]

    def agent(self, node: Node, *predicates: str) -> str | None:
        for p in predicates:
            for term in self.g.objects(node, p):
                if isinstance(term, ox.NamedNode | ox.BlankNode | ox.Literal):
                    return self.label(term)[:300] or None
        return None

    def solution_id(self, node: Node) -> str:
        ident = self.text(node, DCT + "identifier")
        if ident and re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,99}", ident):
            return ident
        name = self.text(node, SKOS + "prefLabel")
        return slug(name or ident or node.value.rsplit("/", 1)[-1])

    def organisation(self, term: ox.NamedNode | ox.BlankNode | ox.Literal) -> str | None:
        if isinstance(term, ox.NamedNode):
            code = municipality_code(term.value)
            if code is not None:
                return code
        return municipality_code(self.label(term))


def read(data: bytes, source: str, syntax: str | None = None) -> LandscapeBundle:
    if len(data) > MAX_BYTES:
        from kodeks.errors import InputTooLarge

        raise InputTooLarge(f"more than {MAX_BYTES // 2**20} MiB of RDF", source=source)
    graph = Graph.parse(data, source, rdf_format(data, source, syntax))
    bundle = LandscapeBundle(source, "sysap")
    r = _Reader(graph, bundle)
    systems = graph.typed(SYS + "ITSystem")
    if not systems:
        raise MalformedInput("no sys:ITSystem in the graph: not a SYS-AP description", source=source)
    ids = {node: r.solution_id(node) for node in systems}
    reified = _reified_uses(r, ids)
    for node in systems:
        sid = ids[node]
        where = f"sys:ITSystem {node.value[:120]}"
        try:
            bundle.solutions.append(_solution(r, node, sid, ids, where))
        except ValueError as exc:
            bundle.problems.append(Problem(where, str(exc)))
            continue
        if sid in reified:
            continue
        status = _status(r, node)
        valid = Period(r.day(node, SYS + "inUseFromDate", where), r.day(node, SYS + "inUseUntilDate", where))
        for org in graph.objects(node, SYS + "usedInOrganization"):
            if isinstance(org, ox.Triple):
                continue
            code = r.organisation(org)
            if code is None:
                bundle.problems.append(
                    Problem(where, f"organisation {r.label(org)[:80]!r} is not a Danish municipality")
                )
                continue
            try:
                bundle.uses.append(Use(sid, code, status, valid))
            except ValueError as exc:
                bundle.problems.append(Problem(where, str(exc)))
    for uses in reified.values():
        bundle.uses.extend(uses)
    return bundle


def _status(r: _Reader, node: Node) -> Status:
    for term in r.g.objects(node, SYS + "operationalStatus"):
        if isinstance(term, ox.Triple):
            continue
        tail = term.value.rstrip("/").rsplit("/", 1)[-1].rsplit("#", 1)[-1].lower()
        if tail in _STATUS:
            return _STATUS[tail]
    return Status.ADOPTED


def _purposes(r: _Reader, node: Node, where: str) -> tuple[TaskRef, ...]:
    out: set[TaskRef] = set()
    for term in r.g.objects(node, SYS + "hasApplicationPurpose"):
        if isinstance(term, ox.Triple | ox.BlankNode):
            continue
        ref = task_from_iri(term.value)
        if ref is None:
            r.b.notes.append(
                f"{where}: application purpose {term.value[:100]!r} is not a KLE or FORM task; left out"
            )
        else:
            out.add(ref)
    return tuple(sorted(out))


def _solution(r: _Reader, node: Node, sid: str, ids: dict[Node, str], where: str) -> Solution:
    g = r.g
    predecessor = next(
        (ids.get(p) or slug(p.value.rsplit("/", 1)[-1]) for p in g.nodes(node, SYS + "predecessorSystem")),
        None,
    )
    provides = {p.value for p in g.nodes(node, DCT + "hasPart")}
    uses: set[str] = set()
    for inst in g.nodes_pointing(node, SYS + "instantiationOf"):
        provides.update(
            p.value for p in g.nodes(inst, SYS + "provides") + g.nodes(inst, SYS + "producesDataset")
        )
        uses.update(p.value for p in g.nodes(inst, SYS + "uses"))
    contracts = []
    for c in g.nodes_pointing(node, FIBO + "definesTermsFor"):
        contracts.append(
            Contract(
                id=r.text(c, DCT + "identifier") or c.value,
                supplier=r.agent(c, FIBO + "hasCounterparty"),
                kind=r.agent(c, DCT + "type"),
                start=r.day(c, SCHEMA + "startDate", where),
                end=r.day(c, SCHEMA + "endDate", where),
            )
        )
    scope_text = r.text(node, KODEKS + "scope")
    return Solution(
        id=sid,
        name=r.text(node, SKOS + "prefLabel") or sid,
        scope=Scope(scope_text) if scope_text in {s.value for s in Scope} else Scope.LOCAL,
        category=r.text(node, KODEKS + "category"),
        description=r.text(node, DCT + "description"),
        alt_names=tuple(
            sorted({lit.value.strip() for lit in g.literals(node, SKOS + "altLabel") if lit.value.strip()})
        ),
        owner=r.agent(node, SYS + "hasITSystemOwner"),
        supplier=r.agent(
            node, DCT + "creator", DCT + "rightsHolder", SYS + "maintainedBy", SYS + "operatedBy"
        ),
        predecessor=predecessor,
        uri=node.value if isinstance(node, ox.NamedNode) and not _minted(node.value, sid) else None,
        purposes=_purposes(r, node, where),
        contracts=tuple(sorted(contracts, key=lambda c: c.id)),
        provides=tuple(sorted(provides)),
        uses=tuple(sorted(uses)),
        in_use_from=r.day(node, SYS + "inUseFromDate", where),
        in_use_until=r.day(node, SYS + "inUseUntilDate", where),
    )


def _minted(iri: str, sid: str) -> bool:
    """Whether ``iri`` is one Kodeks made for solution ``sid`` (``solution_iri``): not the source's own."""
    return iri.endswith(f"/landskab/loesninger/{sid}")


def _reified_uses(r: _Reader, ids: dict[Node, str]) -> dict[str, list[Use]]:
    out: dict[str, list[Use]] = {}
    for node in r.g.typed(KODEKS + "Use"):
        where = f"kodeks:Use {node.value[:80]}"
        target = next(iter(r.g.nodes(node, KODEKS + "solution")), None)
        orgs = r.g.objects(node, SYS + "usedInOrganization")
        if target is None or target not in ids or not orgs or isinstance(orgs[0], ox.Triple):
            r.b.problems.append(
                Problem(where, "needs kodeks:solution (a sys:ITSystem here) and sys:usedInOrganization")
            )
            continue
        code = r.organisation(orgs[0])
        if code is None:
            r.b.problems.append(
                Problem(where, f"organisation {r.label(orgs[0])[:80]!r} is not a Danish municipality")
            )
            continue
        try:
            use = Use(
                ids[target],
                code,
                _status(r, node),
                Period(r.day(node, SYS + "inUseFromDate", where), r.day(node, SYS + "inUseUntilDate", where)),
                _purposes(r, node, where),
            )
        except ValueError as exc:
            r.b.problems.append(Problem(where, str(exc)))
            continue
        out.setdefault(ids[target], []).append(use)
    return out


# -- writing ----------------------------------------------------------------------------------------


def _n(iri: str) -> ox.NamedNode:
    return ox.NamedNode(iri)


def _lit(value: str, lang: str | None = None) -> ox.Literal:
    return ox.Literal(value, language=lang) if lang else ox.Literal(value)


def _date(value: date) -> ox.Literal:
    return ox.Literal(value.isoformat(), datatype=_n(XSD + "date"))


def solution_iri(base: str, solution: Solution) -> str:
    return solution.uri or f"{base.rstrip('/')}/landskab/loesninger/{solution.id}"


def triples(solutions: list[Solution], uses: list[Use], base: str) -> list[ox.Triple]:
    """The landscape as SYS-AP triples (plus ``kodeks:Use`` nodes for the periods)."""
    out: list[ox.Triple] = []
    iri = {s.id: _n(solution_iri(base, s)) for s in solutions}
    add = out.append
    a = _n(RDF_TYPE)
    towns: set[str] = set()
    for s in solutions:
        node = iri[s.id]
        add(ox.Triple(node, a, _n(SYS + "ITSystem")))
        add(ox.Triple(node, _n(DCT + "identifier"), _lit(s.id)))
        add(ox.Triple(node, _n(SKOS + "prefLabel"), _lit(s.name, "da")))
        add(ox.Triple(node, _n(KODEKS + "scope"), _lit(s.scope.value)))
        for alt in s.alt_names:
            add(ox.Triple(node, _n(SKOS + "altLabel"), _lit(alt, "da")))
        if s.description:
            add(ox.Triple(node, _n(DCT + "description"), _lit(s.description, "da")))
        if s.category:
            add(ox.Triple(node, _n(KODEKS + "category"), _lit(s.category)))
        if s.owner:
            add(ox.Triple(node, _n(SYS + "hasITSystemOwner"), _lit(s.owner)))
        if s.supplier:
            add(ox.Triple(node, _n(DCT + "creator"), _lit(s.supplier)))
        if s.in_use_from:
            add(ox.Triple(node, _n(SYS + "inUseFromDate"), _date(s.in_use_from)))
        if s.in_use_until:
            add(ox.Triple(node, _n(SYS + "inUseUntilDate"), _date(s.in_use_until)))
        if s.predecessor and s.predecessor in iri:
            add(ox.Triple(node, _n(SYS + "predecessorSystem"), iri[s.predecessor]))
        for ref in s.purposes:
            add(ox.Triple(node, _n(SYS + "hasApplicationPurpose"), _n(task_iri(ref))))
        for part in s.provides:
            add(ox.Triple(node, _n(DCT + "hasPart"), _n(part) if _is_iri(part) else _lit(part)))
        if s.uses:
            inst = _n(f"{iri[s.id].value}/instans")
            add(ox.Triple(inst, a, _n(SYS + "InstantiatedITSystem")))
            add(ox.Triple(inst, _n(SYS + "instantiationOf"), node))
            for used in s.uses:
                add(ox.Triple(inst, _n(SYS + "uses"), _n(used) if _is_iri(used) else _lit(used)))
        for c in s.contracts:
            cn = _n(f"{iri[s.id].value}/kontrakt/{slug(c.id)}")
            add(ox.Triple(cn, a, _n(FIBO + "Contract")))
            add(ox.Triple(cn, _n(DCT + "identifier"), _lit(c.id)))
            add(ox.Triple(cn, _n(FIBO + "definesTermsFor"), node))
            if c.supplier:
                add(ox.Triple(cn, _n(FIBO + "hasCounterparty"), _lit(c.supplier)))
            if c.kind:
                add(ox.Triple(cn, _n(DCT + "type"), _lit(c.kind)))
            if c.start:
                add(ox.Triple(cn, _n(SCHEMA + "startDate"), _date(c.start)))
            if c.end:
                add(ox.Triple(cn, _n(SCHEMA + "endDate"), _date(c.end)))
    counter: dict[tuple[str, str], int] = {}
    for u in sorted(uses, key=lambda u: (u.solution, u.municipality, u.valid.start or date.min)):
        if u.solution not in iri:
            continue
        town = _n(MUNICIPALITY_IRI + komkode(u.municipality))
        towns.add(u.municipality)
        n = counter[(u.solution, u.municipality)] = counter.get((u.solution, u.municipality), 0) + 1
        node = _n(f"{iri[u.solution].value}/anvendelse/{u.municipality}/{n}")
        add(ox.Triple(iri[u.solution], _n(SYS + "usedInOrganization"), town))
        add(ox.Triple(node, a, _n(KODEKS + "Use")))
        add(ox.Triple(node, _n(KODEKS + "solution"), iri[u.solution]))
        add(ox.Triple(node, _n(SYS + "usedInOrganization"), town))
        add(ox.Triple(node, _n(SYS + "operationalStatus"), _n(OPSTAT + _STATUS_OUT[u.status])))
        if u.valid.start:
            add(ox.Triple(node, _n(SYS + "inUseFromDate"), _date(u.valid.start)))
        if u.valid.end:
            add(ox.Triple(node, _n(SYS + "inUseUntilDate"), _date(u.valid.end)))
        for ref in u.purposes:
            add(ox.Triple(node, _n(SYS + "hasApplicationPurpose"), _n(task_iri(ref))))
    for code in sorted(towns):
        town = _n(MUNICIPALITY_IRI + komkode(code))
        add(ox.Triple(town, a, _n(ORG + "Organization")))
        add(ox.Triple(town, _n(SKOS + "prefLabel"), _lit(f"{MUNICIPALITIES[code].name} Kommune", "da")))
        add(
            ox.Triple(
                town,
                _n(ORG + "classification"),
                _n("https://data.gov.dk/concept/core/publicorganizationtype/municipality"),
            )
        )
    return list(dict.fromkeys(out))


def _is_iri(value: str) -> bool:
    return value.startswith(("http://", "https://", "urn:"))


def write(solutions: list[Solution], uses: list[Use], base: str, syntax: str = "turtle") -> bytes:
    fmt = {"turtle": ox.RdfFormat.TURTLE, "rdfxml": ox.RdfFormat.RDF_XML, "jsonld": ox.RdfFormat.JSON_LD}[
        syntax
    ]
    data = ox.serialize(
        triples(solutions, uses, base),
        format=fmt,
        prefixes=PREFIXES if fmt is not ox.RdfFormat.JSON_LD else None,
    )
    assert data is not None
    return data if data.endswith(b"\n") else data + b"\n"
