"""In-memory fakes of the service ports, so services are unit-tested without a database.

``FakeStore`` holds what a database would; ``FakeUnitOfWork`` works on a copy of it and writes the
copy back only on ``commit()``, so leaving the ``with`` block without committing rolls back, as the
real unit of work does. ``FakeCatalog`` is a format registry with one importer that returns the
bundles it was given.
"""

from __future__ import annotations

import copy
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from types import TracebackType
from typing import Any

from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.release import Bundle, Level, Release, ReleaseKind
from kodeks.domain.timeline import Fact, RecordedRelease
from kodeks.errors import UnknownFormat
from kodeks.services.ports import (
    Exporter,
    ExportSet,
    Importer,
    ImportOptions,
    ItemRecord,
    NewFact,
    RecordedVersion,
    Registration,
)


@dataclass
class Row:
    """One bitemporal item row, as ``item_record`` holds it."""

    id: int
    classification_id: str
    fingerprint: str
    fact: Fact
    recorded_from: datetime
    recorded_to: datetime | None = None


@dataclass
class StoredRelease:
    classification_id: str
    release: Release
    levels: tuple[Level, ...]
    items: tuple[Item, ...]
    sequence: int
    recorded_at: datetime
    sha256: str | None


@dataclass
class FakeStore:
    classifications: list[tuple[Classification, datetime, datetime | None]] = field(default_factory=list)
    releases: list[StoredRelease] = field(default_factory=list)
    rows: list[Row] = field(default_factory=list)
    registrations: list[tuple[Registration, int | None]] = field(default_factory=list)
    commits: int = 0
    locks: list[str] = field(default_factory=list)


def _known(start: datetime, end: datetime | None, known_at: datetime) -> bool:
    return start <= known_at and (end is None or end > known_at)


class FakeUnitOfWork:
    def __init__(self, store: FakeStore, fail_on: str | None = None) -> None:
        self.store = store
        self.fail_on = fail_on
        self._work: FakeStore | None = None

    @property
    def work(self) -> FakeStore:
        if self._work is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._work

    def _maybe_fail(self, method: str) -> None:
        if self.fail_on == method:
            raise RuntimeError(f"injected failure in {method}")

    def __enter__(self) -> FakeUnitOfWork:
        self._work = copy.deepcopy(self.store)
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        self._work = None

    def lock(self, name: str) -> None:
        self.work.locks.append(name)

    def commit(self) -> None:
        self._maybe_fail("commit")
        work = self.work
        work.commits += 1
        self.store.__dict__.update(copy.deepcopy(work).__dict__)

    def last_recorded_at(self) -> datetime | None:
        times = [r.recorded_at for r, _ in self.work.registrations]
        return max(times) if times else None

    def classification(self, classification_id: str, known_at: datetime) -> Classification | None:
        return next(
            (
                c
                for c, start, end in self.work.classifications
                if c.id == classification_id and _known(start, end, known_at)
            ),
            None,
        )

    def classifications(self, known_at: datetime) -> list[Classification]:
        return sorted(
            (c for c, s, e in self.work.classifications if _known(s, e, known_at)), key=lambda c: c.id
        )

    def record_classification(self, classification: Classification, recorded_at: datetime) -> bool:
        self._maybe_fail("record_classification")
        rows = self.work.classifications
        for index, (c, start, end) in enumerate(rows):
            if c.id == classification.id and end is None:
                if c == classification:
                    return False
                rows[index] = (c, start, recorded_at)
        rows.append((classification, recorded_at, None))
        return True

    def versions(self, classification_id: str, known_at: datetime) -> list[RecordedVersion]:
        found = [
            r
            for r in self.work.releases
            if r.classification_id == classification_id and r.recorded_at <= known_at
        ]
        found.sort(key=lambda r: (r.release.release_date, r.sequence))
        return [RecordedVersion(r.release, r.levels, r.sequence, r.recorded_at, len(r.items)) for r in found]

    def add_release(
        self,
        classification_id: str,
        release: Release,
        levels: Sequence[Level],
        items: Sequence[Item],
        recorded_at: datetime,
        sha256: str | None,
    ) -> int:
        self._maybe_fail("add_release")
        sequence = 1 + max(
            (r.sequence for r in self.work.releases if r.classification_id == classification_id), default=0
        )
        self.work.releases.append(
            StoredRelease(
                classification_id, release, tuple(levels), tuple(items), sequence, recorded_at, sha256
            )
        )
        return sequence

    def release_by_digest(self, classification_id: str, sha256: str) -> RecordedVersion | None:
        for r in sorted(self.work.releases, key=lambda r: r.sequence):
            if r.classification_id == classification_id and r.sha256 == sha256:
                return RecordedVersion(r.release, r.levels, r.sequence, r.recorded_at, len(r.items))
        return None

    def release_contents(
        self, classification_id: str, except_sequence: int | None = None
    ) -> list[RecordedRelease]:
        return [
            RecordedRelease(r.release, r.items, r.sequence)
            for r in self.work.releases
            if r.classification_id == classification_id and r.sequence != except_sequence
        ]

    def current_fingerprints(self, classification_id: str) -> dict[str, int]:
        return {
            r.fingerprint: r.id
            for r in self.work.rows
            if r.classification_id == classification_id and r.recorded_to is None
        }

    def close_records(self, record_ids: Sequence[int], recorded_at: datetime) -> None:
        self._maybe_fail("close_records")
        ids = set(record_ids)
        for row in self.work.rows:
            if row.id in ids:
                row.recorded_to = recorded_at

    def insert_facts(self, classification_id: str, facts: Sequence[NewFact], recorded_at: datetime) -> None:
        self._maybe_fail("insert_facts")
        for new in facts:
            self.work.rows.append(
                Row(len(self.work.rows) + 1, classification_id, new.fingerprint, new.fact, recorded_at)
            )

    def _known_facts(self, classification_id: str, known_at: datetime) -> list[Fact]:
        return [
            r.fact
            for r in self.work.rows
            if r.classification_id == classification_id and _known(r.recorded_from, r.recorded_to, known_at)
        ]

    def items_at(
        self,
        classification_id: str,
        at: date,
        known_at: datetime,
        *,
        level: int | None = None,
        parent: str | None = None,
        code: str | None = None,
    ) -> list[Item]:
        return [
            f.item
            for f in self._known_facts(classification_id, known_at)
            if f.period.contains(at)
            and (level is None or f.item.level == level)
            and (parent is None or f.item.parent == parent)
            and (code is None or f.item.code == code)
        ]

    def fact_batches(self, classification_id: str, known_at: datetime) -> Iterator[list[Fact]]:
        yield self.facts_known_at(classification_id, known_at)

    def facts_known_at(
        self, classification_id: str, known_at: datetime, codes: Sequence[str] | None = None
    ) -> list[Fact]:
        found = [
            f for f in self._known_facts(classification_id, known_at) if codes is None or f.code in codes
        ]
        return sorted(found, key=lambda f: (f.code, f.period.start is not None, f.period.start or date.min))

    def item_records(self, classification_id: str, code: str) -> list[ItemRecord]:
        rows = [
            r for r in self.work.rows if r.classification_id == classification_id and r.fact.item.code == code
        ]
        rows.sort(key=lambda r: (r.recorded_from, r.fact.period.start or date.min, r.id))
        return [
            ItemRecord(r.fact.item, r.fact.release, r.recorded_from, r.recorded_to, r.fact.period)
            for r in rows
        ]

    def add_registration(self, registration: Registration, release_sequence: int | None) -> None:
        self._maybe_fail("add_registration")
        self.work.registrations.append((registration, release_sequence))

    def registrations(self, classification_id: str, known_at: datetime) -> list[Registration]:
        return [
            r
            for r, _ in self.work.registrations
            if r.classification_id == classification_id and r.recorded_at <= known_at
        ]


