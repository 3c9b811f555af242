"""The interfaces of an import that streams: importers that hand over items one at a time, and the
staging area (temporary tables of the import's own transaction) that holds them instead of memory."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import AbstractContextManager
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol, runtime_checkable

from kodeks.domain.item import Item
from kodeks.domain.release import Bundle, Level, Release
from kodeks.domain.timeline import RecordedRelease
from kodeks.services.ports import ImportOptions, NewFact


@dataclass(frozen=True, slots=True)
class ItemStream:
    """A bundle whose items are read once, as they are needed (``bundle.items`` is empty)."""

    bundle: Bundle
    items: Iterator[Item]


@runtime_checkable
class StreamingImporter(Protocol):
    """An importer that can also stream: its header is checked at once, its items read lazily."""

    def stream(self, data: bytes, source: str, options: ImportOptions) -> ItemStream: ...


class Staging(Protocol):
    """Items and facts of one import held by the database, not in memory. ``rank`` 0 is the release
    being imported; a recorded release is staged under its sequence number."""

    def add_items(self, rank: int, items: Iterable[Item]) -> int:
        """Stage ``items`` in their order; returns how many."""
        ...

    def digest_order(self, rank: int) -> Iterator[tuple[str, bytes]]:
        """``(code, codec.item_json)`` of the staged items in ``codec.item_key`` order (stable)."""
        ...

    def unknown_parents(self, rank: int, limit: int) -> tuple[int, list[tuple[str, str]]]:
        """How many staged items name a parent that is not staged, and the first ``limit`` of them."""
        ...

    def hierarchy_knots(self, rank: int) -> dict[str, str | None]:
        """Code → parent of the codes whose ancestry never reaches the top (a cycle or above one)."""
        ...

    def items(self, rank: int) -> Iterator[Item]:
        """The staged items of ``rank`` in their order."""
        ...

    def add_release(
        self,
        classification_id: str,
        release: Release,
        levels: Sequence[Level],
        recorded_at: datetime,
        sha256: str,
    ) -> int:
        """Record the release staged as rank 0 (``UnitOfWork.add_release``); returns its sequence."""
        ...

    def add_recorded(self, classification_id: str, except_sequence: int) -> list[RecordedRelease]:
        """Stage every other recorded release's items under its sequence; the releases, without items."""
        ...

    def levels(self, ranks: Iterable[int]) -> set[int | None]: ...

    def count(self) -> int:
        """Items staged, of every rank."""
        ...

    def by_code(self) -> Iterator[tuple[str, list[tuple[int, Item]]]]:
        """Every staged item grouped by code (codes in order): ``(rank, item)`` by rank, then order."""
        ...

    def add_facts(self, facts: Iterable[NewFact]) -> None: ...

    def clear_facts(self) -> None: ...

    def orphans(self) -> int:
        """Staged facts valid where no staged fact's lifespan of their parent covers them."""
        ...

    def record_facts(self, classification_id: str, recorded_at: datetime) -> tuple[int, int]:
        """Make the staged facts the current records: close the others, insert the new; (inserted, closed)."""
        ...


@runtime_checkable
class StagingUnitOfWork(Protocol):
    def staging(self) -> AbstractContextManager[Staging]: ...
