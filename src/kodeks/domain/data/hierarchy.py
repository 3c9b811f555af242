"""Hierarchy consistency: which codes stand above a code, over the dates it is valid.

A dataset with a child column (an emne, ``27.24.03``) and a parent column (its gruppe ``27.24`` or
hovedgruppe ``27``) is consistent on a row when the parent column holds one of the child code's
ancestors on the row's date. The ancestors of each ``valid`` or ``local`` segment of the valid-time
table are its parent chain as the table says it stood when the segment began (a code's parent does
not change within one of its segments), so an engine checks a row with one join on (code, ancestor)
and the same date filter as validation.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from kodeks.domain.data.status import ACCEPTED
from kodeks.domain.data.valid_time import Segment, ValidTimeTable


@dataclass(frozen=True, slots=True)
class Ancestry:
    """``ancestor`` stands above ``code`` on the dates ``[start, end)``."""

    code: str
    start: date | None
    end: date | None
    ancestor: str


def _segment_on(mine: list[Segment], day: date | None) -> Segment | None:
    accepted = [s for s in mine if s.status in ACCEPTED]
    if day is not None:
        found = next((s for s in accepted if s.contains(day)), None)
        if found is not None:
            return found
    return accepted[-1] if accepted else None


def ancestries(table: ValidTimeTable) -> tuple[Ancestry, ...]:
    """Every (code, ancestor) pair with the dates it holds, for the table's valid and local codes."""
    by_code: dict[str, list[Segment]] = {}
    for s in table.segments:
        by_code.setdefault(s.code, []).append(s)
    out: list[Ancestry] = []
    for s in table.segments:
        if s.status not in ACCEPTED:
            continue
        seen = {s.code}
        up = s.parent
        while up is not None and up not in seen:
            seen.add(up)
            out.append(Ancestry(s.code, s.start, s.end, up))
            above = _segment_on(by_code.get(up, []), s.start)
            up = above.parent if above is not None else None
    return tuple(out)
