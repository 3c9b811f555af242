"""Sets of dates as sorted lists of disjoint half-open periods: union, difference, intersection.

The structural rules (``structure``) and lifespans (``timeline``) reason about *where* in valid time
something holds; a ``list[Period]`` kept normalised (sorted, disjoint, non-meeting, non-empty) is that
set. ``None`` ends stay open ends, as everywhere.
"""

from __future__ import annotations

from collections.abc import Iterable
from datetime import date

from kodeks.domain.period import Period


def _start_key(p: Period) -> tuple[bool, date]:
    return (p.start is not None, p.start or date.min)


def _end_after(a: date | None, b: date | None) -> bool:
    """Whether end ``a`` lies after end ``b`` (``None`` is the open end, after everything)."""
    if a is None:
        return b is not None
    return b is not None and a > b


def union(periods: Iterable[Period]) -> list[Period]:
    """The normalised union: overlapping or meeting periods are joined."""
    out: list[Period] = []
    for p in sorted((p for p in periods if not p.is_empty), key=_start_key):
        if out:
            last = out[-1]
            touches = last.end is None or (p.start is not None and p.start <= last.end) or p.start is None
            if touches:
                end = last.end if not _end_after(p.end, last.end) else p.end
                out[-1] = Period(last.start, end)
                continue
        out.append(p)
    return out


def difference(periods: Iterable[Period], remove: Iterable[Period]) -> list[Period]:
    """What of ``periods`` lies outside every period of ``remove``."""
    result = union(periods)
    for cut in union(remove):
        kept: list[Period] = []
        for p in result:
            if p.intersect(cut) is None:
                kept.append(p)
                continue
            if cut.start is not None and (p.start is None or p.start < cut.start):
                kept.append(Period(p.start, cut.start))
            if cut.end is not None and (p.end is None or p.end > cut.end):
                kept.append(Period(cut.end, p.end))
        result = kept
    return union(result)


def intersection(a: Iterable[Period], b: Iterable[Period]) -> list[Period]:
    bs = union(b)
    return union(x for p in union(a) for q in bs if (x := p.intersect(q)) is not None)


def covering(periods: Iterable[Period], day: date) -> Period | None:
    """The period of the (normalised) set that contains ``day``."""
    return next((p for p in union(periods) if p.contains(day)), None)
