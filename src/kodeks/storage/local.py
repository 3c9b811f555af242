"""The local-use store on SQLAlchemy: reserved ranges, profiles, sortimenter, correspondences.

``open_local_store(uow)`` opens it on the SQL unit of work's connection, so its writes share the
registry's transaction. Feeds and the webhook outbox are in ``local_feed`` and ``local_outbox``.
Two read caches, per engine: profile entries per recorded profile version (a header row's entries
never change), and a classification's code tree (code, parent, level) per valid date and registration
state (its registrations' count and newest id as known at the read; every write of items adds one).
"""

from __future__ import annotations

import hashlib
import json
from collections import OrderedDict
from collections.abc import Sequence
from datetime import date, datetime
from threading import Lock
from typing import Any
from weakref import WeakKeyDictionary

from sqlalchemy import Connection, Engine, and_, func, insert, or_, select, update

from kodeks.domain.local.codec import (
    correspondence_from_dict,
    correspondence_header_to_dict,
    local_code_from_dict,
    local_code_to_dict,
    mapping_from_dict,
    profile_from_dict,
    profile_header_to_dict,
    range_from_dict,
    range_to_dict,
    selection_from_dict,
    selection_to_dict,
    sortiment_from_dict,
    sortiment_to_dict,
)
from kodeks.domain.local.correspondence import Correspondence, Mapping
from kodeks.domain.local.profile import LocalCode, Profile, Selection
from kodeks.domain.local.ranges import ReservedRange
from kodeks.domain.local.sortiment import Sortiment
from kodeks.services.local.ports import EntryRecord, StoredCorrespondence, StoredProfile, StoredSortiment
from kodeks.services.ports import UnitOfWork
from kodeks.storage.local_feed import FeedQueries
from kodeks.storage.local_outbox import OutboxQueries
from kodeks.storage.local_tables import (
    local_correspondence,
    local_mapping,
    local_profile,
    local_profile_entry,
    local_reserved_range,
    local_sortiment,
    local_sortiment_code,
)
from kodeks.storage.tables import item_record, registration

_CHUNK = 500
_Entries = tuple[tuple[Selection, ...], tuple[LocalCode, ...]]
_CACHE: WeakKeyDictionary[Engine, OrderedDict[int, _Entries]] = WeakKeyDictionary()
_CACHE_SIZE = 64
_CACHE_LOCK = Lock()
_TREES: WeakKeyDictionary[Engine, OrderedDict[tuple[Any, ...], dict[str, tuple[str | None, int | None]]]] = (
    WeakKeyDictionary()
)


def known(table: Any, known_at: datetime) -> Any:
    return and_(
        table.c.recorded_from <= known_at, or_(table.c.recorded_to.is_(None), table.c.recorded_to > known_at)
    )


