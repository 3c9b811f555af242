"""How alike two titles of one code are: a renamed code or a reused one?

A classification that gives a retired code to a new concept (ISCO-88's ``1120`` *Senior government
officials* is ISCO-08's ``1120`` *Managing directors and chief executives*) looks, between two
dates, like a rename. :func:`title_similarity` measures how much of the wording stayed: the
weighted Dice overlap of the titles' content words, each reduced to its Snowball stems (Danish and
English; stop words dropped; a hyphenated word also counts written together, so ``Motor-cycle``
meets ``Motorcycle``). With ``weights`` (:func:`idf_weights` over every title of the
classification) a word counts by how rare it is: ``engineers`` in ISCO says less than
``Chemical``, so *Mechanical engineers* → *Chemical engineers* scores lower than without.

:func:`is_reused` compares the titles of two versions of a code language by language (the best
shared language decides; with no shared language the first titles are compared) and calls the code
*reused* below :data:`REUSED_BELOW`. The threshold was chosen on the 174 four-digit codes ISCO-88 and
ISCO-08 share (``tests/unit/test_similarity.py``): lexical overlap cannot see every change of
meaning, so a code is called reused only when little of its wording survived.
"""

from __future__ import annotations

import math
import re
from collections import Counter
from collections.abc import Iterable, Mapping
from functools import lru_cache

import snowballstemmer

from kodeks.domain.search_text import STOPWORDS as DANISH_STOPWORDS
from kodeks.domain.search_text import fold

#: Below this, two titles of one code name different things.
REUSED_BELOW = 0.3

_WORD = re.compile(r"[^\W_]+(?:-[^\W_]+)*")
_ENGLISH_STOPWORDS = frozenset(
    [
        "a",
        "an",
        "and",
        "as",
        "at",
        "by",
        "for",
        "from",
        "in",
        "into",
        "its",
        "n.e.c",
        "nec",
        "not",
        "of",
        "on",
        "or",
        "other",
        "than",
        "the",
        "their",
        "to",
        "with",
    ]
)
_STOPWORDS = DANISH_STOPWORDS | _ENGLISH_STOPWORDS
_da = snowballstemmer.stemmer("danish")
_en = snowballstemmer.stemmer("english")


@lru_cache(maxsize=50_000)
def _stems(title: str, lang: str | None = None) -> frozenset[str]:
    """The stems of a title's content words (a hyphenated word: its parts and its parts joined).

    Danish and English titles use their own stemmer; other languages (or ``None``) both.
    """
    stemmers = {"da": (_da,), "en": (_en,)}.get(lang or "", (_da, _en))
    out: set[str] = set()
    for token in _WORD.findall(title.casefold()):
        parts = [p for p in token.split("-") if p not in _STOPWORDS]
        words = [*parts, "".join(parts)] if len(parts) > 1 else parts
        out.update(fold(stemmer.stemWord(w)) for w in words for stemmer in stemmers)
    return frozenset(out)


def idf_weights(titles: Iterable[str], lang: str | None = None) -> dict[str, float]:
    """How rare each stem is among ``titles``: ``log(1 + N / titles with it)``."""
    counts: Counter[str] = Counter()
    total = 0
    for title in titles:
        total += 1
        counts.update(_stems(title, lang))
    return {stem: math.log(1 + total / n) for stem, n in counts.items()}


def _dice(a: frozenset[str], b: frozenset[str], weights: Mapping[str, float] | None) -> float:
    if not a and not b:
        return 1.0
    if weights is None:
        return 2 * len(a & b) / (len(a) + len(b))
    top = max(weights.values(), default=1.0)

    def w(stem: str) -> float:
        return weights.get(stem, top)

    # fsum: exactly rounded whatever the set's iteration order (string hashing differs per process)
    return min(1.0, 2 * math.fsum(map(w, a & b)) / (math.fsum(map(w, a)) + math.fsum(map(w, b))))


def title_similarity(
    a: str, b: str, weights: Mapping[str, float] | None = None, lang: str | None = None
) -> float:
    """0 (no content word in common) to 1 (the same words) for two titles in language ``lang``."""
    if fold(a).split() == fold(b).split():
        return 1.0
    return _dice(_stems(a, lang), _stems(b, lang), weights)


def titles_similarity(
    old: Mapping[str, str], new: Mapping[str, str], weights: Mapping[str, float] | None = None
) -> float | None:
    """The best similarity over the languages both title sets have; ``None`` when either has none."""
    shared = [lang for lang in old if old[lang] and new.get(lang)]
    if shared:
        return max(title_similarity(old[lang], new[lang], weights, lang) for lang in shared)
    first_old = next((t for t in old.values() if t), None)
    first_new = next((t for t in new.values() if t), None)
    if first_old is None or first_new is None:
        return None
    return title_similarity(first_old, first_new, weights)


def is_reused(
    old: Mapping[str, str],
    new: Mapping[str, str],
    weights: Mapping[str, float] | None = None,
    threshold: float = REUSED_BELOW,
) -> bool:
    """Whether the code now names something else: its titles are less alike than ``threshold``."""
    similarity = titles_similarity(old, new, weights)
    return similarity is not None and similarity < threshold
