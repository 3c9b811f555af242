"""The AI code bank (*byttebørs*): algorithms and models municipalities share without sharing data.

An entry describes a shared algorithm: its purpose, the KLE task it serves, a description of its
input data (never the data), licence, code repository, evaluation results, EU AI Act risk category,
DPIA status, contact and the municipality that offers it. Which municipalities use it is the
landscape's usage model: an entry is also a solution (``solution()``), and its uses are ordinary
uses. A municipality publishes an **offer** (or a **request** for one); another registers
**interest** in it.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from kodeks.domain.landscape.model import MAX_NAME, MAX_TEXT, Scope, Solution, TaskRef
from kodeks.domain.local.municipalities import MUNICIPALITIES

CATEGORY = "AI-algoritme (kodebank)"
_EMAIL = re.compile(r"^[^@\s]{1,100}@[^@\s]{1,200}\.[A-Za-z]{2,}$")


class AiActRisk(StrEnum):
    """The EU AI Act's risk categories (Regulation (EU) 2024/1689)."""

    MINIMAL = "minimal"
    LIMITED = "limited"  # transparency obligations
    HIGH = "high"
    UNACCEPTABLE = "unacceptable"  # prohibited practices


class DpiaStatus(StrEnum):
    """Where the data protection impact assessment (GDPR art. 35) stands."""

    NOT_NEEDED = "not_needed"
    PLANNED = "planned"
    IN_PROGRESS = "in_progress"
    DONE = "done"


class OfferKind(StrEnum):
    OFFER = "offer"
    REQUEST = "request"


@dataclass(frozen=True, slots=True)
class CodeBankEntry:
    id: str
    name: str
    purpose: str
    task: TaskRef
    owner: str  # the municipality that offers it (3-digit code)
    input_data: str  # a description of the input data, never the data
    licence: str
    repository: str | None = None
    evaluation: str | None = None
    risk: AiActRisk = AiActRisk.MINIMAL
    dpia: DpiaStatus = DpiaStatus.PLANNED
    contact: str | None = None

    def __post_init__(self) -> None:
        if not re.fullmatch(r"[a-z0-9][a-z0-9._-]{0,99}", self.id):
            raise ValueError(f"{self.id!r} is not an entry id (lower-case letters, digits, '.', '_', '-')")
        for name, value, limit in (
            ("name", self.name, MAX_NAME),
            ("purpose", self.purpose, MAX_TEXT),
            ("input_data", self.input_data, MAX_TEXT),
            ("licence", self.licence, MAX_NAME),
        ):
            if not value.strip() or len(value) > limit:
                raise ValueError(f"{name} must be 1-{limit} characters")
        if self.evaluation is not None and len(self.evaluation) > MAX_TEXT:
            raise ValueError(f"evaluation must be at most {MAX_TEXT} characters")
        if self.owner not in MUNICIPALITIES:
            raise ValueError(f"owner {self.owner!r} is not a municipality code")
        if self.repository and not re.fullmatch(r"https://[^\s]{3,500}", self.repository):
            raise ValueError("repository must be an https:// address")
        if self.contact and not _EMAIL.match(self.contact):
            raise ValueError("contact must be an e-mail address")
        if self.risk is AiActRisk.UNACCEPTABLE:
            raise ValueError("an algorithm in the AI Act's unacceptable-risk category may not be shared")
        if self.risk is AiActRisk.HIGH and self.dpia is DpiaStatus.NOT_NEEDED:
            raise ValueError("a high-risk algorithm needs a DPIA (its status cannot be 'not_needed')")

    def solution(self) -> Solution:
        """The entry as a solution of the landscape, so its use is recorded like any other."""
        return Solution(
            self.id,
            self.name,
            Scope.CROSS,
            category=CATEGORY,
            description=self.purpose,
            owner=self.owner,
            supplier=f"{MUNICIPALITIES[self.owner].name} Kommune",
            purposes=(self.task,),
        )

    def text(self) -> str:
        """What a search looks in."""
        return " ".join((self.id, self.name, self.purpose, self.input_data, str(self.task), self.licence))


@dataclass(frozen=True, slots=True)
class Offer:
    id: int
    entry: str
    kind: OfferKind
    municipality: str
    note: str
    created_at: datetime
    interested: tuple[tuple[str, str], ...] = ()  # (municipality, note)
