"""Value domains bound to registry classifications, as the writers and the checks see them."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date


@dataclass(frozen=True, slots=True)
class BoundDomain:
    """The codes (with titles) of ``classification_id`` valid on ``at``: an attribute's value domain."""

    classification_id: str
    at: date
    codes: tuple[tuple[str, str], ...]
    uri: str = ""


@dataclass(frozen=True, slots=True)
class EnumerationComparison:
    """An enumeration's literals against a classification's codes on a date."""

    enumeration_id: str
    classification_id: str
    at: date
    both: tuple[str, ...]
    only_enumeration: tuple[str, ...]
    only_classification: tuple[str, ...]

    @property
    def matches(self) -> bool:
        return not self.only_enumeration and not self.only_classification


def compare(
    enumeration_id: str, literals: list[str], classification_id: str, at: date, codes: list[str]
) -> EnumerationComparison:
    lits, cods = set(literals), set(codes)
    return EnumerationComparison(
        enumeration_id,
        classification_id,
        at,
        tuple(sorted(lits & cods)),
        tuple(sorted(lits - cods)),
        tuple(sorted(cods - lits)),
    )