def _fingerprint(kind: str, data: dict[str, Any]) -> str:
    raw = json.dumps([kind, data], sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hashlib.sha256(raw.encode()).hexdigest()


class SqlLocalStore(FeedQueries, OutboxQueries):
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def last_recorded_at(self) -> datetime | None:
        times = [
            self.conn.execute(select(func.max(t.c.recorded_from))).scalar()
            for t in (local_profile, local_sortiment, local_correspondence, local_reserved_range)
        ]
        present = [t for t in times if t is not None]
        return max(present) if present else None

    # -- reserved ranges ------------------------------------------------------------------------
    def reserved_ranges(self, classification_id: str, known_at: datetime) -> list[ReservedRange]:
        row = self.conn.execute(
            select(local_reserved_range.c.data).where(
                local_reserved_range.c.classification_id == classification_id,
                known(local_reserved_range, known_at),
            )
        ).first()
        return [range_from_dict(r) for r in row[0]] if row else []

    def set_reserved_ranges(
        self,
        classification_id: str,
        ranges: Sequence[ReservedRange],
        recorded_at: datetime,
        actor: str | None,
    ) -> None:
        t = local_reserved_range
        self.conn.execute(
            update(t)
            .where(t.c.classification_id == classification_id, t.c.recorded_to.is_(None))
            .values(recorded_to=recorded_at)
        )
        self.conn.execute(
            insert(t).values(
                classification_id=classification_id,
                actor=actor,
                data=[range_to_dict(r) for r in ranges],
                recorded_from=recorded_at,
            )
        )

    # -- profiles -------------------------------------------------------------------------------
    def profile(self, classification_id: str, profile_id: str, known_at: datetime) -> StoredProfile | None:
        t = local_profile
        row = self.conn.execute(
            select(t).where(
                t.c.classification_id == classification_id, t.c.profile_id == profile_id, known(t, known_at)
            )
        ).first()
        if row is None:
            return None
        selections, local_codes = self._entries(row.id, classification_id, profile_id, known_at)
        header = profile_from_dict(row.data)
        profile = Profile(
            header.id,
            header.classification,
            header.owner,
            header.titles,
            header.description,
            header.include_all,
            header.based_on,
            selections,
            local_codes,
        )
        return StoredProfile(profile, row.version, row.recorded_from, row.actor)

    def _entries(self, header_id: int, cid: str, pid: str, known_at: datetime) -> _Entries:
        cache = self._cache()
        with _CACHE_LOCK:
            hit = cache.get(header_id)
            if hit is not None:
                cache.move_to_end(header_id)
                return hit
        t = local_profile_entry
        rows = self.conn.execute(
            select(t.c.kind, t.c.data)
            .where(t.c.classification_id == cid, t.c.profile_id == pid, known(t, known_at))
            .order_by(t.c.id)
        )
        selections: list[Selection] = []
        local_codes: list[LocalCode] = []
        for kind, data in rows:
            if kind == "select":
                selections.append(selection_from_dict(data))
            else:
                local_codes.append(local_code_from_dict(data))
        entries = (tuple(selections), tuple(local_codes))
        with _CACHE_LOCK:
            cache[header_id] = entries
            while len(cache) > _CACHE_SIZE:
                cache.popitem(last=False)
        return entries

    def _cache(self) -> OrderedDict[int, _Entries]:
        with _CACHE_LOCK:
            return _CACHE.setdefault(self.conn.engine, OrderedDict())

    def profiles(
        self, known_at: datetime, *, classification_id: str | None = None, owner: str | None = None
    ) -> list[StoredProfile]:
        t = local_profile
        query = select(t).where(known(t, known_at)).order_by(t.c.classification_id, t.c.profile_id)
        if classification_id is not None:
            query = query.where(t.c.classification_id == classification_id)
        if owner is not None:
            query = query.where(t.c.owner == owner)
        return [
            StoredProfile(profile_from_dict(r.data), r.version, r.recorded_from, r.actor)
            for r in self.conn.execute(query)
        ]

    def save_profile(self, profile: Profile, version: int, recorded_at: datetime, actor: str | None) -> None:
        t, e = local_profile, local_profile_entry
        cid, pid = profile.classification, profile.id
        self.conn.execute(
            update(t)
            .where(t.c.classification_id == cid, t.c.profile_id == pid, t.c.recorded_to.is_(None))
            .values(recorded_to=recorded_at)
        )
        self.conn.execute(
            insert(t).values(
                classification_id=cid,
                profile_id=pid,
                version=version,
                owner=profile.owner,
                data=profile_header_to_dict(profile),
                actor=actor,
                recorded_from=recorded_at,
            )
        )
        wanted: dict[str, dict[str, Any]] = {}
        for s in profile.selections:
            data = selection_to_dict(s)
            wanted[_fingerprint("select", data)] = {
                "kind": "select",
                "code": s.code,
                "data": data,
                "valid_from": s.valid.start,
                "valid_to": s.valid.end,
            }
        for c in profile.local_codes:
            data = local_code_to_dict(c)
            wanted[_fingerprint("local", data)] = {
                "kind": "local",
                "code": c.code,
                "data": data,
                "valid_from": c.valid.start,
                "valid_to": c.valid.end,
            }
        current = dict(
            self.conn.execute(
                select(e.c.fingerprint, e.c.id).where(
                    e.c.classification_id == cid, e.c.profile_id == pid, e.c.recorded_to.is_(None)
                )
            ).all()
        )
        closed = [rid for fp, rid in current.items() if fp not in wanted]
        for start in range(0, len(closed), _CHUNK):
            self.conn.execute(
                update(e).where(e.c.id.in_(closed[start : start + _CHUNK])).values(recorded_to=recorded_at)
            )
        rows = [
            {
                **row,
                "classification_id": cid,
                "profile_id": pid,
                "fingerprint": fp,
                "recorded_from": recorded_at,
            }
            for fp, row in wanted.items()
            if fp not in current
        ]
        for start in range(0, len(rows), _CHUNK):
            self.conn.execute(insert(e), rows[start : start + _CHUNK])

    def tree_at(
        self, classification_id: str, at: date, known_at: datetime
    ) -> dict[str, tuple[str | None, int | None]]:
        """Cached per engine: the key is the classification's registrations as known at ``known_at``
        (their count and newest id), which change with every write of its items."""
        r = registration
        count, newest = self.conn.execute(
            select(func.count(), func.max(r.c.id)).where(
                r.c.classification_id == classification_id, r.c.recorded_at <= known_at
            )
        ).one()
        key = (classification_id, at, count, newest)
        with _CACHE_LOCK:
            trees = _TREES.setdefault(self.conn.engine, OrderedDict())
            hit = trees.get(key)
            if hit is not None:
                trees.move_to_end(key)
                return hit
        t = item_record
        valid = and_(
            or_(t.c.valid_from.is_(None), t.c.valid_from <= at),
            or_(t.c.valid_to.is_(None), t.c.valid_to > at),
        )
        rows = self.conn.execute(
            select(t.c.code, t.c.parent, t.c.level).where(
                t.c.classification_id == classification_id, known(t, known_at), valid
            )
        )
        tree = {code: (parent, level) for code, parent, level in rows}
        with _CACHE_LOCK:
            trees[key] = tree
            while len(trees) > _CACHE_SIZE:
                trees.popitem(last=False)
        return tree

    def profile_entry_records(self, classification_id: str, profile_id: str, code: str) -> list[EntryRecord]:
        e = local_profile_entry
        rows = self.conn.execute(
            select(e)
            .where(e.c.classification_id == classification_id, e.c.profile_id == profile_id, e.c.code == code)
            .order_by(e.c.recorded_from, e.c.id)
        )
        return [EntryRecord(r.code, r.kind, r.data, r.recorded_from, r.recorded_to) for r in rows]

    # -- sortimenter ----------------------------------------------------------------------------
    def sortiment_versions(self, sortiment_id: str, known_at: datetime) -> list[StoredSortiment]:
        t = local_sortiment
        rows = self.conn.execute(
            select(t).where(t.c.sortiment_id == sortiment_id, known(t, known_at)).order_by(t.c.version)
        )
        return [StoredSortiment(sortiment_from_dict(r.data), r.recorded_from, r.actor) for r in rows]

    def sortiments(self, known_at: datetime, *, owner: str | None = None) -> list[StoredSortiment]:
        t = local_sortiment
        newest = (
            select(t.c.sortiment_id, func.max(t.c.version).label("version"))
            .where(known(t, known_at))
            .group_by(t.c.sortiment_id)
            .subquery()
        )
        query = (
            select(t)
            .join(newest, and_(t.c.sortiment_id == newest.c.sortiment_id, t.c.version == newest.c.version))
            .where(known(t, known_at))
            .order_by(t.c.sortiment_id)
        )
        if owner is not None:
            query = query.where(t.c.owner == owner)
        return [
            StoredSortiment(sortiment_from_dict(r.data), r.recorded_from, r.actor)
            for r in self.conn.execute(query)
        ]

    def add_sortiment_version(self, sortiment: Sortiment, recorded_at: datetime, actor: str | None) -> None:
        t = local_sortiment
        self.conn.execute(
            update(t)
            .where(
                t.c.sortiment_id == sortiment.id, t.c.version == sortiment.version, t.c.recorded_to.is_(None)
            )
            .values(recorded_to=recorded_at)
        )
        pk = self.conn.execute(
            insert(t).values(
                sortiment_id=sortiment.id,
                version=sortiment.version,
                owner=sortiment.owner,
                valid_from=sortiment.valid_from,
                data=sortiment_to_dict(sortiment),
                actor=actor,
                recorded_from=recorded_at,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        rows = [
            {"sortiment_pk": pk, "classification_id": e.classification, "code": e.code}
            for e in sortiment.entries
        ]
        for start in range(0, len(rows), _CHUNK):
            self.conn.execute(insert(local_sortiment_code), rows[start : start + _CHUNK])

    def sortiments_using(self, classification_id: str) -> list[str]:
        t, c = local_sortiment, local_sortiment_code
        rows = self.conn.execute(
            select(t.c.sortiment_id)
            .distinct()
            .join(c, c.c.sortiment_pk == t.c.id)
            .where(c.c.classification_id == classification_id, t.c.recorded_to.is_(None))
            .order_by(t.c.sortiment_id)
        )
        return [r[0] for r in rows]

    # -- correspondences ------------------------------------------------------------------------
    def correspondence(
        self, correspondence_id: str, known_at: datetime, *, with_mappings: bool = False
    ) -> StoredCorrespondence | None:
        t = local_correspondence
        row = self.conn.execute(
            select(t).where(t.c.correspondence_id == correspondence_id, known(t, known_at))
        ).first()
        if row is None:
            return None
        mappings: tuple[Mapping, ...] = ()
        if with_mappings:
            m = local_mapping
            mappings = tuple(
                mapping_from_dict(r[0])
                for r in self.conn.execute(
                    select(m.c.data).where(m.c.correspondence_pk == row.id).order_by(m.c.id)
                )
            )
        return StoredCorrespondence(
            correspondence_from_dict(row.data, mappings), row.id, row.summary, row.recorded_from, row.actor
        )

    def correspondences(self, known_at: datetime) -> list[StoredCorrespondence]:
        t = local_correspondence
        rows = self.conn.execute(select(t).where(known(t, known_at)).order_by(t.c.correspondence_id))
        return [
            StoredCorrespondence(correspondence_from_dict(r.data), r.id, r.summary, r.recorded_from, r.actor)
            for r in rows
        ]

    def save_correspondence(
        self,
        correspondence: Correspondence,
        summary: dict[str, int],
        sha256: str | None,
        recorded_at: datetime,
        actor: str | None,
    ) -> None:
        t = local_correspondence
        self.conn.execute(
            update(t)
            .where(t.c.correspondence_id == correspondence.id, t.c.recorded_to.is_(None))
            .values(recorded_to=recorded_at)
        )
        pk = self.conn.execute(
            insert(t).values(
                correspondence_id=correspondence.id,
                source_classification=correspondence.source.classification,
                target_classification=correspondence.target.classification,
                data=correspondence_header_to_dict(correspondence),
                summary=summary,
                sha256=sha256,
                actor=actor,
                recorded_from=recorded_at,
            )
        ).inserted_primary_key[0]  # type: ignore[index]
        rows = [
            {
                "correspondence_pk": pk,
                "source_code": m.source,
                "target_code": m.target,
                "partial": m.partial,
                "data": _mapping_row(m),
            }
            for m in correspondence.mappings
        ]
        for start in range(0, len(rows), _CHUNK):
            self.conn.execute(insert(local_mapping), rows[start : start + _CHUNK])

    def mappings_of(self, key: int, code: str, *, inverse: bool) -> list[Mapping]:
        m = local_mapping
        column = m.c.target_code if inverse else m.c.source_code
        rows = self.conn.execute(
            select(m.c.data).where(m.c.correspondence_pk == key, column == code).order_by(m.c.id)
        )
        found = [mapping_from_dict(r[0]) for r in rows]
        return [x.inverted() for x in found] if inverse else found

    def codes_per_other_side(self, key: int, codes: Sequence[str], *, inverse: bool) -> dict[str, int]:
        m = local_mapping
        column, other = (m.c.source_code, m.c.target_code) if inverse else (m.c.target_code, m.c.source_code)
        rows = self.conn.execute(
            select(column, func.count(func.distinct(other)))
            .where(m.c.correspondence_pk == key, column.in_(list(codes)))
            .group_by(column)
        )
        return {code: int(n) for code, n in rows}


def _mapping_row(m: Mapping) -> dict[str, Any]:
    return {
        "source": m.source,
        "target": m.target,
        "partial": m.partial,
        "note": m.note,
        "source_title": m.source_title,
        "target_title": m.target_title,
    }


def open_local_store(uow: UnitOfWork) -> SqlLocalStore:
    """The store inside ``uow``'s transaction (``uow`` is the SQL unit of work)."""
    return SqlLocalStore(uow.conn)  # type: ignore[attr-defined]
