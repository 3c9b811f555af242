"""A classification's valid-time table: for every code, what a value means on any date.

Each code's time line is cut into half-open segments ``[start, end)`` that together cover all of
time (``None`` is an open end): before its first fact the code is ``not_yet_valid``; over each fact
it is ``valid`` (with that fact's title, level and parent); after an expiry (and in a gap before a
return) it is ``moved`` where its replacement chain leads to codes valid on that date
(``succession.successors_on``, cut where the chain's answer changes), else ``expired``. An engine
then finds a row's segment with one equi-join on the code and a filter on the date: exactly one
segment matches a known code on any date, so no row is lost or doubled.

The table is built once per classification and read (``known_at``), from the facts the registry
holds; a local profile's codes add ``local`` segments over their own validity.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, replace
from datetime import date

from kodeks.domain.data.shapes import Shapes, shapes_of
from kodeks.domain.data.status import Status
from kodeks.domain.succession import facts_by_code, successors_on
from kodeks.domain.timeline import Fact


@dataclass(frozen=True, slots=True)
class Segment:
    """What ``code`` means on the dates ``[start, end)``.

    ``suggestion``: for ``moved`` the successors (comma-separated), for ``expired`` the day it
    expired, for ``not_yet_valid`` the day it starts (ISO dates). ``top`` is its top-level ancestor.
    """

    code: str
    start: date | None
    end: date | None
    status: Status
    title: str
    level: int | None
    parent: str | None
    top: str
    suggestion: str | None = None

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)


@dataclass(frozen=True, slots=True)
class ValidTimeTable:
    """The segments of one classification (and profile), and the shapes of its codes."""

    classification: str
    segments: tuple[Segment, ...]
    shapes: Shapes
    profile: str | None = None

    def lookup(self, code: str, day: date) -> Segment | None:
        """The segment of ``code`` on ``day`` (a reference implementation; engines join instead)."""
        return next((s for s in self.segments if s.code == code and s.contains(day)), None)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(s.code for s in self.segments)


def _tops(facts: Sequence[Fact]) -> dict[str, str]:
    """Each code's top-level ancestor, through the latest parent each code was given."""
    parent: dict[str, str | None] = {}
    for f in sorted(facts, key=lambda f: f.period.start or date.min):
        parent[f.code] = f.item.parent
    tops: dict[str, str] = {}
    for code in parent:
        seen = {code}
        current = code
        while (up := parent.get(current)) is not None and up not in seen:
            seen.add(up)
            current = up
        tops[code] = current
    return tops


def _boundaries(facts: Iterable[Fact]) -> list[date]:
    days = {d for f in facts for d in (f.period.start, f.period.end) if d is not None}
    return sorted(days)


def _after(
    code: str, last: Fact, start: date, end: date | None, by_code: dict[str, list[Fact]], days: list[date]
) -> list[Segment]:
    """Segments of ``[start, end)`` after ``last`` ended: moved where the chain leads somewhere."""
    cuts = [start, *(d for d in days if d > start and (end is None or d < end))]
    pieces: list[tuple[date, tuple[str, ...]]] = []
    for day in cuts if last.item.replaced_by else [start]:
        found = successors_on(code, by_code, day) if last.item.replaced_by else ()
        if not pieces or pieces[-1][1] != found:
            pieces.append((day, found))
    out = []
    for i, (day, found) in enumerate(pieces):
        to = pieces[i + 1][0] if i + 1 < len(pieces) else end
        status = Status.MOVED if found else Status.EXPIRED
        suggestion = ",".join(found) if found else start.isoformat()
        out.append(_segment(last, day, to, status, suggestion))
    return out


def _segment(
    f: Fact, start: date | None, end: date | None, status: Status, suggestion: str | None
) -> Segment:
    return Segment(f.code, start, end, status, f.item.title(), f.item.level, f.item.parent, "", suggestion)


def code_segments(code: str, by_code: dict[str, list[Fact]], days: list[date]) -> list[Segment]:
    """The segments of one code, covering all of time."""
    mine = sorted(by_code[code], key=lambda f: f.period.start or date.min)
    out: list[Segment] = []
    first = mine[0]
    if first.period.start is not None:
        out.append(
            _segment(first, None, first.period.start, Status.NOT_YET_VALID, first.period.start.isoformat())
        )
    for i, f in enumerate(mine):
        out.append(_segment(f, f.period.start, f.period.end, Status.VALID, None))
        if f.period.end is None:
            break
        nxt = mine[i + 1].period.start if i + 1 < len(mine) else None
        if nxt is None or nxt > f.period.end:
            out.extend(_after(code, f, f.period.end, nxt, by_code, days))
    return out


def build_table(
    classification: str,
    facts: Sequence[Fact],
    local: Sequence[Fact] = (),
    profile: str | None = None,
) -> ValidTimeTable:
    """The valid-time table of ``facts`` (a classification's, as known at some instant), with the
    ``local`` codes of a profile as ``local`` segments over their own validity."""
    by_code = facts_by_code(facts)
    days = _boundaries(facts)
    tops = _tops([*facts, *local])
    segments: list[Segment] = []
    for code in sorted(by_code):
        for s in _joined(code_segments(code, by_code, days)):
            segments.append(_with_top(s, tops.get(code, code)))
    held = set(by_code)
    for code, mine in sorted(facts_by_code(f for f in local if f.code not in held).items()):
        for s in code_segments(code, {code: mine}, []):
            status = Status.LOCAL if s.status is Status.VALID else s.status
            segments.append(_with_top(replace(s, status=status), tops.get(code, code)))
    return ValidTimeTable(
        classification, tuple(segments), shapes_of([*by_code, *(f.code for f in local)]), profile
    )


def _joined(segments: list[Segment]) -> list[Segment]:
    """Neighbouring segments that say the same (versions that differ only in keywords, guidance ...)
    joined into one: fewer rows to join against, the same answer on every date."""
    out: list[Segment] = []
    for s in segments:
        last = out[-1] if out else None
        if (
            last is not None
            and last.end == s.start
            and (last.status, last.title, last.level, last.parent, last.suggestion)
            == (s.status, s.title, s.level, s.parent, s.suggestion)
        ):
            out[-1] = replace(last, end=s.end)
        else:
            out.append(s)
    return out


def _with_top(s: Segment, top: str) -> Segment:
    return Segment(s.code, s.start, s.end, s.status, s.title, s.level, s.parent, top, s.suggestion)
