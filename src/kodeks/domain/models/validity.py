"""The valid time of a model's versions, as a classification's releases have it: half-open
``[start, next start)``.

A version's valid time begins on the date it was imported as valid from (``--valid-from``); a version
that states none begins where the version before it began (the first: since always). It ends where a
version with a later start begins. Of versions that begin on the same date the last recorded governs
(it corrects the others, which then govern no day).
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date

from kodeks.domain.period import Period


def valid_periods(versions: Sequence[tuple[int, date | None]]) -> dict[int, Period | None]:
    """``(sequence, valid_from)`` of every version -> its valid period (``None``: governs no day)."""
    starts: dict[int, date | None] = {}
    previous: date | None = None
    for sequence, valid_from in sorted(versions, key=lambda v: v[0]):
        previous = valid_from if valid_from is not None else previous
        starts[sequence] = previous
    governing: dict[date | None, int] = {}
    for sequence, start in starts.items():
        governing[start] = max(sequence, governing.get(start, sequence))
    ordered = sorted(governing, key=lambda d: d or date.min)
    out: dict[int, Period | None] = dict.fromkeys(starts)
    for i, start in enumerate(ordered):
        out[governing[start]] = Period(start, ordered[i + 1] if i + 1 < len(ordered) else None)
    return out


def version_at(versions: Sequence[tuple[int, date | None]], day: date) -> int | None:
    """The sequence of the version valid on ``day`` (``None``: none is)."""
    for sequence, period in valid_periods(versions).items():
        if period is not None and period.contains(day):
            return sequence
    return None
