"""Supplier answers to a requirement set, and the comparison across suppliers.

A supplier answers each requirement with a compliance (``yes``/``partly``/``no``; the sheet says
``Ja``/``Delvist``/``Nej``) and free text. A *must* requirement answered ``no`` (or not answered)
disqualifies the offer on that requirement; the comparison counts such gaps per supplier.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from enum import StrEnum

from kodeks.domain.requirements.requirement import Priority
from kodeks.domain.requirements.tender import Line

_SUPPLIER = re.compile(r"^[^\x00-\x1f]{1,200}$")
MAX_ANSWER = 10_000


class Compliance(StrEnum):
    YES = "yes"
    PARTLY = "partly"
    NO = "no"


COMPLIANCE_DA = {Compliance.YES: "Ja", Compliance.PARTLY: "Delvist", Compliance.NO: "Nej"}
_READ = {
    "ja": Compliance.YES,
    "yes": Compliance.YES,
    "opfyldt": Compliance.YES,
    "delvist": Compliance.PARTLY,
    "partly": Compliance.PARTLY,
    "delvis": Compliance.PARTLY,
    "nej": Compliance.NO,
    "no": Compliance.NO,
    "ikke opfyldt": Compliance.NO,
}


def read_compliance(value: str) -> Compliance | None:
    """``Ja``/``Delvist``/``Nej`` (any case; English too) → compliance; empty → ``None``."""
    text = value.strip().lower()
    if not text:
        return None
    found = _READ.get(text)
    if found is None:
        raise ValueError(f"compliance {value[:40]!r} must be Ja, Delvist or Nej")
    return found


@dataclass(frozen=True, slots=True)
class Answer:
    supplier: str
    requirement_id: str
    compliance: Compliance | None
    text: str = ""

    def __post_init__(self) -> None:
        if not _SUPPLIER.match(self.supplier) or not self.supplier.strip():
            raise ValueError("a supplier name must be 1-200 characters without control characters")
        if len(self.text) > MAX_ANSWER:
            raise ValueError(f"an answer must be at most {MAX_ANSWER:,} characters")


@dataclass(frozen=True, slots=True)
class SupplierSummary:
    supplier: str
    yes: int
    partly: int
    no: int
    unanswered: int
    must_gaps: tuple[str, ...]  # must requirements answered no or not at all

    @property
    def qualified(self) -> bool:
        return not self.must_gaps


@dataclass(frozen=True, slots=True)
class Comparison:
    suppliers: tuple[str, ...]
    rows: tuple[tuple[Line, tuple[Answer | None, ...]], ...]
    summaries: tuple[SupplierSummary, ...]


def compare(lines: Sequence[Line], answers: Iterable[Answer]) -> Comparison:
    """One row per line, one column per supplier (suppliers in name order)."""
    by_key = {(a.supplier, a.requirement_id): a for a in answers}
    suppliers = tuple(sorted({s for s, _ in by_key}, key=str.casefold))
    rows = tuple((line, tuple(by_key.get((s, line.requirement.id)) for s in suppliers)) for line in lines)
    summaries = []
    for i, s in enumerate(suppliers):
        got = [answers_[i] for _, answers_ in rows]
        count = {c: sum(1 for a in got if a is not None and a.compliance is c) for c in Compliance}
        gaps = tuple(
            line.requirement.id
            for line, answers_ in rows
            if line.priority is Priority.MUST
            and (answers_[i] is None or answers_[i].compliance in (None, Compliance.NO))  # type: ignore[union-attr]
        )
        unanswered = sum(1 for a in got if a is None or a.compliance is None)
        summaries.append(
            SupplierSummary(
                s, count[Compliance.YES], count[Compliance.PARTLY], count[Compliance.NO], unanswered, gaps
            )
        )
    return Comparison(suppliers, rows, tuple(summaries))
