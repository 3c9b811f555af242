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
number of query terms, then bonuses follow: every term matched (+1), the title *is* the query (+2),
the share of title words the query covers (+1 × share). Codes: an exact code is worth 100, a code
under the asked prefix 60 minus its depth below it.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import Any

from kodeks.domain.search_text import AnalysedQuery, QueryTerm, code_key

EXACT, PREFIX, FUZZY = 1.0, 0.8, 0.7
TITLE, ALT, KEYWORD, BODY = 3.0, 2.0, 1.6, 0.7
MAX_BODY_TERMS = 400


@dataclass(frozen=True, slots=True)
class DocumentTerms:
    """A document's analysed fields (see ``search_text.terms``)."""

    code: str | None = None
    title: tuple[str, ...] = ()
    alt: tuple[str, ...] = ()
    keywords: tuple[tuple[tuple[str, ...], int], ...] = ()
    body: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        return {
            "c": self.code,
            "t": list(self.title),
            "a": list(self.alt),
            "k": [[list(terms), weight] for terms, weight in self.keywords],
            "b": list(self.body),
        }

    @classmethod
    def from_dict(cls, data: Mapping[str, Any]) -> DocumentTerms:
        return cls(
            data.get("c"),
            tuple(data.get("t", ())),
            tuple(data.get("a", ())),
            tuple((tuple(terms), int(weight)) for terms, weight in data.get("k", ())),
            tuple(data.get("b", ())),
        )


def keyword_factor(weight: int) -> float:
    """KLE weights are mostly 5; 10, 50, 100, 1000 mark stronger stikord. 5 → 1.0, 1000 → 1.58."""
    return min(1.6, max(0.8, 1.0 + 0.25 * math.log10(max(weight, 1) / 5)))


@dataclass(slots=True)
class Scored:
    score: float
    matched: list[str] = field(default_factory=list)


def _match(term: QueryTerm, fuzzy: frozenset[str], words: Iterable[str]) -> float:
    best = 0.0
    for word in words:
        if word in term.stems:
            return EXACT
        if best < PREFIX and any(word.startswith(p) for p in term.prefixes):
            best = PREFIX
        elif best < FUZZY and word in fuzzy:
            best = FUZZY
    return best


def score(
    query: AnalysedQuery,
    doc: DocumentTerms,
    fuzzy: Mapping[str, frozenset[str]],
    *,
    code: str | None = None,
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
    title_hits: set[str] = set()
    for term in words:
        near = fuzzy.get(term.surface, frozenset())
        title = _match(term, near, doc.title)
        if title:
            title_hits.update(
                w for w in doc.title if w in term.stems or any(w.startswith(p) for p in term.prefixes)
            )
        best = max(
            TITLE * title,
            ALT * _match(term, near, doc.alt),
            max(
                (KEYWORD * keyword_factor(w) * _match(term, near, terms) for terms, w in doc.keywords),
                default=0.0,
            ),
            BODY * _match(term, near, doc.body),
        )
        if best:
            hits += 1
            result.matched.append(term.surface)
        total += best
    value = total / len(words)
    if hits == len(words):
        value += 1.0
        if doc.title and set(doc.title) == {s for t in words for s in t.stems if s in doc.title}:
            value += 2.0
    if doc.title:
        value += len(title_hits) / len(set(doc.title))
    if is_catalog and title_hits:
        value += 0.5
    result.score += value if hits else 0.0
    return result