class FakeUnitOfWorkFactory:
    """Hands out units of work over one store; ``fail_on`` names a method that raises."""

    def __init__(self, store: FakeStore | None = None, fail_on: str | None = None) -> None:
        self.store = store or FakeStore()
        self.fail_on = fail_on

    def __call__(self) -> FakeUnitOfWork:
        return FakeUnitOfWork(self.store, self.fail_on)


class BundleImporter:
    """An importer that returns the bundles ``make`` builds; the bytes are ignored."""

    name = "fake"
    description = "test importer"
    extensions = (".fake",)

    def __init__(self, make: Callable[[], list[Bundle]]) -> None:
        self.make = make

    def sniff(self, head: bytes, filename: str) -> int:
        return 100 if filename.endswith(".fake") else 0

    def read(self, data: bytes, source: str, options: ImportOptions) -> list[Bundle]:
        return self.make()


class ReprExporter:
    name = "repr"
    media_type = "text/plain"
    extension = "txt"

    def write(self, export: ExportSet, options: dict[str, str] | None = None) -> bytes:
        return "\n".join(f"{i.code}\t{i.title()}" for i in export.items).encode() + b"\n"


class FakeCatalog:
    """A ``FormatCatalog`` with one importer and one exporter."""

    def __init__(self, importer: Importer, exporter: Exporter | None = None) -> None:
        self._importer = importer
        self._exporter = exporter or ReprExporter()

    def detect(self, head: bytes, filename: str) -> Importer:
        if self._importer.sniff(head, filename) <= 0:
            raise UnknownFormat("no importer recognises this file", source=filename)
        return self._importer

    def importer(self, name: str) -> Importer:
        if name != self._importer.name:
            raise UnknownFormat(f"unknown import format {name!r}")
        return self._importer

    def exporter(self, name: str) -> Exporter:
        if name != self._exporter.name:
            raise UnknownFormat(f"unknown export format {name!r}")
        return self._exporter

    def exporter_names(self) -> list[str]:
        return [self._exporter.name]


def catalog_for(*bundles: Bundle) -> FakeCatalog:
    """A catalog whose importer returns ``bundles`` for any ``*.fake`` file."""
    return FakeCatalog(BundleImporter(lambda: list(bundles)))


# -- factories: plain functions with defaults -----------------------------------------------------


def make_item(
    code: str,
    title: str | None = None,
    *,
    parent: str | None = None,
    level: int | None = None,
    start: date | None = None,
    end: date | None = None,
    **kw: Any,
) -> Item:
    return Item(
        code,
        {"da": title or f"title {code}"},
        level=level if level is not None else code.count(".") + 1,
        parent=parent,
        valid=Period(start, end),
        **kw,
    )


def make_bundle(
    *items: Item,
    cid: str = "test",
    day: date | None = date(2020, 1, 1),
    label: str | None = None,
    kind: ReleaseKind = ReleaseKind.SNAPSHOT,
    **kw: Any,
) -> Bundle:
    return Bundle(
        Classification(cid, {"da": cid.upper()}),
        items,
        levels=(Level(1, {"da": "Hovedgruppe"}),),
        release_label=label,
        release_date=day,
        kind=kind,
        source=f"{cid}.fake",
        format="fake",
        **kw,
    )


class SteppingClock:
    """A clock that only moves when told to; ``frozen`` never moves."""

    def __init__(self, start: datetime = datetime(2024, 1, 1, 12, 0)) -> None:
        self.now = start

    def __call__(self) -> datetime:
        return self.now

    def advance(self, **delta: float) -> datetime:
        self.now += timedelta(**delta)
        return self.now
