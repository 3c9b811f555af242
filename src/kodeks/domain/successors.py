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
    """Candidate successors for each expired item among the added ones, best first per code.

    Every pair of the same level is weighed, so each title and keyword set is read once
    (:class:`_Features`), and the costly similarity ratio is computed only where its cheap upper
    bounds (``SequenceMatcher.real_quick_ratio``/``quick_ratio``) could still reach ``threshold`` or
    the pair is kept for another reason: the answer is the same as scoring every pair in full.
    """
    by_level: dict[int | None, list[_Features]] = {}
    for item in added:
        by_level.setdefault(item.level, []).append(_Features.of(item, lang))
    out: list[Proposal] = []
    for old_item in expired:
        old = _Features.of(old_item, lang)
        scored: list[Proposal] = []
        for new in by_level.get(old_item.level, []):
            proposal = _score_features(old, new, threshold)
            if proposal is not None and proposal.score >= threshold:
                scored.append(proposal)
        if scored:
            best = max(p.score for p in scored)
            near = [p for p in scored if p.score >= best - _NEAR]
            out.extend(sorted(near, key=lambda p: (-p.score, p.new)))
    return out


@dataclass(slots=True)
class _Features:
    """What :func:`propose` compares of one item, computed once."""

    code: str
    title: str
    normal: str
    words: list[str]
    joined: str
    keywords: frozenset[str]
    matcher: SequenceMatcher[str]

    @classmethod
    def of(cls, item: Item, lang: str) -> _Features:
        title = item.title(lang)
        words = content_words(title)
        joined = " ".join(words)
        matcher: SequenceMatcher[str] = SequenceMatcher(None)
        matcher.set_seq2(joined)  # the added item's side, as in title_similarity(old, new)
        keywords = frozenset({normal_title(k.term) for k in item.keywords} - {""})
        return cls(item.code, title, normal_title(title), words, joined, keywords, matcher)


def _score_features(old: _Features, new: _Features, threshold: float) -> Proposal | None:
    """The evidence for one pair (see the module's docstring), from precomputed features: ``None``
    for a pair with no evidence, or one whose evidence cannot reach ``threshold``."""
    overlap = (
        len(old.keywords & new.keywords) / len(old.keywords | new.keywords)
        if old.keywords and new.keywords
        else 0.0
    )
    if old.normal == new.normal and old.normal:
        similarity = 1.0
    elif not old.words or not new.words:
        similarity = 0.0
    else:
        contained = (
            sum(1 for w in old.words if w in new.words) / len(old.words) if len(old.words) >= 2 else 0.0
        )
        matcher = new.matcher
        matcher.set_seq1(old.joined)
        bound = threshold - 0.0005  # scores are rounded to three decimals before the threshold
        if max(contained, overlap) < bound and (
            matcher.real_quick_ratio() < bound or matcher.quick_ratio() < bound
        ):
            return None  # no evidence can reach the threshold
        similarity = min(max(matcher.ratio(), contained), 0.99)
    return _proposal(old.code, new.code, similarity, overlap, old.title, new.title)


def _proposal(
    old: str, new: str, similarity: float, overlap: float, old_title: str, new_title: str
) -> Proposal | None:
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
    return Proposal(old, new, round(score, 3), tuple(reasons), old_title, new_title)
