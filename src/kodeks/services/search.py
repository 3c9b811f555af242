"""Search across classifications' items and the catalog.

    result = search(kodeks.uow, kodeks.search_index, SearchQuery("hjemmehjælp", at=date(2024, 1, 1)))
    for hit in result.hits: print(hit.classification_id, hit.code, hit.title, hit.score)

The index finds candidates (all query words; then any word, if that finds too few; codes equal to or
under an asked code); ``kodeks.domain.search_rank`` orders them. Titles come back as plain text:
escaping is the renderer's job. Bad input raises ``InvalidRequest`` (400) or ``NotFound`` (404).
"""

from __future__ import annotations

import heapq
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date

from kodeks.domain.classification import is_slug
from kodeks.domain.codes import natural_key
from kodeks.domain.period import Period
from kodeks.domain.search_rank import score
from kodeks.domain.search_text import AnalysedQuery, QueryTerm, analyse_query, deletions, within_one_edit
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.clock import utcnow
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.search_ports import Candidate, Filters, SearchIndex, SearchIndexOpener, TermGroup

MAX_QUERY_CHARS = 500
MAX_LIMIT = 100
#: Paging reaches the first 1,000 hits (``offset + limit``); the candidate pool grows with the page.
MAX_WINDOW = 1000
#: Candidates the index hands over for ranking: all words matched; then any word, if too few.
CANDIDATES = 60
CANDIDATES_ANY = 40
EXPIRED_FACTOR = 0.6
#: A catalog entry whose id is the query ("kle", "db07") comes first.
NAMED_ENTRY_BONUS = 5.0


@dataclass(frozen=True, slots=True)
class SearchQuery:
    """What to look for. ``at`` defaults to today; ``include_expired`` also finds codes not valid then."""

    text: str
    classification: str | None = None
    level: int | None = None
    at: date | None = None
    include_expired: bool = False
    limit: int = 20
    offset: int = 0


@dataclass(frozen=True, slots=True)
class SearchHit:
    """One result. ``kind`` is ``item`` (a code of ``classification_id``) or ``catalog`` (an entry,
    ``code`` is ``None``). ``valid_at`` tells whether it is valid on the query's date."""

    kind: str
    classification_id: str
    code: str | None
    title: str
    titles: dict[str, str]
    level: int | None
    valid: Period
    valid_at: bool
    score: float
    matched: tuple[str, ...]
    #: where the query matched, best field first: ``code``, ``title``, ``alt``, ``keywords``, ``body``
    #: (body = description, guidance, notes, legal references): why this is a hit
    fields: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class SearchResult:
    query: SearchQuery
    at: date
    hits: tuple[SearchHit, ...]
    #: query word → index terms within one edit that were searched too (a "did you mean" hint)
    corrections: dict[str, tuple[str, ...]] = field(default_factory=dict)
    #: how many codes and catalog entries match in all (``offset`` and ``limit`` page through them)
    total: int = 0
    #: matches per classification id, whatever ``query.classification`` is (to narrow or widen)
    facets: dict[str, int] = field(default_factory=dict)


def validate(query: SearchQuery) -> SearchQuery:
    text = " ".join(query.text.split())
    if not text:
        raise InvalidRequest("the query is empty")
    if len(query.text) > MAX_QUERY_CHARS:
        raise InvalidRequest(
            f"the query is {len(query.text):,} characters; at most {MAX_QUERY_CHARS} are allowed"
        )
    if not 1 <= query.limit <= MAX_LIMIT:
        raise InvalidRequest(f"limit must be between 1 and {MAX_LIMIT}")
    if query.offset < 0 or query.offset + query.limit > MAX_WINDOW:
        raise InvalidRequest(f"offset + limit must be at most {MAX_WINDOW} (offset from 0)")
    if query.level is not None and not 0 <= query.level <= 99:
        raise InvalidRequest("level must be between 0 and 99")
    return SearchQuery(
        text, query.classification, query.level, query.at, query.include_expired, query.limit, query.offset
    )


def search(uow_factory: UnitOfWorkFactory, open_index: SearchIndexOpener, query: SearchQuery) -> SearchResult:
    """Hits ``offset`` to ``offset + limit`` of the ranking, best first, with the total and facets."""
    query = validate(query)
    at = query.at or utcnow().date()
    analysed = analyse_query(query.text)
    filters = Filters(query.classification, query.level, at, query.include_expired)
    with uow_factory() as uow:
        index = open_index(uow)
        cid = query.classification
        if cid is not None and (
            not is_slug(cid) or (not index.knows(cid) and uow.classification(cid, utcnow()) is None)
        ):
            raise NotFound(f"no classification or catalog entry {cid!r}", classification=cid)
        if not analysed.terms:
            return SearchResult(query, at, ())
        fuzzy, known = _near_terms(index, analysed)
        window = query.offset + query.limit
        candidates, groups, match_all = _candidates(index, analysed, fuzzy, known, filters, window)
        facets = index.count_matches(groups, analysed.codes, filters, match_all=match_all)
    hits = _rank(analysed, candidates, fuzzy, at, window)
    corrections = {k: tuple(sorted(v)) for k, v in fuzzy.items() if v}
    # Fewer ranked hits than the window: the ranking saw every match, so it counts them exactly.
    # Otherwise the index counts the matching codes (the ranking only sees the best candidates).
    counted = facets.get(cid, 0) if cid is not None else sum(facets.values())
    total = len(hits) if len(hits) < window else max(counted, window)
    return SearchResult(query, at, tuple(hits[query.offset : window]), corrections, total, facets)


