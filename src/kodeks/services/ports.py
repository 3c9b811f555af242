"""The interfaces services depend on. Storage and formats implement them; tests fake them."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime
from types import TracebackType
from typing import Any, Protocol, runtime_checkable

from kodeks.domain.classification import Classification
from kodeks.domain.group import Group
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, Level, Release
from kodeks.domain.timeline import Fact, RecordedRelease


@dataclass(frozen=True, slots=True)
class RecordedVersion:
    """A release as the registry holds it, with when it was recorded."""

    release: Release
    levels: tuple[Level, ...]
    sequence: int
    recorded_at: datetime
    item_count: int


@dataclass(frozen=True, slots=True)
class ItemRecord:
    """One bitemporal row: a fact and the recorded period during which Kodeks held it.

    ``item.valid`` is the code's lifespan; ``period`` the valid time this row's content holds.
    """

    item: Item
    release: str
    recorded_from: datetime
    recorded_to: datetime | None
    period: Period


@dataclass(frozen=True, slots=True)
class NewFact:
    """A fact to record, with its fingerprint and its dict form (``codec.item_to_dict``), computed once."""

    fingerprint: str
    fact: Fact
    data: dict[str, Any]


@dataclass(frozen=True, slots=True)
class Registration:
    classification_id: str
    recorded_at: datetime
    action: str
    actor: str | None
    note: str | None
    summary: dict[str, int | str]


class UnitOfWork(Protocol):
    """One transaction. Leaving the ``with`` block without ``commit()`` rolls everything back."""

    def __enter__(self) -> UnitOfWork: ...

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None: ...

    def commit(self) -> None: ...

    def lock(self, name: str) -> None:
        """Hold a lock on ``name`` (e.g. ``classification:kle``) until the transaction ends, so that
        writers of the same thing (an import, a publication) take turns."""
        ...

    def last_recorded_at(self) -> datetime | None: ...

    def classification(self, classification_id: str, known_at: datetime) -> Classification | None: ...

    def classifications(self, known_at: datetime) -> list[Classification]: ...

    def record_classification(self, classification: Classification, recorded_at: datetime) -> bool: ...

    def versions(self, classification_id: str, known_at: datetime) -> list[RecordedVersion]: ...

    def add_release(
        self,
        classification_id: str,
        release: Release,
        levels: Sequence[Level],
        items: Sequence[Item],
        recorded_at: datetime,
        sha256: str | None,
    ) -> int: ...

    def release_by_digest(self, classification_id: str, sha256: str) -> RecordedVersion | None:
        """The recorded release whose content digest (``codec.content_digest``) is ``sha256``."""
        ...

    def release_contents(
        self, classification_id: str, except_sequence: int | None = None
    ) -> list[RecordedRelease]:
        """Every recorded release with its items (except the one numbered ``except_sequence``)."""
        ...

    def current_fingerprints(self, classification_id: str) -> dict[str, int]: ...

    def close_records(self, record_ids: Sequence[int], recorded_at: datetime) -> None: ...

    def insert_facts(
        self, classification_id: str, facts: Sequence[NewFact], recorded_at: datetime
    ) -> None: ...

    def items_at(
        self,
        classification_id: str,
        at: date,
        known_at: datetime,
        *,
        level: int | None = None,
        parent: str | None = None,
        code: str | None = None,
    ) -> list[Item]: ...

    def facts_known_at(
        self, classification_id: str, known_at: datetime, codes: Sequence[str] | None = None
    ) -> list[Fact]:
        """Every fact held at ``known_at`` (of ``codes`` only, if given), by code and period start."""
        ...

    def fact_batches(self, classification_id: str, known_at: datetime) -> Iterator[list[Fact]]:
        """``facts_known_at`` (every code) a batch at a time, for readers that need not hold them all."""
        ...

    def item_records(self, classification_id: str, code: str) -> list[ItemRecord]: ...

    def add_registration(self, registration: Registration, release_sequence: int | None) -> None: ...

    def registrations(self, classification_id: str, known_at: datetime) -> list[Registration]: ...


class UnitOfWorkFactory(Protocol):
    def __call__(self) -> UnitOfWork: ...


@dataclass(frozen=True, slots=True)
class ImportOptions:
    """What the user may tell an importer.

    ``classification`` overrides the classification id; ``mapping`` maps roles (``code``,
    ``parent``, ``title``, ``title_en``, ``valid_from``, ``valid_to``, ``level``, ``description``,
    ...) to column names for tabular formats; ``options`` holds other format-specific settings
    (``sheet``, ``delimiter``, ``encoding``, ``preset``, ``scheme``...).
    """

    classification: str | None = None
    mapping: dict[str, str] = field(default_factory=dict)
    options: dict[str, str] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class ExportSet:
    """What is exported: a classification, its levels and versions, and the items chosen.

    ``items`` are the facts valid on ``at`` (each with its own validity period), or every fact when
    ``at`` is ``None``. ``versions`` lists the recorded releases, oldest first; ``groups`` the
    collections of the version in force (a thesaurus' ``skos:Collection``).
    """

    classification: Classification
    items: tuple[Item, ...]
    levels: tuple[Level, ...] = ()
    versions: tuple[Release, ...] = ()
    at: date | None = None
    groups: tuple[Group, ...] = ()


class Importer(Protocol):
    name: str
    description: str
    extensions: tuple[str, ...]

    def sniff(self, head: bytes, filename: str) -> int:
        """Confidence 0-100 that the file (first bytes ``head``, its name) is in this format."""
        ...

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]: ...


@runtime_checkable
class ReadsWhole(Protocol):
    """An importer that holds a whole file in memory while it reads it. ``memory_factor`` is its peak
    memory per byte of file, measured by ``bench/import_memory.py --formats`` (``formats.budget``);
    a file whose size times it is more than the import memory budget is refused before parsing."""

    name: str
    memory_factor: int


class Exporter(Protocol):
    name: str
    media_type: str
    extension: str

    def write(self, export: ExportSet, options: dict[str, str] | None = None) -> bytes: ...


class FormatCatalog(Protocol):
    """The format registry as services see it."""

    def detect(self, head: bytes, filename: str) -> Importer: ...

    def importer(self, name: str) -> Importer: ...

    def exporter(self, name: str) -> Exporter: ...

    def exporter_names(self) -> list[str]: ...


__all__ = [
    "Bundle",
    "ExportSet",
    "Exporter",
    "FormatCatalog",
    "ImportOptions",
    "Importer",
    "ItemRecord",
    "NewFact",
    "ReadsWhole",
    "RecordedVersion",
    "Registration",
    "UnitOfWork",
    "UnitOfWorkFactory",
]
