"""The web tree's column-level reads (``services.web_queries.TreeReader``) over ``item_record``.

Read-only: each call opens its own connection. Only plain, indexed columns are read (no JSON is
decoded), so listing a level of 2,000 codes or counting the children of 500 nodes stays cheap.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

import orjson
from sqlalchemy import Engine, Text, and_, cast, func, or_, select

from kodeks.services.web_queries import NodeRow
from kodeks.storage.tables import item_other_parent, item_record, registration

_CHUNK = 500


def _current(known_at: datetime) -> Any:
    return and_(
        item_record.c.recorded_from <= known_at,
        or_(item_record.c.recorded_to.is_(None), item_record.c.recorded_to > known_at),
    )


def _valid_on(at: date) -> Any:
    return and_(
        or_(item_record.c.valid_from.is_(None), item_record.c.valid_from <= at),
        or_(item_record.c.valid_to.is_(None), item_record.c.valid_to > at),
    )


class SqlTreeReader:
    def __init__(self, engine: Engine) -> None:
        self.engine = engine

    def child_codes(
        self, classification_id: str, parent: str | None, at: date, known_at: datetime
    ) -> list[str]:
        where_parent = item_record.c.parent.is_(None) if parent is None else item_record.c.parent == parent
        query = select(item_record.c.code).where(  # no DISTINCT: it would steer SQLite off the parent index
            item_record.c.classification_id == classification_id,
            where_parent,
            _current(known_at),
            _valid_on(at),
        )
        with self.engine.connect() as conn:
            found = list(conn.execute(query).scalars().all())
            if parent is not None:  # children that name ``parent`` as a further parent (polyhierarchy)
                found += conn.execute(
                    self._further(classification_id, [parent], at, known_at).with_only_columns(
                        item_record.c.code
                    )
                ).scalars()
            return list(dict.fromkeys(found))

    @staticmethod
    def _further(classification_id: str, parents: Sequence[str], at: date, known_at: datetime) -> Any:
        """Facts valid on ``at`` that have one of ``parents`` among their further parents."""
        return (
            select(item_other_parent.c.parent, item_record.c.code)
            .join(item_record, item_record.c.id == item_other_parent.c.item_record_id)
            .where(
                item_other_parent.c.classification_id == classification_id,
                item_other_parent.c.parent.in_(list(parents)),
                _current(known_at),
                _valid_on(at),
            )
        )

    def nodes(
        self, classification_id: str, codes: Sequence[str], at: date, known_at: datetime
    ) -> list[NodeRow]:
        wanted = list(dict.fromkeys(codes))
        out: list[NodeRow] = []
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _CHUNK):
                query = select(item_record.c.code, item_record.c.level, item_record.c.data).where(
                    item_record.c.classification_id == classification_id,
                    item_record.c.code.in_(wanted[start : start + _CHUNK]),
                    _current(known_at),
                    _valid_on(at),
                )
                out += [
                    NodeRow(code, dict(data.get("titles") or {}), level)
                    for code, level, data in conn.execute(query).all()
                ]
        return out

    def stamp(self, classification_id: str, known_at: datetime) -> datetime | None:
        query = select(func.max(registration.c.recorded_at)).where(
            registration.c.classification_id == classification_id, registration.c.recorded_at <= known_at
        )
        with self.engine.connect() as conn:
            found: datetime | None = conn.execute(query).scalar()
            return found

    def child_counts(
        self, classification_id: str, parents: Sequence[str], at: date, known_at: datetime
    ) -> dict[str, int]:
        counts: dict[str, int] = {}
        wanted = list(dict.fromkeys(parents))
        with self.engine.connect() as conn:
            for start in range(0, len(wanted), _CHUNK):
                # count(*): a code has one fact on a date as known at one time
                query = (
                    select(item_record.c.parent, func.count())
                    .where(
                        item_record.c.classification_id == classification_id,
                        item_record.c.parent.in_(wanted[start : start + _CHUNK]),
                        _current(known_at),
                        _valid_on(at),
                    )
                    .group_by(item_record.c.parent)
                )
                counts.update({parent: int(n) for parent, n in conn.execute(query).all()})
                further = self._further(classification_id, wanted[start : start + _CHUNK], at, known_at)
                for parent, _code in conn.execute(further):
                    counts[parent] = counts.get(parent, 0) + 1
        return counts

    def codes_mentioning(self, classification_id: str, code: str, known_at: datetime) -> list[str]:
        quoted = orjson.dumps(code).decode()  # how the JSON column spells the code
        pattern = "%" + quoted.replace("!", "!!").replace("%", "!%").replace("_", "!_") + "%"
        query = (
            select(item_record.c.code)
            .distinct()
            .where(
                item_record.c.classification_id == classification_id,
                _current(known_at),
                cast(item_record.c.data, Text).like(pattern, escape="!"),
            )
        )
        with self.engine.connect() as conn:
            return [row[0] for row in conn.execute(query)]
