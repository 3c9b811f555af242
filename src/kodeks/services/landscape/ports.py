"""What the landscape services need from storage (``kodeks.storage.landscape`` implements it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import Protocol

from kodeks.domain.landscape.model import Solution, Use
from kodeks.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class RecordedUse:
    """A use with the recorded time it was held over ``[recorded_from, recorded_to)``."""

    use: Use
    recorded_from: datetime
    recorded_to: datetime | None
    actor: str | None


class LandscapeStore(Protocol):
    """Solutions and uses, inside the unit of work's transaction. Append and close: a change closes
    the current rows (``recorded_to``) and adds new ones; nothing is deleted."""

    def solutions(self, known_at: datetime) -> list[Solution]: ...

    def solution(self, solution_id: str, known_at: datetime) -> Solution | None: ...

    def put_solution(self, solution: Solution, actor: str | None, recorded_at: datetime) -> bool:
        """Record ``solution`` as current; ``False`` when it is already held exactly so."""
        ...

    def uses(
        self,
        known_at: datetime,
        *,
        at: date | None = None,
        solution: str | None = None,
        municipality: str | None = None,
    ) -> list[Use]:
        """Uses held at ``known_at`` (valid on ``at`` when given), optionally for one solution or
        one municipality."""
        ...

    def close_uses(self, pairs: Sequence[tuple[str, str]], recorded_at: datetime) -> None:
        """End the recorded time of the current uses of each (solution, municipality) pair."""
        ...

    def add_uses(self, uses: Sequence[Use], actor: str | None, recorded_at: datetime) -> None: ...

    def current_pairs(self) -> dict[tuple[str, str], list[Use]]:
        """Every current use by (solution, municipality): one read for a whole import."""
        ...

    def use_history(self, solution: str, municipality: str | None = None) -> list[RecordedUse]: ...

    def last_recorded_at(self) -> datetime | None: ...

    def state(self) -> tuple[datetime | None, int, int]:
        """What identifies the recorded landscape: its last recording and its row counts."""
        ...

    def put_boundaries(self, paths: dict[str, str], height: float) -> None:
        """Replace the map's municipal boundaries (SVG paths in a box 1000 wide)."""
        ...

    def boundaries(self) -> tuple[dict[str, str], float]: ...


LandscapeStoreOpener = Callable[[UnitOfWork], LandscapeStore]
