"""Relevance: how well a document's analysed terms answer a query (pure; the same on every database).

The database only finds candidates (full-text match, code match); this module orders them, so
SQLite and PostgreSQL rank alike. Per query term the best field counts:

=================  ======  =====================================================================
field              weight  what it holds
=================  ======  =====================================================================
title              3.0     the Danish title (or the only one)
alt                2.0     other titles (English), alternative titles
keywords           1.6     KLE *stikord* and catalog keywords, × 0.8–1.6 by the source's weight
body               0.7     description, guidance, notes, legal references
=================  ======  =====================================================================

A term matches exactly (1.0), as a prefix (0.8) or within one edit (0.7). The sum is divided by the
number of query terms, then bonuses follow: every term matched (+1), the share of title words the
query covers (+1.5 × share; a word matched only as a prefix counts 0.6), the title *is* the
query (+2), the query is a whole keyword (+0.4), and broad codes first (level 1: +1, level 2: +0.5:
"affald" means the hovedgruppe before its emner). Codes: an exact code is worth 100, a code
under the asked prefix 60 minus its depth below it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from itertools import product
from typing import Any

from kodeks.domain.search_text import AnalysedQuery, QueryTerm, code_key

EXACT, PREFIX, FUZZY = 1.0, 0.8, 0.7
TITLE, ALT, KEYWORD, BODY = 3.0, 2.0, 1.6, 0.7
#: How much a title word counts towards "the query covers the title" by how it matched.
_COVER = {EXACT: 1.0, FUZZY: 0.9, PREFIX: 0.6}
#: Bonuses: the query is a whole keyword; the code is a broad one (level 1, level 2).
PHRASE = 0.4
LEVEL_PRIOR = {1: 1.0, 2: 0.5}
MAX_BODY_TERMS = 150


@dataclass(frozen=True, slots=True)
class DocumentTerms:
    """A document's analysed fields (see ``search_text.terms``); ``keywords`` maps each keyword term
    to the highest weight of a keyword it occurs in; ``phrases`` are whole keywords (terms joined by
    spaces), so a query that *is* a keyword can count for more."""

    code: str | None = None
    title: tuple[str, ...] = ()
    alt: tuple[str, ...] = ()
    keywords: Mapping[str, int] = field(default_factory=dict)
    body: tuple[str, ...] = ()
    phrases: frozenset[str] = frozenset()

    def to_dict(self) -> dict[str, Any]:
        return {
            "c": self.code,
            "t": list(self.title),
            "a": list(self.alt),
            "k": dict(self.keywords),
            "b": list(self.body),
            "p": sorted(self.phrases),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentTerms:
        return cls(
            data.get("c"),
            tuple(data.get("t", ())),
            tuple(data.get("a", ())),
            data.get("k") or {},
            tuple(data.get("b", ())),
            frozenset(data.get("p", ())),
        )


def keyword_factor(weight: int) -> float:
    """KLE weights are mostly 5; 10, 50, 100, 1000 mark stronger stikord. 5 → 1.0, 1000 → 1.58."""
    return min(1.6, max(0.8, 1.0 + 0.25 * math.log10(max(weight, 1) / 5)))


@dataclass(slots=True)
class Scored:
    score: float
    matched: list[str] = field(default_factory=list)


def _quality(term: QueryTerm, prefixes: tuple[str, ...], fuzzy: frozenset[str], word: str) -> float:
    if word in term.stems:
        return EXACT
    if prefixes and word.startswith(prefixes):
        return PREFIX
    return FUZZY if word in fuzzy else 0.0


def _match(term: QueryTerm, prefixes: tuple[str, ...], fuzzy: frozenset[str], words: Iterable[str]) -> float:
    best = 0.0
    for word in words:
        q = _quality(term, prefixes, fuzzy, word)
        if q == EXACT:
            return q
        best = max(best, q)
    return best


def _keyword(
    term: QueryTerm, prefixes: tuple[str, ...], fuzzy: frozenset[str], kw: Mapping[str, int]
) -> float:
    best = 0.0
    for stem in term.stems:
        if stem in kw:
            best = EXACT * keyword_factor(kw[stem])
    if best:
        return best
    for word, weight in kw.items():
        q = _quality(term, prefixes, fuzzy, word)
        if q:
            best = max(best, q * keyword_factor(weight))
    return best


def score(
    query: AnalysedQuery,
    doc: DocumentTerms,
    fuzzy: Mapping[str, frozenset[str]],
    *,
    code: str | None = None,
    level: int | None = None,
    is_catalog: bool = False,
) -> Scored:
    """The relevance of ``doc`` for ``query``; ``fuzzy`` maps a query surface to its near terms."""
    result = Scored(0.0)
    if code is not None:
        key = code_key(code)
        for asked in query.codes:
            if key == asked:
                result.score += 100.0
                result.matched.append("code")
            elif key.startswith(asked):
                depth = key.count(".") - asked.count(".") + 1 if "." in key else len(key) - len(asked)
                result.score += max(60.0 - 4 * depth, 30.0)
                result.matched.append("code-prefix")
    words = [t for t in query.terms if not (t.code and result.matched)]
    if not words:
        return result
    total = 0.0
    hits = 0
    cover: dict[str, float] = {}
    all_in_title = True
    for term in words:
        near = fuzzy.get(term.surface, frozenset())
        prefixes = tuple(term.prefixes)
        title = 0.0
        for w in doc.title:
            q = _quality(term, prefixes, near, w)
            if q:
                cover[w] = max(cover.get(w, 0.0), _COVER[q])
                title = max(title, q)
        all_in_title = all_in_title and title > 0
        best = TITLE * title
        if best < TITLE:
            best = max(best, ALT * _match(term, prefixes, near, doc.alt))
        if best < TITLE:
            best = max(best, KEYWORD * _keyword(term, prefixes, near, doc.keywords))
        if not best:
            best = BODY * _match(term, prefixes, near, doc.body)
        if best:
            hits += 1
            result.matched.append(term.surface)
        total += best
    if not hits:
        return result
    value = total / len(words)
    if hits == len(words):
        value += 1.0
    if doc.title:
        share = sum(cover.values()) / len(set(doc.title))
        value += 1.5 * share
        if all_in_title and share >= 0.9:
            value += 2.0
    if is_catalog and cover:
        value += 0.5
    if doc.phrases and _phrases(words) & doc.phrases:
        value += PHRASE
    value += LEVEL_PRIOR.get(level or 0, 0.0)
    result.score += value
    return result


def _phrases(words: list[QueryTerm]) -> set[str]:
    out: set[str] = set()
    for combo in product(*(sorted(t.stems) for t in words)):
        out.add(" ".join(combo))
        if len(out) >= 8:
            break
    return out
