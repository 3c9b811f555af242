"""Catalog entries in SQL: append and close, like the registry's rows."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select, update

from kodeks.domain.catalog_codec import entry_from_dict, entry_to_dict
from kodeks.services.catalog_ports import StoredEntry
from kodeks.services.ports import UnitOfWork
from kodeks.storage.catalog_tables import catalog_entry_record, catalog_quality_record

_T = catalog_entry_record.c
_Q = catalog_quality_record.c


class SqlCatalogStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def get(self, entry_id: str) -> StoredEntry | None:
        row = self.conn.execute(
            select(catalog_entry_record).where(_T.entry_id == entry_id, _T.recorded_to.is_(None))
        ).first()
        return _stored(row) if row else None

    def all(self) -> list[StoredEntry]:
        rows = self.conn.execute(
            select(catalog_entry_record).where(_T.recorded_to.is_(None)).order_by(_T.entry_id)
        )
        return [_stored(r) for r in rows]

    def put(self, entry: Any, edited: frozenset[str], actor: str | None, recorded_at: datetime) -> None:
        self.remove(entry.id, recorded_at)
        self.conn.execute(
            insert(catalog_entry_record).values(
                entry_id=entry.id,
                kind=entry.kind,
                data=entry_to_dict(entry),
                edited=sorted(edited),
                actor=actor,
                recorded_from=recorded_at,
            )
        )

    def remove(self, entry_id: str, recorded_at: datetime) -> None:
        self.conn.execute(
            update(catalog_entry_record)
            .where(_T.entry_id == entry_id, _T.recorded_to.is_(None))
            .values(recorded_to=recorded_at)
        )

    def last_recorded_at(self) -> datetime | None:
        return self.conn.execute(select(func.max(_T.recorded_from))).scalar()

    def history(self, entry_id: str) -> Sequence[StoredEntry]:
        rows = self.conn.execute(
            select(catalog_entry_record).where(_T.entry_id == entry_id).order_by(_T.recorded_from, _T.id)
        )
        return [_stored(r) for r in rows]

    def put_quality(
        self, entry_id: str, declaration: dict[str, Any], actor: str | None, recorded_at: datetime
    ) -> None:
        self.conn.execute(
            update(catalog_quality_record)
            .where(_Q.entry_id == entry_id, _Q.recorded_to.is_(None))
            .values(recorded_to=recorded_at)
        )
        self.conn.execute(
            insert(catalog_quality_record).values(
                entry_id=entry_id, declaration=declaration, actor=actor, recorded_from=recorded_at
            )
        )

    def qualities(self) -> dict[str, dict[str, Any]]:
        rows = self.conn.execute(
            select(_Q.entry_id, _Q.declaration).where(_Q.recorded_to.is_(None)).order_by(_Q.entry_id)
        )
        return {r.entry_id: dict(r.declaration) for r in rows}


def _stored(row: Any) -> StoredEntry:
    return StoredEntry(entry_from_dict(row.data), frozenset(row.edited), row.recorded_from, row.actor)


def open_catalog_store(uow: UnitOfWork) -> SqlCatalogStore:
    """The catalog inside ``uow``'s transaction (``uow`` is the SQL unit of work)."""
    return SqlCatalogStore(uow.conn)  # type: ignore[attr-defined]
