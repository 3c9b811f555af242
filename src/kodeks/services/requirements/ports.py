"""What the requirement services need from storage (``storage.requirements`` implements it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from kodeks.domain.requirements.answers import Answer
from kodeks.domain.requirements.requirement import Requirement
from kodeks.domain.requirements.tender import RequirementSet
from kodeks.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class Event:
    """One entry of the requirement part's trail."""

    subject_kind: str  # requirement | set
    subject_id: str
    version: int | None
    action: str
    actor: str
    organisation: str | None
    at: datetime
    note: str | None = None


class RequirementStore(Protocol):
    def versions(self, requirement_id: str) -> list[Requirement]:
        """Every version, oldest first."""
        ...

    def requirement(self, requirement_id: str, version: int) -> Requirement | None: ...

    def latest(self, *, published_only: bool = False) -> list[Requirement]:
        """The newest version of every requirement (or the newest published), by id."""
        ...

    def add_version(self, req: Requirement, at: datetime) -> None:
        """Add a version; ``Conflict`` if that version exists already."""
        ...

    def save_version(self, req: Requirement, at: datetime) -> None:
        """Store a changed draft or its new state (the same id and version)."""
        ...

    def add_event(self, event: Event) -> None: ...

    def events(self, subject_kind: str, subject_id: str) -> list[Event]: ...

    def requirement_set(self, set_id: str) -> RequirementSet | None: ...

    def requirement_sets(self) -> list[RequirementSet]: ...

    def save_set(self, rset: RequirementSet, at: datetime, actor: str | None) -> None: ...

    def replace_answers(
        self, set_id: str, supplier: str, answers: Sequence[Answer], at: datetime, actor: str | None
    ) -> None:
        """Replace what ``supplier`` answered to the set by ``answers``."""
        ...

    def answers(self, set_id: str) -> list[Answer]: ...


RequirementStoreOpener = Callable[[UnitOfWork], RequirementStore]
