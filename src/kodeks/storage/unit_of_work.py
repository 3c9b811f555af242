"""The SQLAlchemy unit of work: one connection, one transaction, the repository methods."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from datetime import date, datetime
from types import TracebackType
from typing import Any

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, text, update

from kodeks.domain.classification import Classification
from kodeks.domain.codec import (
    classification_from_dict,
    classification_to_dict,
    item_from_dict,
    item_to_dict,
    level_from_dict,
    level_to_dict,
    release_from_dict,
    release_to_dict,
)
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.release import Level, Release
from kodeks.domain.timeline import Fact, RecordedRelease
from kodeks.services.ports import ItemRecord, NewFact, RecordedVersion, Registration
from kodeks.storage.other_parents import insert_other_parents
from kodeks.storage.staging import SqlStaging
from kodeks.storage.tables import (
    classification_record,
    item_other_parent,
    item_record,
    registration,
    release,
    release_item,
)

_CHUNK = 500
#: A PostgreSQL lock held until the transaction ends, on the hash of a name (``classification:kle``).
ADVISORY_LOCK = text("SELECT pg_advisory_xact_lock(hashtextextended(:name, 0))")
_CONTENT_CHUNK = 1000
_FACT_BATCH = 2000


def _known(table: Any, known_at: datetime) -> Any:
    return and_(
        table.c.recorded_from <= known_at, or_(table.c.recorded_to.is_(None), table.c.recorded_to > known_at)
    )


def _with_parent(classification_id: str, parent: str) -> Any:
    """Ids of the facts that name ``parent`` among their further parents (a polyhierarchy)."""
    return select(item_other_parent.c.item_record_id).where(
        item_other_parent.c.classification_id == classification_id, item_other_parent.c.parent == parent
    )


def _valid_on(at: date) -> Any:
    return and_(
        or_(item_record.c.valid_from.is_(None), item_record.c.valid_from <= at),
        or_(item_record.c.valid_to.is_(None), item_record.c.valid_to > at),
    )


class SqlUnitOfWork:
    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._conn: Connection | None = None

    @property
    def conn(self) -> Connection:
        if self._conn is None:
            raise RuntimeError("unit of work used outside its 'with' block")
        return self._conn

    def __enter__(self) -> SqlUnitOfWork:
        self._conn = self._engine.connect()
        self._conn.begin()
        return self

    def __exit__(
        self, exc_type: type[BaseException] | None, exc: BaseException | None, tb: TracebackType | None
    ) -> None:
        conn = self.conn
        try:
            if conn.in_transaction():
                conn.rollback()
        finally:
            conn.close()
            self._conn = None

    def commit(self) -> None:
        self.conn.commit()

    @contextmanager
    def staging(self) -> Iterator[SqlStaging]:
        """Temporary tables for an import that streams (``storage.staging``), in this transaction."""
        stage = SqlStaging(self.conn)
        stage.create()
        yield stage
        stage.drop()  # not after an error: the rollback (or the next ``create``) removes them

    def lock(self, name: str) -> None:
        """A transaction-scoped lock. PostgreSQL: an advisory lock on the name's hash (shared with
        governance's publishing). SQLite has a single writer, so the database itself serialises."""
        if self.conn.dialect.name == "postgresql":
            self.conn.execute(ADVISORY_LOCK, {"name": name})

    # -- time -----------------------------------------------------------------------------------
    def last_recorded_at(self) -> datetime | None:
        return self.conn.execute(select(func.max(registration.c.recorded_at))).scalar()

    # -- classifications ------------------------------------------------------------------------
    def classification(self, classification_id: str, known_at: datetime) -> Classification | None:
        row = self.conn.execute(
            select(classification_record.c.data).where(
                classification_record.c.classification_id == classification_id,
                _known(classification_record, known_at),
            )
        ).first()
        return classification_from_dict(row[0]) if row else None

    def classifications(self, known_at: datetime) -> list[Classification]:
        rows = self.conn.execute(
            select(classification_record.c.data)
            .where(_known(classification_record, known_at))
            .order_by(classification_record.c.classification_id)
        )
        return [classification_from_dict(r[0]) for r in rows]

    def record_classification(self, classification: Classification, recorded_at: datetime) -> bool:
        data = classification_to_dict(classification)
        current = self.conn.execute(
            select(classification_record.c.id, classification_record.c.data).where(
                classification_record.c.classification_id == classification.id,
                classification_record.c.recorded_to.is_(None),
            )
        ).first()
        if current is not None and current.data == data:
            return False
        if current is not None:
            self.conn.execute(
                update(classification_record)
                .where(classification_record.c.id == current.id)
                .values(recorded_to=recorded_at)
            )
        self.conn.execute(
            insert(classification_record).values(
                classification_id=classification.id, data=data, public_read=True, recorded_from=recorded_at
            )
        )
        return True

    # -- releases -------------------------------------------------------------------------------
    def versions(self, classification_id: str, known_at: datetime) -> list[RecordedVersion]:
        rows = self.conn.execute(
            select(release)
            .where(release.c.classification_id == classification_id, release.c.recorded_at <= known_at)
            .order_by(release.c.release_date, release.c.sequence)
        )
        return [
            RecordedVersion(
                release_from_dict(r.data),
                tuple(level_from_dict(x) for x in r.levels),
                r.sequence,
                r.recorded_at,
                r.item_count,
            )
            for r in rows
        ]

    def add_release(
        self,
        classification_id: str,
        release_: Release,
        levels: Sequence[Level],
        items: Sequence[Item],
        recorded_at: datetime,
        sha256: str | None,
    ) -> int:
        sequence = (
            self.conn.execute(
                select(func.max(release.c.sequence)).where(release.c.classification_id == classification_id)
            ).scalar()
            or 0
        ) + 1
        result = self.conn.execute(
            insert(release).values(
                classification_id=classification_id,
                sequence=sequence,
                label=release_.label,
                release_date=release_.release_date,
                data=release_to_dict(release_),
                levels=[level_to_dict(lv) for lv in levels],
                sha256=sha256,
                item_count=len(items),
                recorded_at=recorded_at,
            )
        )
        assert result.inserted_primary_key is not None
        release_id = result.inserted_primary_key[0]
        # A release's own content is read back whole, never row by row: one row per chunk of items.
        dicts = [item_to_dict(i) for i in items]
        rows = [
            {"release_id": release_id, "data": dicts[start : start + _CONTENT_CHUNK]}
            for start in range(0, len(dicts), _CONTENT_CHUNK)
        ]
        if rows:
            self.conn.execute(insert(release_item), rows)
        return sequence

    def release_by_digest(self, classification_id: str, sha256: str) -> RecordedVersion | None:
        r = self.conn.execute(
            select(release)
            .where(release.c.classification_id == classification_id, release.c.sha256 == sha256)
            .order_by(release.c.sequence)
        ).first()
        if r is None:
            return None
        levels = tuple(level_from_dict(x) for x in r.levels)
        return RecordedVersion(release_from_dict(r.data), levels, r.sequence, r.recorded_at, r.item_count)

    def release_contents(
        self, classification_id: str, except_sequence: int | None = None
    ) -> list[RecordedRelease]:
        query = select(release.c.id, release.c.data, release.c.sequence).where(
            release.c.classification_id == classification_id
        )
        if except_sequence is not None:
            query = query.where(release.c.sequence != except_sequence)
        releases = self.conn.execute(query).all()
        items: dict[int, list[Item]] = {r.id: [] for r in releases}
        if releases:
            rows = self.conn.execute(
                select(release_item.c.release_id, release_item.c.data)
                .where(release_item.c.release_id.in_(list(items)))
                .order_by(release_item.c.id)
            )
            for rid, data in rows:
                chunk = data if isinstance(data, list) else [data]
                items[rid].extend(item_from_dict(d) for d in chunk)
        return [RecordedRelease(release_from_dict(r.data), tuple(items[r.id]), r.sequence) for r in releases]

    # -- facts ----------------------------------------------------------------------------------
    def current_fingerprints(self, classification_id: str) -> dict[str, int]:
        rows = self.conn.execute(
            select(item_record.c.fingerprint, item_record.c.id).where(
                item_record.c.classification_id == classification_id, item_record.c.recorded_to.is_(None)
            )
        )
        return {fp: rid for fp, rid in rows}

    def close_records(self, record_ids: Sequence[int], recorded_at: datetime) -> None:
        ids = list(record_ids)
        for start in range(0, len(ids), _CHUNK):
            self.conn.execute(
                update(item_record)
                .where(item_record.c.id.in_(ids[start : start + _CHUNK]))
                .values(recorded_to=recorded_at)
            )

    def insert_facts(self, classification_id: str, facts: Sequence[NewFact], recorded_at: datetime) -> None:
        rows = []
        for new in facts:
            fact, fp = new.fact, new.fingerprint
            item = fact.item
            rows.append(
                {
                    "classification_id": classification_id,
                    "code": item.code,
                    "uuid": str(item.uuid),
                    "level": item.level,
                    "parent": item.parent,
                    "title": item.title(),
                    "data": new.data,
                    "fingerprint": fp,
                    "valid_from": fact.period.start,
                    "valid_to": fact.period.end,
                    "release_label": fact.release,
                    "recorded_from": recorded_at,
                }
            )
        for start in range(0, len(rows), _CHUNK):
            self.conn.execute(insert(item_record), rows[start : start + _CHUNK])
        wanted = {(n.fact.item.code, n.fingerprint): n.fact.item.other_parents for n in facts}
        insert_other_parents(self.conn, classification_id, wanted, recorded_at)

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
        query = select(item_record.c.data).where(
            item_record.c.classification_id == classification_id, _known(item_record, known_at), _valid_on(at)
        )
        if level is not None:
            query = query.where(item_record.c.level == level)
        if parent is not None:
            further = item_record.c.id.in_(_with_parent(classification_id, parent))
            query = query.where(or_(item_record.c.parent == parent, further))
        if code is not None:
            query = query.where(item_record.c.code == code)
        return [item_from_dict(r[0]) for r in self.conn.execute(query)]

    def facts_known_at(
        self, classification_id: str, known_at: datetime, codes: Sequence[str] | None = None
    ) -> list[Fact]:
        rows = self.conn.execute(self._fact_query(classification_id, known_at, codes))
        return [Fact(item_from_dict(data), label, Period(start, end)) for data, label, start, end in rows]

    def fact_batches(self, classification_id: str, known_at: datetime) -> Iterator[list[Fact]]:
        query = self._fact_query(classification_id, known_at, None)
        rows = self.conn.execute(query, execution_options={"stream_results": True, "yield_per": _FACT_BATCH})
        for batch in rows.partitions(_FACT_BATCH):
            yield [Fact(item_from_dict(data), label, Period(start, end)) for data, label, start, end in batch]

    @staticmethod
    def _fact_query(classification_id: str, known_at: datetime, codes: Sequence[str] | None) -> Any:
        query = select(
            item_record.c.data, item_record.c.release_label, item_record.c.valid_from, item_record.c.valid_to
        ).where(item_record.c.classification_id == classification_id, _known(item_record, known_at))
        if codes is not None:
            query = query.where(item_record.c.code.in_(list(codes)))
        return query.order_by(item_record.c.code, item_record.c.valid_from.nulls_first())

    def item_records(self, classification_id: str, code: str) -> list[ItemRecord]:
        rows = self.conn.execute(
            select(item_record)
            .where(item_record.c.classification_id == classification_id, item_record.c.code == code)
            .order_by(item_record.c.recorded_from, item_record.c.valid_from, item_record.c.id)
        )
        return [
            ItemRecord(
                item_from_dict(r.data),
                r.release_label,
                r.recorded_from,
                r.recorded_to,
                Period(r.valid_from, r.valid_to),
            )
            for r in rows
        ]

    # -- registrations --------------------------------------------------------------------------
    def add_registration(self, reg: Registration, release_sequence: int | None) -> None:
        release_id = None
        if release_sequence is not None:
            release_id = self.conn.execute(
                select(release.c.id).where(
                    release.c.classification_id == reg.classification_id,
                    release.c.sequence == release_sequence,
                )
            ).scalar()
        self.conn.execute(
            insert(registration).values(
                classification_id=reg.classification_id,
                recorded_at=reg.recorded_at,
                action=reg.action,
                release_id=release_id,
                actor=reg.actor,
                note=reg.note,
                summary=reg.summary,
            )
        )

    def registrations(self, classification_id: str, known_at: datetime) -> list[Registration]:
        rows = self.conn.execute(
            select(registration)
            .where(
                registration.c.classification_id == classification_id, registration.c.recorded_at <= known_at
            )
            .order_by(registration.c.recorded_at, registration.c.id)
        )
        return [
            Registration(r.classification_id, r.recorded_at, r.action, r.actor, r.note, r.summary)
            for r in rows
        ]


class SqlUnitOfWorkFactory:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def __call__(self) -> SqlUnitOfWork:
        return SqlUnitOfWork(self.engine)
