"""The structural rule for releases that carry only some levels: no orphan, no emptied group.

A release may speak for only some levels (OS2KLE's file lists emner, not hovedgrupper or grupper),
so on a date the items of one level can come from another release than their parents. Left alone
that serves orphans (an emne whose gruppe no release lists) and emptied groups (a gruppe from an
older release whose emner a newer snapshot of emner no longer lists). Kodeks settles both, every
date, after the valid-time rule has picked the governing release per level (``timeline``):

1. **Retire emptied groups.** Where a level and the level below it are governed by different
   releases, an item with no child there is retired for that span: a later full snapshot of a
   group's children that leaves it empty retires it on that snapshot's date. Where a group's
   children are all retired this way, the group is retired too (from the deepest level up).
2. **Infer missing parents.** Where an item is valid and its parent is not, the parent is inferred
   for that span: its content is carried from the last fact the registry holds about it (usually
   an older release), or, if it never had one, it has no title (``properties["kodeks:inferred"]``
   says which). The parent of an inferred parent with no earlier fact comes from the code pattern
   (``27.24`` → ``27``). Inference repeats upwards until nothing is missing.

Every retirement and inference is returned as an ``Inference`` so an import can report it; the
items carry the marker, so readers and exports never serve an inferred node silently.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, replace
from datetime import date
from enum import StrEnum

from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.period_set import difference, intersection, union

#: The property that marks an inferred item and says how its content was found.
INFERRED = "kodeks:inferred"
_MAX_DEPTH = 64


class InferenceKind(StrEnum):
    RETIRED = "retired"  # a group with no children left was retired
    PARENT = "parent"  # a missing parent was inferred, content carried from an earlier fact
    UNTITLED_PARENT = "untitled-parent"  # a missing parent was inferred; no release gives its title


@dataclass(frozen=True, slots=True)
class Inference:
    code: str
    kind: InferenceKind
    periods: tuple[Period, ...]
    note: str

    def __str__(self) -> str:
        spans = ", ".join(str(p) for p in self.periods)
        return f"{self.code}: {self.kind} {spans} ({self.note})"


@dataclass(frozen=True, slots=True)
class Piece:
    """One fact under construction: an item's content over ``period``, said by ``release``."""

    period: Period
    item: Item
    release: str


def pattern_parent(code: str) -> str | None:
    """The structural parent by the code pattern: ``27.24.10`` → ``27.24`` → ``27`` → none."""
    return code.rsplit(".", 1)[0] if "." in code else None


def settle(
    pieces: dict[str, list[Piece]], mixed: dict[int, list[Period]]
) -> tuple[dict[str, list[Piece]], list[Inference]]:
    """Apply both rules. ``mixed[level]`` is where ``level`` and ``level + 1`` are governed by
    different releases (both governed); returns the new pieces per code and what was inferred."""
    out = {code: list(ps) for code, ps in pieces.items()}
    found = _retire(out, mixed)
    found += _infer_parents(out)
    return {c: ps for c, ps in out.items() if ps}, found


def _children_cover(pieces: dict[str, list[Piece]]) -> dict[str, list[Period]]:
    cover: dict[str, list[Period]] = defaultdict(list)
    for ps in pieces.values():
        for p in ps:
            if p.item.parent is not None:
                cover[p.item.parent].append(p.period)
    return {parent: union(periods) for parent, periods in cover.items()}


def _retire(pieces: dict[str, list[Piece]], mixed: dict[int, list[Period]]) -> list[Inference]:
    before = _children_cover(pieces)
    levels = sorted({p.item.level for ps in pieces.values() for p in ps if p.item.level is not None})
    found: list[Inference] = []
    for level in reversed(levels):
        after = _children_cover(pieces)
        for code, ps in pieces.items():
            cut: list[Period] = []
            for p in ps:
                if p.item.level != level:
                    continue
                has = after.get(code, [])
                cut += difference(intersection([p.period], mixed.get(level, [])), has)
                lost = difference(before.get(code, []), has)
                cut += intersection([p.period], lost)
            if cut:
                cut = union(cut)
                pieces[code] = _without(ps, cut)
                reason = "no child is valid there"
                found.append(Inference(code, InferenceKind.RETIRED, tuple(cut), reason))
    return found


def _without(ps: Sequence[Piece], cut: list[Period]) -> list[Piece]:
    kept: list[Piece] = []
    for p in ps:
        kept += [replace(p, period=rest) for rest in difference([p.period], cut)]
    return kept


def _infer_parents(pieces: dict[str, list[Piece]]) -> list[Inference]:
    found: list[Inference] = []
    for _ in range(_MAX_DEPTH):
        wanted: dict[str, list[tuple[Period, Piece]]] = defaultdict(list)
        for code in sorted(pieces):
            for p in pieces[code]:
                parent = p.item.parent
                if parent is None:
                    continue
                held = [q.period for q in pieces.get(parent, [])]
                for gap in difference([p.period], held):
                    wanted[parent].append((gap, p))
        if not wanted:
            return found
        for parent, gaps in sorted(wanted.items()):
            for gap in union(g for g, _ in gaps):
                # The child named is the first by code, so the result never depends on input order.
                child = min(
                    (c for g, c in gaps if g.intersect(gap) is not None),
                    key=lambda c: (c.item.code, c.release),
                )
                piece, kind, note = _inferred(parent, gap, child, pieces.get(parent, []))
                pieces.setdefault(parent, []).append(piece)
                found.append(Inference(parent, kind, (gap,), note))
            pieces[parent].sort(key=lambda q: (q.period.start is not None, q.period.start or date.min))
    raise ValueError("parents could not be inferred: the hierarchy is deeper than 64 levels or cyclic")


def _inferred(parent: str, gap: Period, child: Piece, known: list[Piece]) -> tuple[Piece, InferenceKind, str]:
    earlier = [
        q for q in known if q.period.end is not None and gap.start is not None and q.period.end <= gap.start
    ]
    if earlier:
        last = max(earlier, key=lambda q: q.period.end or date.min)
        note = f"parent of codes in release {child.release!r}; content carried from release {last.release!r}"
        item = replace(last.item, properties={**last.item.properties, INFERRED: note}, replaced_by=())
        return Piece(gap, item, child.release), InferenceKind.PARENT, note
    note = f"parent of codes in release {child.release!r}; its title is not in this release"
    level = child.item.level - 1 if child.item.level is not None and child.item.level > 1 else None
    item = Item(
        parent,
        {},
        level=level,
        parent=pattern_parent(parent),
        properties={INFERRED: note},
    )
    return Piece(gap, item, child.release), InferenceKind.UNTITLED_PARENT, note
