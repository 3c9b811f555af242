"""Half-open validity intervals ``[start, end)`` over dates.

``None`` is an open end: ``start=None`` means "since always", ``end=None`` means "until further
notice". No magic dates are used anywhere.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class Period:
    start: date | None = None
    end: date | None = None

    def __post_init__(self) -> None:
        if self.start is not None and self.end is not None and self.end < self.start:
            raise ValueError(f"period ends ({self.end}) before it starts ({self.start})")

    @property
    def is_empty(self) -> bool:
        return self.start is not None and self.end is not None and self.start >= self.end

    def contains(self, day: date) -> bool:
        return (self.start is None or self.start <= day) and (self.end is None or day < self.end)

    def intersect(self, other: Period) -> Period | None:
        start = _max_start(self.start, other.start)
        end = _min_end(self.end, other.end)
        if start is not None and end is not None and start >= end:
            return None
        return Period(start, end)

    def meets(self, other: Period) -> bool:
        """True when ``other`` starts exactly where this period ends."""
        return self.end is not None and self.end == other.start

    def __str__(self) -> str:
        return f"[{self.start or '-∞'}, {self.end or '∞'})"


ALWAYS = Period(None, None)


def _max_start(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return max(a, b)


def _min_end(a: date | None, b: date | None) -> date | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)
