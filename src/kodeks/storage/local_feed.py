"""Change-feed queries: events from bitemporal rows, after a key, in key order, with SQL limits.

A row gives a *recorded* event at ``recorded_from`` and a *superseded* event at ``recorded_to``.
Each query is the UNION ALL of both halves of one table, filtered to keys after the cursor, ordered
by ``(time, row, kind)`` and limited, so a page costs one indexed query per table.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, literal, or_, select, union_all

from kodeks.domain.local.feed import RECORDED, SUPERSEDED, FeedEvent, FeedKey
from kodeks.storage.local_tables import local_profile, local_profile_entry, local_sortiment
from kodeks.storage.tables import item_record

ITEM, PROFILE, PROFILE_ENTRY, SORTIMENT = "item", "profile", "profile-entry", "sortiment"
#: Above this many codes, the code filter is applied in Python instead of an IN list.
_MAX_IN = 2000


def _after(time: Any, row: Any, source: str, kind: int, key: FeedKey) -> Any:
    """SQL for: the event (time, source, row, kind) comes after ``key``."""
    if source > key.source:
        return time >= key.time
    if source < key.source:
        return time > key.time
    later = or_(time > key.time, and_(time == key.time, row > key.row))
    return or_(later, and_(time == key.time, row == key.row)) if kind > key.kind else later


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() + "Z" if value is not None else None


class FeedQueries:
    conn: Connection

    def _events(
        self,
        table: Any,
        source: str,
        where: Sequence[Any],
        columns: Sequence[Any],
        after: FeedKey,
        limit: int,
    ) -> list[tuple[FeedKey, Any]]:
        halves = []
        for kind, time in ((RECORDED, table.c.recorded_from), (SUPERSEDED, table.c.recorded_to)):
            conditions = [*where, _after(time, table.c.id, source, kind, after)]
            if kind == SUPERSEDED:
                conditions.append(table.c.recorded_to.is_not(None))
            halves.append(
                select(
                    time.label("feed_time"),
                    table.c.id.label("feed_row"),
                    literal(kind).label("feed_kind"),
                    *columns,
                ).where(*conditions)
            )
        union = union_all(*halves).subquery()
        rows = self.conn.execute(
            select(union).order_by(union.c.feed_time, union.c.feed_row, union.c.feed_kind).limit(limit)
        )
        return [(FeedKey(r.feed_time, source, r.feed_row, int(r.feed_kind)), r) for r in rows]

    def item_events(
        self, classification_id: str, codes: Sequence[str] | None, after: FeedKey, limit: int
    ) -> list[FeedEvent]:
        t = item_record
        where: list[Any] = [t.c.classification_id == classification_id]
        wanted = set(codes) if codes is not None else None
        if wanted is not None and len(wanted) <= _MAX_IN:
            where.append(t.c.code.in_(sorted(wanted)))
        out: list[FeedEvent] = []
        start = after
        while True:
            batch = self._events(t, ITEM, where, [t.c.code, t.c.data, t.c.release_label], start, limit)
            for key, r in batch:
                if wanted is None or r.code in wanted:
                    out.append(
                        FeedEvent(
                            key,
                            {
                                "event": "recorded" if key.kind == RECORDED else "superseded",
                                "recorded_at": _iso(key.time),
                                "classification": classification_id,
                                "code": r.code,
                                "release": r.release_label,
                                "item": r.data,
                            },
                        )
                    )
            if len(out) >= limit or len(batch) < limit:
                return out[:limit]
            start = batch[-1][0]

    def profile_events(
        self, classification_id: str, profile_id: str, after: FeedKey, limit: int
    ) -> list[FeedEvent]:
        p, e = local_profile, local_profile_entry
        headers = self._events(
            p,
            PROFILE,
            [p.c.classification_id == classification_id, p.c.profile_id == profile_id],
            [p.c.data, p.c.version],
            after,
            limit,
        )
        entries = self._events(
            e,
            PROFILE_ENTRY,
            [e.c.classification_id == classification_id, e.c.profile_id == profile_id],
            [e.c.code, e.c.kind, e.c.data],
            after,
            limit,
        )
        base = {"classification": classification_id, "profile": profile_id}
        out = [
            FeedEvent(
                key,
                {
                    "event": _kind(key),
                    "recorded_at": _iso(key.time),
                    **base,
                    "version": r.version,
                    "definition": r.data,
                },
            )
            for key, r in headers
        ]
        out += [
            FeedEvent(
                key,
                {
                    "event": _kind(key),
                    "recorded_at": _iso(key.time),
                    **base,
                    "code": r.code,
                    "entry_kind": r.kind,
                    "entry": r.data,
                },
            )
            for key, r in entries
        ]
        return sorted(out, key=lambda ev: ev.key)[:limit]

    def sortiment_events(self, sortiment_id: str, after: FeedKey, limit: int) -> list[FeedEvent]:
        s = local_sortiment
        rows = self._events(
            s, SORTIMENT, [s.c.sortiment_id == sortiment_id], [s.c.data, s.c.version], after, limit
        )
        return [
            FeedEvent(
                key,
                {
                    "event": _kind(key),
                    "recorded_at": _iso(key.time),
                    "sortiment": sortiment_id,
                    "version": r.version,
                    "sortiment_version": r.data,
                },
            )
            for key, r in rows
        ]


def _kind(key: FeedKey) -> str:
    return "recorded" if key.kind == RECORDED else "superseded"
