"""The summary of a validation run: counts and shares per status, the commonest unknown values,
invalid values by year, and the spread over the classification's top level."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from kodeks.domain.data.status import Status

#: Statuses counted as invalid in ``invalid_by_year`` and by the ``invalid`` threshold.
INVALID = frozenset(
    {Status.EXPIRED, Status.MOVED, Status.NOT_YET_VALID, Status.UNKNOWN, Status.MALFORMED, Status.WRONG_LEVEL}
)


@dataclass(frozen=True, slots=True)
class Summary:
    rows: int
    statuses: dict[str, int]
    top_unknown: tuple[tuple[str, int], ...] = ()
    invalid_by_year: tuple[tuple[int, int], ...] = ()
    by_top: tuple[tuple[str, int], ...] = ()
    column: str = ""
    classification: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, rows: int, counts: dict[str, int], **kwargs: Any) -> Summary:
        unknown = set(counts) - {s.value for s in Status}
        if unknown:
            raise ValueError(f"not status words: {sorted(unknown)}")
        return cls(rows, {s.value: int(counts.get(s.value, 0)) for s in Status}, **kwargs)

    def count(self, name: str) -> int:
        if name == "invalid":
            return sum(self.statuses[s.value] for s in INVALID)
        return self.statuses[name]

    def share(self, name: str) -> float:
        return self.count(name) / self.rows if self.rows else 0.0

    def as_dict(self) -> dict[str, Any]:
        return {
            "column": self.column,
            "classification": self.classification,
            "rows": self.rows,
            "statuses": dict(self.statuses),
            "shares": {k: (v / self.rows if self.rows else 0.0) for k, v in self.statuses.items()},
            "top_unknown": [{"value": v, "count": n} for v, n in self.top_unknown],
            "invalid_by_year": [{"year": y, "count": n} for y, n in self.invalid_by_year],
            "by_top_level": [{"code": c, "count": n} for c, n in self.by_top],
            **self.extra,
        }
