"""Data scopes: the set of codes a role may see or act on, written as KLE subtrees.

A scope *includes* entries and *excludes* entries; an entry is one code (``32.18``) or a code with
its whole subtree (``27.*``, also written ``27*``). On a date the scope *expands* to the exact set of
codes valid then (``expand``), through the hierarchy of that date. A scope written on an earlier
date keeps its meaning when codes move or retire: ``drift`` tells which entries point at codes that
are no longer valid, where they moved, and how the scope should read now. ``check`` says whether a
code on a date is in a scope, and why. Everything is read from a classification's valid-time table.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import date
from typing import Any

from kodeks.domain.codes import natural_key
from kodeks.domain.data.status import Status
from kodeks.domain.data.valid_time import Segment, ValidTimeTable

#: Statuses of a code that a scope can cover on a date.
COVERED = frozenset({Status.VALID, Status.LOCAL})
MAX_ENTRIES = 10_000


@dataclass(frozen=True, slots=True)
class Entry:
    code: str
    subtree: bool = False

    @classmethod
    def parse(cls, text: str) -> Entry:
        value = text.strip()
        subtree = value.endswith("*")
        code = value.rstrip("*").rstrip(".").strip()
        if not code or "*" in code or len(code) > 200:
            raise ValueError(f"scope entry {text!r}: write a code (32.18) or a subtree (27.*)")
        return cls(code, subtree)

    def __str__(self) -> str:
        return f"{self.code}.*" if self.subtree else self.code


@dataclass(frozen=True, slots=True)
class Scope:
    """``aspect`` (OS2mo: *Udførende*, *Ansvarlig*, *Indsigt*) and ``unit`` (an organisation unit)
    are carried along; they do not change what the scope covers."""

    include: tuple[Entry, ...]
    exclude: tuple[Entry, ...] = ()
    aspect: str | None = None
    unit: str | None = None

    @classmethod
    def of(
        cls,
        include: Sequence[str],
        exclude: Sequence[str] = (),
        aspect: str | None = None,
        unit: str | None = None,
    ) -> Scope:
        if len(include) + len(exclude) > MAX_ENTRIES:
            raise ValueError(f"a scope has at most {MAX_ENTRIES} entries")
        return cls(
            tuple(Entry.parse(t) for t in include), tuple(Entry.parse(t) for t in exclude), aspect, unit
        )

    def as_dict(self) -> dict[str, object]:
        return {
            "include": [str(e) for e in self.include],
            "exclude": [str(e) for e in self.exclude],
            "aspect": self.aspect,
            "unit": self.unit,
        }


class Index:
    """A valid-time table indexed for scopes: segments by code, children by parent per date."""

    def __init__(self, table: ValidTimeTable) -> None:
        self.table = table
        self.by_code: dict[str, list[Segment]] = defaultdict(list)
        for s in table.segments:
            self.by_code[s.code].append(s)
        self._children: dict[date, dict[str, list[str]]] = {}

    def at(self, code: str, day: date) -> Segment | None:
        return next((s for s in self.by_code.get(code, ()) if s.contains(day)), None)

    def covered(self, code: str, day: date) -> bool:
        found = self.at(code, day)
        return found is not None and found.status in COVERED

    def children(self, day: date) -> dict[str, list[str]]:
        if day not in self._children:
            out: dict[str, list[str]] = defaultdict(list)
            for s in self.table.segments:
                if s.status in COVERED and s.parent is not None and s.contains(day):
                    out[s.parent].append(s.code)
            if len(self._children) > 64:
                self._children.clear()
            self._children[day] = out
        return self._children[day]

    def codes_of(self, entry: Entry, day: date) -> set[str]:
        if not self.covered(entry.code, day):
            return set()
        found = {entry.code}
        if entry.subtree:
            kids = self.children(day)
            frontier = [entry.code]
            while frontier:
                for child in kids.get(frontier.pop(), ()):
                    if child not in found:
                        found.add(child)
                        frontier.append(child)
        return found


@dataclass(frozen=True, slots=True)
class EntryState:
    """What an entry's code is on a date: its status there, and its successors if it moved."""

    entry: Entry
    status: str
    successors: tuple[str, ...] = ()
    since: str | None = None  # expired: the day; not_yet_valid: the day it starts

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape the API and the CLI print."""
        return {
            "entry": str(self.entry),
            "status": self.status,
            "successors": list(self.successors),
            "since": self.since,
        }


def state(index: Index, entry: Entry, day: date) -> EntryState:
    found = index.at(entry.code, day)
    if found is None:
        return EntryState(entry, Status.UNKNOWN.value)
    if found.status is Status.MOVED:
        return EntryState(entry, found.status.value, tuple((found.suggestion or "").split(",")))
    if found.status in (Status.EXPIRED, Status.NOT_YET_VALID):
        return EntryState(entry, found.status.value, since=found.suggestion)
    return EntryState(entry, found.status.value)


@dataclass(frozen=True, slots=True)
class Expansion:
    day: date
    codes: tuple[str, ...]
    unresolved: tuple[EntryState, ...] = field(default=())


def expand(index: Index, scope: Scope, day: date) -> Expansion:
    """The exact codes ``scope`` covers on ``day`` (natural order); entries whose code is not valid then
    are ``unresolved`` (with where they moved)."""
    codes: set[str] = set()
    unresolved = []
    for e in scope.include:
        got = index.codes_of(e, day)
        if not got:
            unresolved.append(state(index, e, day))
        codes |= got
    for e in scope.exclude:
        got = index.codes_of(e, day)
        if not got:
            unresolved.append(state(index, e, day))
        codes -= got
    return Expansion(day, tuple(sorted(codes, key=natural_key)), tuple(unresolved))


@dataclass(frozen=True, slots=True)
class Drift:
    """A scope written on ``since`` read on ``day``: entries that no longer point at valid codes, the
    scope as it should read on ``day`` (moved entries replaced by their successors, retired ones
    dropped), and the codes covered then and not now, or now and not then."""

    since: date
    day: date
    changed: tuple[tuple[EntryState, EntryState], ...]
    rewritten: Scope
    lost: tuple[str, ...]
    gained: tuple[str, ...]

    @property
    def drifted(self) -> bool:
        return bool(self.changed)

    def as_dict(self) -> dict[str, Any]:
        """The JSON shape the API and the CLI print."""
        return {
            "since": self.since.isoformat(),
            "at": self.day.isoformat(),
            "drifted": self.drifted,
            "entries": [{"then": a.as_dict(), "now": b.as_dict()} for a, b in self.changed],
            "should_read": self.rewritten.as_dict(),
            "codes_lost": list(self.lost),
            "codes_gained": list(self.gained),
        }


def drift(index: Index, scope: Scope, since: date, day: date) -> Drift:
    changed: list[tuple[EntryState, EntryState]] = []
    parts: dict[str, list[Entry]] = {"include": [], "exclude": []}
    for name, entries in (("include", scope.include), ("exclude", scope.exclude)):
        for e in entries:
            now = state(index, e, day)
            if now.status in {s.value for s in COVERED}:
                parts[name].append(e)
                continue
            changed.append((state(index, e, since), now))
            for successor in now.successors:
                moved = Entry(successor, e.subtree)
                if moved not in parts[name]:
                    parts[name].append(moved)
    rewritten = Scope(tuple(parts["include"]), tuple(parts["exclude"]), scope.aspect, scope.unit)
    then = set(expand(index, scope, since).codes)
    now_codes = set(expand(index, rewritten, day).codes)
    return Drift(
        since,
        day,
        tuple(changed),
        rewritten,
        tuple(sorted(then - now_codes, key=natural_key)),
        tuple(sorted(now_codes - then, key=natural_key)),
    )


@dataclass(frozen=True, slots=True)
class Decision:
    code: str
    day: date
    allowed: bool
    reason: str


def check(index: Index, scope: Scope, code: str, day: date) -> Decision:
    """Whether ``code`` on ``day`` is in ``scope``, and why (the entry that includes or excludes it)."""
    found = index.at(code, day)
    if found is None or found.status not in COVERED:
        status = found.status.value if found is not None else Status.UNKNOWN.value
        hint = f" (moved to {found.suggestion})" if found is not None and found.status is Status.MOVED else ""
        return Decision(code, day, False, f"{code} is {status} on {day.isoformat()}{hint}")
    lineage = _lineage(index, code, day)
    for e in scope.exclude:
        if _covers(index, e, lineage, day):
            return Decision(code, day, False, f"{code} is excluded by {e}")
    for e in scope.include:
        if _covers(index, e, lineage, day):
            return Decision(code, day, True, f"{code} is included by {e}")
    return Decision(code, day, False, f"{code} is outside the scope")


def _lineage(index: Index, code: str, day: date) -> list[str]:
    """``code`` and its ancestors on ``day``, nearest first."""
    chain = [code]
    while (found := index.at(chain[-1], day)) is not None and found.parent and found.parent not in chain:
        chain.append(found.parent)
    return chain


def _covers(index: Index, entry: Entry, lineage: list[str], day: date) -> bool:
    if entry.code != lineage[0] and not (entry.subtree and entry.code in lineage):
        return False
    return index.covered(entry.code, day)
