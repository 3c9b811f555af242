"""What a new version of the common classification does to a profile's entries, and what a reader
of the profile sees change between two dates.

:func:`affected` compares the common classification on the date the profile was aligned with
(``from_date``) and on a later date (``to_date``) with :func:`kodeks.domain.changes.changes_between`,
and reports each selection or local code that is touched: its code expired, moved (with the
successor(s) proposed), was renamed or reparented upstream; a local code's parent expired or moved
(a new local code under the successor is proposed); or the common classification now uses a local
code's number itself (a collision).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from enum import StrEnum

from kodeks.domain.changes import ChangeSet, Move, MoveKind, Rename, changes_between
from kodeks.domain.item import Item
from kodeks.domain.local.profile import Profile
from kodeks.domain.succession import facts_by_code, successors_on, valid_on
from kodeks.domain.timeline import Fact


class Effect(StrEnum):
    EXPIRED = "expired"
    MOVED = "moved"
    RENAMED = "renamed"
    REPARENTED = "reparented"
    NOT_VALID = "not_valid"
    PARENT_EXPIRED = "parent_expired"
    PARENT_MOVED = "parent_moved"
    COLLISION = "collision"


@dataclass(frozen=True, slots=True)
class Affected:
    """One profile entry touched upstream. ``proposed`` holds the codes to use instead, if any."""

    code: str
    entry: str  # "selection" or "local"
    effect: Effect
    message: str
    proposed: tuple[str, ...] = ()


def affected(
    profile: Profile, facts: Sequence[Fact], from_date: date, to_date: date, lang: str = "da"
) -> list[Affected]:
    """Entries of ``profile`` touched by the common classification's changes from ``from_date`` to
    ``to_date``. ``facts`` are all facts of the common classification as known at one time."""
    cs = changes_between(facts, from_date, to_date, lang)
    by_code = facts_by_code(facts)
    expired = {i.code for i in cs.expired}
    replaced: dict[str, list[str]] = {}
    reparented: set[str] = set()
    for m in cs.moved:
        if m.kind is MoveKind.REPLACED:
            replaced.setdefault(m.old, []).append(m.new)
        else:
            reparented.add(m.old)
    renamed = {r.code: r for r in cs.renamed}
    out: list[Affected] = []
    for s in profile.selections:
        if s.valid.end is not None and s.valid.end <= to_date:
            continue
        out += _selection(s.code, bool(s.titles), expired, replaced, renamed, reparented, by_code, to_date)
    added = {i.code for i in cs.added}
    for c in profile.local_codes:
        if c.valid.end is not None and c.valid.end <= to_date:
            continue
        if c.code in added or valid_on(by_code.get(c.code, []), to_date) is not None:
            out.append(
                Affected(
                    c.code,
                    "local",
                    Effect.COLLISION,
                    f"{profile.classification} now has a code {c.code!r} of its own; renumber the local code",
                )
            )
            continue
        tail = c.code[len(c.parent) :] if c.code.startswith(c.parent) else None
        if c.parent in replaced:
            targets = replaced[c.parent]
            proposed = tuple(t + tail for t in targets) if tail else ()
            out.append(
                Affected(
                    c.code,
                    "local",
                    Effect.PARENT_MOVED,
                    f"parent {c.parent} moved to {', '.join(targets)}",
                    proposed,
                )
            )
        elif c.parent in expired:
            out.append(
                Affected(
                    c.code, "local", Effect.PARENT_EXPIRED, f"parent {c.parent} expired without a successor"
                )
            )
    return out


def _selection(
    code: str,
    locally_titled: bool,
    expired: set[str],
    replaced: dict[str, list[str]],
    renamed: dict[str, Rename],
    reparented: set[str],
    by_code: dict[str, list[Fact]],
    to_date: date,
) -> list[Affected]:
    if code in replaced:
        targets = tuple(replaced[code])
        return [Affected(code, "selection", Effect.MOVED, f"{code} moved to {', '.join(targets)}", targets)]
    if code in expired:
        return [Affected(code, "selection", Effect.EXPIRED, f"{code} expired without a successor")]
    out: list[Affected] = []
    if code in renamed:
        r = renamed[code]
        note = " (the profile's local title still applies)" if locally_titled else ""
        out.append(
            Affected(
                code,
                "selection",
                Effect.RENAMED,
                f"renamed upstream from {r.old_title!r} to {r.new_title!r}{note}",
            )
        )
    if code in reparented:
        now = valid_on(by_code.get(code, []), to_date)
        parent = now.item.parent if now else None
        out.append(Affected(code, "selection", Effect.REPARENTED, f"{code} now sits under {parent}"))
    if not out and valid_on(by_code.get(code, []), to_date) is None:
        successors = successors_on(code, by_code, to_date)
        where = f"; its successor(s): {', '.join(successors)}" if successors else ""
        out.append(
            Affected(
                code, "selection", Effect.NOT_VALID, f"{code} is not valid on {to_date}{where}", successors
            )
        )
    return out


def profile_changes(before: Sequence[Item], after: Sequence[Item], common: ChangeSet) -> ChangeSet:
    """What a reader of the profile sees change: ``before``/``after`` are the composed profile on
    the two dates; moves come from the common classification's change set."""
    old = {i.code: i for i in before}
    new = {i.code: i for i in after}
    moves = [m for m in common.moved if m.kind is MoveKind.REPLACED and m.old in old]
    moved_from = {m.old for m in moves}
    targets = {m.new for m in moves}
    added = [new[c] for c in sorted(set(new) - set(old)) if c not in targets]
    expired = [old[c] for c in sorted(set(old) - set(new)) if c not in moved_from]
    renamed: list[Rename] = []
    for code in sorted(set(old) & set(new)):
        if old[code].title() != new[code].title():
            renamed.append(Rename(code, old[code].title(), new[code].title()))
        if old[code].parent != new[code].parent:
            moves.append(Move(code, code, MoveKind.REPARENTED))
    return ChangeSet(
        common.from_date,
        common.to_date,
        tuple(added),
        tuple(expired),
        tuple(renamed),
        tuple(moves),
        {"added": len(added), "expired": len(expired), "renamed": len(renamed), "moved": len(moves)},
    )