def _near_terms(index: SearchIndex, analysed: AnalysedQuery) -> tuple[dict[str, frozenset[str]], set[str]]:
    """Index terms within one edit of each long query word that the index does not hold as such,
    and which of the query's stems the index holds (as title or keyword words)."""
    wanted = {t.surface: {*t.stems, t.surface} for t in analysed.terms if t.fuzzy}
    keys = {k for forms in wanted.values() for form in forms for k in (deletions(form) | {form})}
    keys |= {s for t in analysed.terms if not t.code for s in t.stems}
    rows = index.term_neighbours(sorted(keys))
    present = {term for variant, term in rows if variant == term}
    out: dict[str, frozenset[str]] = {}
    for surface, forms in wanted.items():
        if forms & present:
            continue
        out[surface] = frozenset(
            term
            for _v, term in rows
            if any(within_one_edit(form, term) for form in forms) and term not in forms
        )
    return out, present


def _candidates(
    index: SearchIndex,
    analysed: AnalysedQuery,
    fuzzy: dict[str, frozenset[str]],
    known: set[str],
    filters: Filters,
    window: int,
) -> tuple[list[Candidate], list[TermGroup], bool]:
    """The candidates to rank, and the word groups and match mode used (for counting)."""
    # A word the index knows is taken as typed; only the last word, or an unknown one, also counts as
    # the start of longer words (typing "byggetil..."): prefixes of common stems are costly to expand.
    last = len(analysed.terms) - 1
    groups = [
        TermGroup(
            t.stems | fuzzy.get(t.surface, frozenset()),
            t.prefixes if i == last or not (t.stems & known) else frozenset(),
        )
        for i, t in enumerate(analysed.terms)
    ]
    groups = [g for g in groups if g.exact or g.prefixes]
    pool = max(CANDIDATES, min(2 * window, 2 * MAX_WINDOW))
    found = index.text_candidates(groups, filters, match_all=True, limit=pool)
    match_all = True
    if len(groups) > 1 and len(found) < max(window, 20):
        found += index.text_candidates(groups, filters, match_all=False, limit=max(CANDIDATES_ANY, pool))
        match_all = False
    if analysed.codes:
        found += index.code_candidates(analysed.codes, filters, limit=pool)
    return found, groups, match_all


def _rank(
    analysed: AnalysedQuery,
    candidates: list[Candidate],
    fuzzy: dict[str, frozenset[str]],
    at: date,
    limit: int,
) -> list[SearchHit]:
    best: dict[tuple[str, str, str | None], SearchHit] = {}
    wanted_ids = {analysed.text.strip().casefold(), "-".join(analysed.text.casefold().split())}
    for c in candidates:
        scored = score(analysed, c.terms, fuzzy, code=c.code, level=c.level, is_catalog=c.kind == "catalog")
        if scored.score <= 0:
            continue
        valid_at = c.valid.contains(at)
        value = scored.score if valid_at else scored.score * EXPIRED_FACTOR
        if c.kind == "catalog" and c.classification_id in wanted_ids:
            value += NAMED_ENTRY_BONUS
        value += min(c.db_rank, 50.0) / 10_000  # ties: the index's own rank
        hit = SearchHit(
            c.kind,
            c.classification_id,
            c.code,
            c.title,
            dict(c.titles),
            c.level,
            c.lifespan or c.valid,
            valid_at,
            round(value, 4),
            tuple(dict.fromkeys(scored.matched)),
            _fields(analysed, c, fuzzy, scored.matched),
        )
        key = (c.kind, c.classification_id, c.code)
        if key not in best or (hit.valid_at, hit.score) > (best[key].valid_at, best[key].score):
            best[key] = hit
    top = heapq.nsmallest(limit, best.values(), key=lambda h: (-h.score, h.classification_id, h.code or ""))
    return sorted(top, key=lambda h: (-h.score, h.classification_id, natural_key(h.code or "")))


def _fields(
    analysed: AnalysedQuery, c: Candidate, fuzzy: dict[str, frozenset[str]], matched: list[str]
) -> tuple[str, ...]:
    """Where the matched query words occur in the document, in field order (the hint why it is a hit)."""
    found: list[str] = ["code"] if any(m in ("code", "code-prefix") for m in matched) else []
    doc = c.terms
    for term in analysed.terms:
        if term.surface not in matched:
            continue
        for name, words in (
            ("title", doc.title),
            ("alt", doc.alt),
            ("keywords", doc.keywords),
            ("body", doc.body),
        ):
            if _occurs(term, fuzzy.get(term.surface, frozenset()), words):
                found.append(name)
                break
    order = ("code", "title", "alt", "keywords", "body")
    return tuple(f for f in order if f in found)


def _occurs(term: QueryTerm, near: frozenset[str], words: Iterable[str]) -> bool:
    prefixes = tuple(term.prefixes)
    return any(w in term.stems or w in near or bool(prefixes and w.startswith(prefixes)) for w in words)
