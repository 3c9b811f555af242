"""What the catalog service needs from storage (storage implements it; tests may fake it)."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Protocol

from kodeks.domain.catalog import CatalogEntry
from kodeks.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class StoredEntry:
    """An entry as recorded: ``edited`` names the fields an editor set (imports leave them alone)."""

    entry: CatalogEntry
    edited: frozenset[str]
    recorded_at: datetime
    actor: str | None


class CatalogStore(Protocol):
    """Catalog entries, inside the unit of work's transaction."""

    def get(self, entry_id: str) -> StoredEntry | None: ...

    def all(self) -> list[StoredEntry]: ...

    def put(
        self, entry: CatalogEntry, edited: frozenset[str], actor: str | None, recorded_at: datetime
    ) -> None:
        """Record ``entry`` as the current version (closing the previous one)."""
        ...

    def remove(self, entry_id: str, recorded_at: datetime) -> None: ...

    def last_recorded_at(self) -> datetime | None: ...

    def history(self, entry_id: str) -> Sequence[StoredEntry]: ...

    def put_quality(
        self, entry_id: str, declaration: dict[str, Any], actor: str | None, recorded_at: datetime
    ) -> None:
        """Attach a quality declaration (``Declaration.as_dict``) to an entry, closing its current one."""
        ...

    def qualities(self) -> dict[str, dict[str, Any]]:
        """The current quality declaration of every entry that has one, by entry id."""
        ...


CatalogStoreOpener = Callable[[UnitOfWork], CatalogStore]
