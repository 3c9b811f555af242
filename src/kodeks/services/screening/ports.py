"""What the screening services need from storage (``storage.screening`` implements it)."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from kodeks.domain.screening.questionnaire import Questionnaire, Result
from kodeks.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Screening:
    """A project's answers to one version of a questionnaire, and the result computed then."""

    id: int
    questionnaire_id: str
    questionnaire_version: int
    project: str
    answers: dict[str, str]
    result: Result
    at: datetime
    actor: str | None
    organisation: str | None


class ScreeningStore(Protocol):
    def questionnaire(self, questionnaire_id: str, version: int | None = None) -> Questionnaire | None:
        """A version (default: the newest)."""
        ...

    def questionnaires(self) -> list[Questionnaire]:
        """The newest version of each questionnaire."""
        ...

    def add_questionnaire(self, q: Questionnaire, at: datetime, actor: str | None) -> None: ...

    def add_screening(self, s: Screening) -> int: ...

    def screening(self, screening_id: int) -> Screening | None: ...

    def screenings(self, *, project: str | None = None, limit: int = 100) -> list[Screening]:
        """Newest first."""
        ...


ScreeningStoreOpener = Callable[[UnitOfWork], ScreeningStore]
