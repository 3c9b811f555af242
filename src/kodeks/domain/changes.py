"""What changed in a classification between two dates: added, expired, renamed, moved."""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kodeks.domain.item import Item
from kodeks.domain.similarity import idf_weights, is_reused
from kodeks.domain.succession import facts_by_code, successors_on
from kodeks.domain.timeline import Fact


class MoveKind(StrEnum):
    REPLACED = "replaced"  # the old code expired and names successor(s) (KLE Flyttet/AfloestAf)
    REPARENTED = "reparented"  # the same code now sits under another parent


@dataclass(frozen=True, slots=True)
class Move:
    old: str
    new: str
    kind: MoveKind


@dataclass(frozen=True, slots=True)
class Rename:
    code: str
    old_title: str
    new_title: str


@dataclass(frozen=True, slots=True)
class ChangeSet:
    from_date: date
    to_date: date
    added: tuple[Item, ...] = ()
    expired: tuple[Item, ...] = ()
    renamed: tuple[Rename, ...] = ()
    moved: tuple[Move, ...] = ()
    counts: dict[str, int] = field(default_factory=dict)
    reused: tuple[Rename, ...] = ()  # the same code, now naming something else (titles far apart)


_SPACES = re.compile(r"\s+")
_AROUND_SLASH = re.compile(r"\s*/\s*")


def same_title(a: str, b: str) -> bool:
    """Whether two titles say the same: differences in white space only (``a/b`` = ``a / b``) do not count."""
    return _normal(a) == _normal(b)


def _normal(title: str) -> str:
    return _AROUND_SLASH.sub("/", _SPACES.sub(" ", title.strip()))


def changes_between(facts: Iterable[Fact], from_date: date, to_date: date, lang: str = "da") -> ChangeSet:
    """Compare the state on ``from_date`` with the state on ``to_date``.

    ``facts`` is every fact of the classification as known at one recorded time; the items listed
    carry the code's lifespan as their validity. A code that disappears and whose last fact names
    successors valid on ``to_date`` is *moved* (successor chains are followed); a successor that is
    new is not also listed as *added*. A title that changes only in white space is not a rename; a
    title so different that the code names something else now is a *reused* code, not a rename
    (``similarity.is_reused``).
    """
    if to_date < from_date:
        raise ValueError(f"'to' ({to_date}) is before 'from' ({from_date})")
    by_code = facts_by_code(facts)
    before = {c: f.item for c, fs in by_code.items() for f in fs if f.period.contains(from_date)}
    after = {c: f.item for c, fs in by_code.items() for f in fs if f.period.contains(to_date)}

    moves: list[Move] = []
    expired: list[Item] = []
    for code in sorted(set(before) - set(after)):
        targets = successors_on(code, by_code, to_date)
        if targets:
            moves.extend(Move(code, new, MoveKind.REPLACED) for new in targets)
        else:
            expired.append(before[code])
    targets_new = {m.new for m in moves}
    added = [after[c] for c in sorted(set(after) - set(before)) if c not in targets_new]
    renamed: list[Rename] = []
    reused: list[Rename] = []
    both = sorted(set(before) & set(after))
    weights = idf_weights([t for c in both for i in (before[c], after[c]) if (t := i.titles.get(lang))], lang)
    for code in both:
        old, new = before[code], after[code]
        if not same_title(old.title(lang), new.title(lang)):
            change = Rename(code, old.title(lang), new.title(lang))
            (reused if is_reused(old.titles, new.titles, weights) else renamed).append(change)
        if set(old.parents) != set(new.parents):  # any parent of a polyhierarchy, in any order
            moves.append(Move(code, code, MoveKind.REPARENTED))
    return ChangeSet(
        from_date,
        to_date,
        tuple(added),
        tuple(expired),
        tuple(renamed),
        tuple(moves),
        {
            "added": len(added),
            "expired": len(expired),
            "renamed": len(renamed),
            "moved": len(moves),
            "reused": len(reused),
        },
        tuple(reused),
    )
