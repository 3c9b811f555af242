"""What changed in a classification between two dates: added, expired, renamed, moved."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from enum import StrEnum

from kodeks.domain.item import Item


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


def changes_between(items: Iterable[Item], from_date: date, to_date: date, lang: str = "da") -> ChangeSet:
    """Compare the state on ``from_date`` with the state on ``to_date``.

    ``items`` is every fact of the classification (all valid periods) as known at one recorded time.
    A code that disappears and whose last fact names successors valid on ``to_date`` is *moved*
    (successor chains are followed); a successor that is new is not also listed as *added*.
    """
    if to_date < from_date:
        raise ValueError(f"'to' ({to_date}) is before 'from' ({from_date})")
    by_code: dict[str, list[Item]] = defaultdict(list)
    for item in items:
        by_code[item.code].append(item)
    before = {c: i for c, facts in by_code.items() for i in facts if i.valid.contains(from_date)}
    after = {c: i for c, facts in by_code.items() for i in facts if i.valid.contains(to_date)}

    moves: list[Move] = []
    expired: list[Item] = []
    for code in sorted(set(before) - set(after)):
        targets = _successors(code, by_code, to_date, after)
        if targets:
            moves.extend(Move(code, new, MoveKind.REPLACED) for new in targets)
        else:
            expired.append(before[code])
    targets_new = {m.new for m in moves}
    added = [after[c] for c in sorted(set(after) - set(before)) if c not in targets_new]
    renamed: list[Rename] = []
    for code in sorted(set(before) & set(after)):
        old, new = before[code], after[code]
        if old.title(lang) != new.title(lang):
            renamed.append(Rename(code, old.title(lang), new.title(lang)))
        if old.parent != new.parent:
            moves.append(Move(code, code, MoveKind.REPARENTED))
    return ChangeSet(
        from_date,
        to_date,
        tuple(added),
        tuple(expired),
        tuple(renamed),
        tuple(moves),
        {"added": len(added), "expired": len(expired), "renamed": len(renamed), "moved": len(moves)},
    )


def _successors(code: str, by_code: dict[str, list[Item]], day: date, after: dict[str, Item]) -> list[str]:
    """Codes valid on ``day`` reached through ``replaced_by`` links from the last fact of ``code``."""
    found: list[str] = []
    seen = {code}
    frontier = [code]
    while frontier:
        current = frontier.pop(0)
        facts = [f for f in by_code.get(current, []) if f.valid.start is None or f.valid.start < day]
        if not facts:
            continue
        last = max(facts, key=lambda f: (f.valid.start is not None, f.valid.start or date.min))
        for nxt in last.replaced_by:
            if nxt in seen:
                continue
            seen.add(nxt)
            if nxt in after:
                found.append(nxt)
            else:
                frontier.append(nxt)
    return found
