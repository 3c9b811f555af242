"""Proposed successor links: which added codes probably continue which expired ones.

Between two snapshots a code may *move* (KLE 27.24.10 → 34.xx.yy when Barnets lov took children's
cases out of hovedgruppe 27) without the source saying so: the old code just disappears and a new
one appears. :func:`propose` pairs expired and added items of the same level by evidence:

- the same title (white space aside) — score 1.0;
- a close title: the similarity (``difflib``) of the titles' content words (Danish function words
  and KLE's "i almindelighed", "mv." left out), or, for a title of two content words or more, the
  share of them the other title contains ("Børnefaglig undersøgelse" in "Screening, afdækning og
  børnefaglig undersøgelse");
- shared keywords (Jaccard overlap of the keyword sets) — its overlap.

Each expired code gets its best candidates (all within ``0.05`` of the best score, at least
``threshold``). A proposal is never applied by itself: an editor accepts it through a change set.
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass
from difflib import SequenceMatcher

from kodeks.domain.item import Item

DEFAULT_THRESHOLD = 0.75
_WORDS = re.compile(r"\w+")
_NEAR = 0.05
#: Words that carry no subject: Danish function words and KLE's generic tails.
STOP_WORDS = frozenset(
    [
        "af",
        "alle",
        "almindelighed",
        "anden",
        "andre",
        "at",
        "de",
        "den",
        "der",
        "det",
        "efter",
        "eller",
        "en",
        "et",
        "for",
        "fra",
        "i",
        "ikke",
        "med",
        "mm",
        "mv",
        "og",
        "om",
        "på",
        "samt",
        "som",
        "til",
        "under",
        "ved",
    ]
)


@dataclass(frozen=True, slots=True)
class Proposal:
    old: str
    new: str
    score: float
    reasons: tuple[str, ...]
    old_title: str
    new_title: str


def normal_title(title: str) -> str:
    """Lower case words separated by single spaces: punctuation and spacing do not count."""
    return " ".join(_WORDS.findall(title.casefold()))


def content_words(title: str) -> list[str]:
    return [w for w in normal_title(title).split() if w not in STOP_WORDS]


def title_similarity(a: str, b: str) -> float:
    if normal_title(a) == normal_title(b) and normal_title(a):
        return 1.0
    x, y = content_words(a), content_words(b)
    if not x or not y:
        return 0.0
    ratio = SequenceMatcher(None, " ".join(x), " ".join(y)).ratio()
    contained = sum(1 for w in x if w in y) / len(x) if len(x) >= 2 else 0.0
    return min(max(ratio, contained), 0.99)


def keyword_overlap(a: Item, b: Item) -> float:
    x = {normal_title(k.term) for k in a.keywords} - {""}
    y = {normal_title(k.term) for k in b.keywords} - {""}
    return len(x & y) / len(x | y) if x and y else 0.0


def propose(
    expired: Sequence[Item], added: Sequence[Item], *, threshold: float = DEFAULT_THRESHOLD, lang: str = "da"
) -> list[Proposal]:
    """Candidate successors for each expired item among the added ones, best first per code."""
    by_level: dict[int | None, list[Item]] = {}
    for item in added:
        by_level.setdefault(item.level, []).append(item)
    out: list[Proposal] = []
    for old in expired:
        scored: list[Proposal] = []
        for new in by_level.get(old.level, []):
            proposal = _score(old, new, lang)
            if proposal is not None and proposal.score >= threshold:
                scored.append(proposal)
        if scored:
            best = max(p.score for p in scored)
            near = [p for p in scored if p.score >= best - _NEAR]
            out.extend(sorted(near, key=lambda p: (-p.score, p.new)))
    return out


def _score(old: Item, new: Item, lang: str) -> Proposal | None:
    similarity = title_similarity(old.title(lang), new.title(lang))
    overlap = keyword_overlap(old, new)
    reasons: list[str] = []
    if similarity == 1.0:
        reasons.append("same title")
    elif similarity > 0:
        reasons.append(f"close title ({similarity:.2f})")
    if overlap > 0:
        reasons.append(f"shared keywords ({overlap:.2f})")
    score = max(similarity, overlap)
    if score == 0:
        return None
    return Proposal(old.code, new.code, round(score, 3), tuple(reasons), old.title(lang), new.title(lang))
