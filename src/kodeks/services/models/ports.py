"""What the information-model services need: a store inside the registry's unit of work, and the
model formats (readers and writers). Storage implements ``ModelStore`` (``kodeks.storage.models``),
``kodeks.formats.models_registry`` the formats; unit tests may fake either.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date, datetime
from typing import Any, Protocol

from kodeks.domain.models.catalogue import CatalogueEntry
from kodeks.domain.models.model import InfoModel
from kodeks.services.ports import UnitOfWork


@dataclass(frozen=True, slots=True)
class VersionInfo:
    """One recorded version of a model (without its content)."""

    model_id: str
    sequence: int
    name: str
    label: str
    format: str
    source_name: str
    sha256: str
    counts: dict[str, int]
    valid_from: date | None
    actor: str | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class StoredModel:
    info: VersionInfo
    model: InfoModel


@dataclass(frozen=True, slots=True)
class Binding:
    """An element's value domain is the registry classification ``classification_id`` (as valid on
    ``valid_at``; ``None``: whatever date the reader asks)."""

    model_id: str
    element_id: str
    classification_id: str
    valid_at: date | None
    actor: str | None
    recorded_at: datetime


@dataclass(frozen=True, slots=True)
class Event:
    model_id: str
    action: str
    actor: str | None
    note: str | None
    summary: dict[str, Any]
    recorded_at: datetime


class ModelStore(Protocol):
    def latest(self, model_id: str) -> StoredModel | None: ...

    def version(self, model_id: str, sequence: int) -> StoredModel | None: ...

    def versions(self, model_id: str) -> list[VersionInfo]: ...

    def models(self) -> list[VersionInfo]:
        """The newest version of every model, by model id."""
        ...

    def by_digest(self, model_id: str, sha256: str) -> VersionInfo | None: ...

    def add_version(
        self,
        model: InfoModel,
        *,
        format: str,
        source_name: str,
        sha256: str,
        valid_from: date | None,
        actor: str | None,
        recorded_at: datetime,
    ) -> int: ...

    def add_event(self, event: Event) -> None: ...

    def events(self, model_id: str) -> list[Event]: ...

    def bindings(
        self, *, model_id: str | None = None, classification_id: str | None = None
    ) -> list[Binding]: ...

    def put_binding(self, binding: Binding) -> None:
        """Record ``binding`` as the element's current binding (closing the previous one)."""
        ...

    def remove_binding(self, model_id: str, element_id: str, recorded_at: datetime) -> bool: ...

    def catalogue_entries(self) -> list[CatalogueEntry]:
        """The current entries of imported model catalogues."""
        ...

    def put_catalogue_entry(
        self, entry: CatalogueEntry, actor: str | None, recorded_at: datetime
    ) -> bool: ...

    def last_recorded_at(self) -> datetime | None: ...


ModelStoreOpener = Callable[[UnitOfWork], ModelStore]

ModelReader = Callable[[bytes, str, str | None], InfoModel]
ModelWriter = Callable[..., bytes]


class ModelFormats(Protocol):
    def reader(self, name: str) -> ModelReader: ...

    def memory_factor(self, name: str) -> int:
        """Peak memory of reading and storing a file of format ``name``, per byte of file."""
        ...

    def detect(self, head: bytes, filename: str) -> str: ...

    def writer(self, name: str) -> ModelWriter: ...

    def writer_names(self) -> list[str]: ...
