"""Information models in SQL: versions appended (never overwritten), bindings appended and closed."""

from __future__ import annotations

import weakref
from collections import OrderedDict
from datetime import date, datetime
from threading import Lock
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, select, update

from kodeks.domain.models.catalogue import CatalogueEntry, entry_from_dict, entry_to_dict
from kodeks.domain.models.codec import model_from_dict, model_to_dict
from kodeks.domain.models.model import InfoModel
from kodeks.services.models.ports import Binding, Event, StoredModel, VersionInfo
from kodeks.services.ports import UnitOfWork
from kodeks.storage.models_tables import model_binding, model_catalogue_entry, model_event, model_version

_V = model_version.c
_B = model_binding.c
_E = model_event.c
_INFO = (
    _V.model_id,
    _V.sequence,
    _V.name,
    _V.label,
    _V.format,
    _V.source_name,
    _V.sha256,
    _V.counts,
    _V.valid_from,
    _V.actor,
    _V.recorded_at,
)


#: Parsed model versions per engine. A version is never changed once recorded, so (model id, version)
#: names its content for good; reading a large model (FINT) from JSON costs ~0.1 s, a page far less.
_CACHE: weakref.WeakKeyDictionary[Engine, OrderedDict[tuple[str, int], StoredModel]] = (
    weakref.WeakKeyDictionary()
)
_CACHE_LOCK = Lock()
_CACHE_SIZE = 16


def _cached(engine: Engine, key: tuple[str, int]) -> StoredModel | None:
    with _CACHE_LOCK:
        per_engine = _CACHE.get(engine)
        if per_engine is None or key not in per_engine:
            return None
        per_engine.move_to_end(key)
        return per_engine[key]


def _remember(engine: Engine, stored: StoredModel) -> None:
    with _CACHE_LOCK:
        per_engine = _CACHE.setdefault(engine, OrderedDict())
        per_engine[(stored.info.model_id, stored.info.sequence)] = stored
        while len(per_engine) > _CACHE_SIZE:
            per_engine.popitem(last=False)


def _info(row: Any) -> VersionInfo:
    return VersionInfo(
        row.model_id,
        row.sequence,
        row.name,
        row.label,
        row.format,
        row.source_name,
        row.sha256,
        dict(row.counts),
        row.valid_from,
        row.actor,
        row.recorded_at,
    )


class SqlModelStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def _stored(self, model_id: str, sequence: int | None) -> StoredModel | None:
        query = select(*_INFO).where(_V.model_id == model_id)
        query = (
            query.order_by(_V.sequence.desc()).limit(1)
            if sequence is None
            else query.where(_V.sequence == sequence)
        )
        row = self.conn.execute(query).first()
        if row is None:
            return None
        engine = self.conn.engine
        found = _cached(engine, (row.model_id, row.sequence))
        if found is None:
            data = self.conn.execute(
                select(_V.data).where(_V.model_id == row.model_id, _V.sequence == row.sequence)
            ).scalar_one()
            found = StoredModel(_info(row), model_from_dict(data))
            _remember(engine, found)
        return found

    def latest(self, model_id: str) -> StoredModel | None:
        return self._stored(model_id, None)

    def version(self, model_id: str, sequence: int) -> StoredModel | None:
        return self._stored(model_id, sequence)

    def versions(self, model_id: str) -> list[VersionInfo]:
        rows = self.conn.execute(select(*_INFO).where(_V.model_id == model_id).order_by(_V.sequence))
        return [_info(r) for r in rows]

    def models(self) -> list[VersionInfo]:
        newest = select(_V.model_id, func.max(_V.sequence).label("sequence")).group_by(_V.model_id).subquery()
        rows = self.conn.execute(
            select(*_INFO)
            .join(newest, and_(_V.model_id == newest.c.model_id, _V.sequence == newest.c.sequence))
            .order_by(_V.model_id)
        )
        return [_info(r) for r in rows]

    def by_digest(self, model_id: str, sha256: str) -> VersionInfo | None:
        row = self.conn.execute(
            select(*_INFO).where(_V.model_id == model_id, _V.sha256 == sha256).order_by(_V.sequence)
        ).first()
        return _info(row) if row else None

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
    ) -> int:
        sequence = (
            self.conn.execute(select(func.max(_V.sequence)).where(_V.model_id == model.id)).scalar() or 0
        ) + 1
        self.conn.execute(
            insert(model_version).values(
                model_id=model.id,
                sequence=sequence,
                name=model.name,
                label=model.version[:200],
                format=format,
                source_name=source_name[:300],
                sha256=sha256,
                counts=model.counts(),
                data=model_to_dict(model),
                valid_from=valid_from,
                actor=actor,
                recorded_at=recorded_at,
            )
        )
        return sequence

    def add_event(self, event: Event) -> None:
        self.conn.execute(
            insert(model_event).values(
                model_id=event.model_id,
                action=event.action,
                actor=event.actor,
                note=event.note,
                summary=event.summary,
                recorded_at=event.recorded_at,
            )
        )

    def events(self, model_id: str) -> list[Event]:
        rows = self.conn.execute(
            select(model_event).where(_E.model_id == model_id).order_by(_E.recorded_at, _E.id)
        )
        return [Event(r.model_id, r.action, r.actor, r.note, dict(r.summary), r.recorded_at) for r in rows]

    def bindings(self, *, model_id: str | None = None, classification_id: str | None = None) -> list[Binding]:
        query = select(model_binding).where(_B.recorded_to.is_(None))
        if model_id is not None:
            query = query.where(_B.model_id == model_id)
        if classification_id is not None:
            query = query.where(_B.classification_id == classification_id)
        rows = self.conn.execute(query.order_by(_B.model_id, _B.element_id))
        return [
            Binding(r.model_id, r.element_id, r.classification_id, r.valid_at, r.actor, r.recorded_from)
            for r in rows
        ]

    def put_binding(self, binding: Binding) -> None:
        self.remove_binding(binding.model_id, binding.element_id, binding.recorded_at)
        self.conn.execute(
            insert(model_binding).values(
                model_id=binding.model_id,
                element_id=binding.element_id,
                classification_id=binding.classification_id,
                valid_at=binding.valid_at,
                actor=binding.actor,
                recorded_from=binding.recorded_at,
            )
        )

    def remove_binding(self, model_id: str, element_id: str, recorded_at: datetime) -> bool:
        result = self.conn.execute(
            update(model_binding)
            .where(_B.model_id == model_id, _B.element_id == element_id, _B.recorded_to.is_(None))
            .values(recorded_to=recorded_at)
        )
        return bool(result.rowcount)

    def catalogue_entries(self) -> list[CatalogueEntry]:
        c = model_catalogue_entry.c
        rows = self.conn.execute(select(c.data).where(c.recorded_to.is_(None)).order_by(c.uri))
        return [entry_from_dict(r[0]) for r in rows]

    def put_catalogue_entry(self, entry: CatalogueEntry, actor: str | None, recorded_at: datetime) -> bool:
        """Record ``entry`` unless the current record says the same; ``True`` when recorded."""
        c = model_catalogue_entry.c
        data = entry_to_dict(entry)
        current = self.conn.execute(
            select(c.id, c.data).where(c.uri == entry.uri, c.recorded_to.is_(None))
        ).first()
        if current is not None and current.data == data:
            return False
        if current is not None:
            self.conn.execute(
                update(model_catalogue_entry).where(c.id == current.id).values(recorded_to=recorded_at)
            )
        self.conn.execute(
            insert(model_catalogue_entry).values(
                uri=entry.uri, data=data, actor=actor, recorded_from=recorded_at
            )
        )
        return True

    def last_recorded_at(self) -> datetime | None:
        times = [
            self.conn.execute(select(func.max(_V.recorded_at))).scalar(),
            self.conn.execute(select(func.max(_E.recorded_at))).scalar(),
            self.conn.execute(select(func.max(_B.recorded_from))).scalar(),
            self.conn.execute(select(func.max(model_catalogue_entry.c.recorded_from))).scalar(),
        ]
        known = [t for t in times if t is not None]
        return max(known) if known else None


def open_model_store(uow: UnitOfWork) -> SqlModelStore:
    """The model store inside ``uow``'s transaction (``uow`` is the SQL unit of work)."""
    return SqlModelStore(uow.conn)  # type: ignore[attr-defined]
