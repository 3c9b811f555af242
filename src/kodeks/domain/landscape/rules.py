"""Rules over uses: overlapping periods, the status on a day, the phase of a use on a day."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from kodeks.domain.landscape.model import Status, Use


@dataclass(frozen=True, slots=True)
class Overlap:
    solution: str
    municipality: str
    first: Use
    second: Use

    def __str__(self) -> str:
        return (
            f"municipality {self.municipality}, solution {self.solution}: "
            f"{self.first.status.value} {self.first.valid} overlaps "
            f"{self.second.status.value} {self.second.valid}"
        )


def overlaps(uses: Iterable[Use]) -> list[Overlap]:
    """Pairs of uses of one solution by one municipality whose periods share a day.

    Periods are half-open, so ``[2020-01-01, 2021-01-01)`` and ``[2021-01-01, ∞)`` meet and do not
    overlap. Sorted by start, each period is compared with the latest-ending one before it.
    """
    groups: dict[tuple[str, str], list[Use]] = defaultdict(list)
    for use in uses:
        groups[(use.solution, use.municipality)].append(use)
    found: list[Overlap] = []
    for (solution, municipality), group in sorted(groups.items()):
        group.sort(key=lambda u: (u.valid.start is not None, u.valid.start or date.min))
        reach: Use | None = None
        for use in group:
            if reach is not None and reach.valid.intersect(use.valid) is not None:
                found.append(Overlap(solution, municipality, reach, use))
            if reach is None or _ends_later(use, reach):
                reach = use
    return found


def _ends_later(a: Use, b: Use) -> bool:
    if a.valid.end is None:
        return True
    return b.valid.end is not None and a.valid.end > b.valid.end


def status_on(uses: Iterable[Use], day: date) -> Status | None:
    """The status of the one use valid on ``day`` (uses of one solution by one municipality)."""
    for use in uses:
        if use.valid.contains(day):
            return use.status
    return None


def same_uses(a: Iterable[Use], b: Iterable[Use]) -> bool:
    """Whether two lists state the same uses (in any order)."""
    return sorted(map(_key, a)) == sorted(map(_key, b))


def _key(use: Use) -> tuple[str, str, str, str, str, tuple[str, ...]]:
    start = use.valid.start.isoformat() if use.valid.start else ""
    end = use.valid.end.isoformat() if use.valid.end else "~"
    return (use.solution, use.municipality, use.status.value, start, end, tuple(str(t) for t in use.purposes))
