"""The staging area of an import that streams: temporary tables inside the import's transaction.

A large release is not held in memory: its items go to ``kodeks_stage_item`` as they are read, the
database sorts them (by code, for the digest and the timeline) and finds unknown parents and
cycles; the facts go to ``kodeks_stage_fact`` and become records with two statements. Everything
is written in the import's one transaction, so a failed import leaves the database as it was; the
tables are dropped at the end (and any left by a failed import on the same connection, first).
Codes are compared byte by byte (``COLLATE "C"`` on PostgreSQL), as Python compares them.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator, Sequence
from datetime import datetime
from functools import cache
from typing import Any

import orjson
from sqlalchemy import (
    JSON,
    Column,
    Connection,
    Date,
    DateTime,
    Index,
    Integer,
    MetaData,
    String,
    Table,
    Text,
    and_,
    delete,
    exists,
    func,
    insert,
    literal,
    or_,
    select,
    text,
    update,
)

from kodeks.domain.codec import (
    item_from_dict,
    item_json,
    item_key,
    level_to_dict,
    release_from_dict,
    release_to_dict,
)
from kodeks.domain.item import Item
from kodeks.domain.release import Level, Release
from kodeks.domain.timeline import RecordedRelease
from kodeks.services.ports import NewFact
from kodeks.storage.other_parents import insert_other_parents
from kodeks.storage.tables import item_record, release, release_item

_BATCH = 500
_CONTENT_CHUNK = 1000  # items per ``release_item`` row, as ``SqlUnitOfWork.add_release`` writes them
_PEEL_ROUNDS = 100  # levels peeled off the hierarchy in SQL before the rest is looked at in Python
_STREAM = {"stream_results": True, "yield_per": _BATCH}


@cache  # one set of tables per dialect, so their statements are compiled once
def _tables(dialect: str) -> tuple[Table, Table, Table, Table]:
    text_ = Text(collation="C" if dialect == "postgresql" else "BINARY")
    md = MetaData()
    item = Table(
        "kodeks_stage_item",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("rank", Integer, nullable=False),
        Column("code", text_, nullable=False),
        Column("start", text_, nullable=False),  # ISO date of the validity's start, '' when open
        Column("level", Integer, nullable=True),
        Column("parent", text_, nullable=True),
        Column("data", Text, nullable=False),  # codec.item_json
        Index("ix_kodeks_stage_item", "rank", "code", "start", "id"),
        prefixes=["TEMPORARY"],
    )
    fact = Table(
        "kodeks_stage_fact",
        md,
        Column("id", Integer, primary_key=True, autoincrement=True),
        Column("code", Text, nullable=False),
        Column("uuid", String(36), nullable=False),
        Column("level", Integer, nullable=True),
        Column("parent", Text, nullable=True),
        Column("title", Text, nullable=True),
        Column("data", JSON, nullable=False),
        Column("fingerprint", String(64), nullable=False),
        Column("valid_from", Date, nullable=True),
        Column("valid_to", Date, nullable=True),
        Column("release_label", String(200), nullable=False),
        Column("life_from", Date, nullable=True),
        Column("life_to", Date, nullable=True),
        Index("ix_kodeks_stage_fact_code", "code"),
        Index("ix_kodeks_stage_fact_fingerprint", "fingerprint"),
        prefixes=["TEMPORARY"],
    )
    current = Table(
        "kodeks_stage_current",
        md,
        Column("fingerprint", String(64), nullable=False),
        Index("ix_kodeks_stage_current", "fingerprint"),
        prefixes=["TEMPORARY"],
    )
    tree = Table(
        "kodeks_stage_tree",
        md,
        Column("code", text_, primary_key=True),
        Column("parent", text_, nullable=True),
        prefixes=["TEMPORARY"],
    )
    return item, fact, current, tree


class SqlStaging:
    """The ``Staging`` port on one connection (see the module text)."""

    def __init__(self, conn: Connection) -> None:
        self.conn = conn
        self._item, self._fact, self._current, self._tree = _tables(conn.dialect.name)
        self._other_parents: dict[tuple[str, str], tuple[str, ...]] = {}  # few: polyhierarchies only

    def create(self) -> None:
        self.drop()
        for table in (self._item, self._fact, self._current, self._tree):
            table.create(self.conn)

    def drop(self) -> None:
        for table in (self._item, self._fact, self._current, self._tree):
            self.conn.execute(text(f"DROP TABLE IF EXISTS {table.name}"))

    # -- items ----------------------------------------------------------------------------------
    def add_items(self, rank: int, items: Iterable[Item]) -> int:
        count = 0
        for batch in _batched(items):
            rows = [
                {
                    "rank": rank,
                    "code": i.code,
                    "start": item_key(i)[1],
                    "level": i.level,
                    "parent": i.parent,
                    "data": item_json(i).decode(),
                }
                for i in batch
            ]
            self.conn.execute(insert(self._item), rows)
            count += len(rows)
        return count

    def digest_order(self, rank: int) -> Iterator[tuple[str, bytes]]:
        t = self._item
        query = select(t.c.code, t.c.data).where(t.c.rank == rank).order_by(t.c.code, t.c.start, t.c.id)
        for code, data in self.conn.execute(query, execution_options=_STREAM):
            yield code, data.encode()

    def unknown_parents(self, rank: int, limit: int) -> tuple[int, list[tuple[str, str]]]:
        s, p = self._item.alias("s"), self._item.alias("p")
        known = exists().where(p.c.rank == rank, p.c.code == s.c.parent)
        where = and_(s.c.rank == rank, s.c.parent.is_not(None), ~known)
        count = self.conn.execute(select(func.count()).select_from(s).where(where)).scalar() or 0
        first = self.conn.execute(select(s.c.code, s.c.parent).where(where).order_by(s.c.id).limit(limit))
        return count, [(code, parent) for code, parent in first]

    def hierarchy_knots(self, rank: int) -> dict[str, str | None]:
        s, p, tree = self._item.alias("s"), self._item.alias("p"), self._tree
        last = select(func.max(p.c.id)).where(p.c.rank == rank, p.c.code == s.c.code).scalar_subquery()
        self.conn.execute(delete(tree))
        # a code's parent is the one its last row names (as ``hierarchy.check_items`` reads it)
        self.conn.execute(
            insert(tree).from_select(
                ["code", "parent"], select(s.c.code, s.c.parent).where(s.c.rank == rank, s.c.id == last)
            )
        )
        for _ in range(_PEEL_ROUNDS):
            q = tree.alias("q")
            top = or_(tree.c.parent.is_(None), ~exists().where(q.c.code == tree.c.parent))
            if not self.conn.execute(delete(tree).where(top)).rowcount:
                break
        left: dict[str, str | None] = {
            c: parent for c, parent in self.conn.execute(select(tree.c.code, tree.c.parent))
        }
        self.conn.execute(delete(tree))
        return left

    def items(self, rank: int) -> Iterator[Item]:
        t = self._item
        query = select(t.c.data).where(t.c.rank == rank).order_by(t.c.id)
        for (data,) in self.conn.execute(query, execution_options=_STREAM):
            yield item_from_dict(orjson.loads(data))

    def count(self) -> int:
        return self.conn.execute(select(func.count()).select_from(self._item)).scalar() or 0

    def levels(self, ranks: Iterable[int]) -> set[int | None]:
        t = self._item
        query = select(t.c.level).where(t.c.rank.in_(list(ranks))).distinct()
        return {level for (level,) in self.conn.execute(query)}

    def by_code(self) -> Iterator[tuple[str, list[tuple[int, Item]]]]:
        t = self._item
        query = select(t.c.code, t.c.rank, t.c.data).order_by(t.c.code, t.c.rank, t.c.id)
        rows = self.conn.execute(query, execution_options=_STREAM)
        for code, group in itertools.groupby(rows, key=lambda r: r[0]):
            yield code, [(rank, item_from_dict(orjson.loads(data))) for _, rank, data in group]

    # -- releases -------------------------------------------------------------------------------
    def add_release(
        self,
        classification_id: str,
        release_: Release,
        levels: Sequence[Level],
        recorded_at: datetime,
        sha256: str,
    ) -> int:
        sequence = (
            self.conn.execute(
                select(func.max(release.c.sequence)).where(release.c.classification_id == classification_id)
            ).scalar()
            or 0
        ) + 1
        t = self._item
        count = self.conn.execute(select(func.count()).select_from(t).where(t.c.rank == 0)).scalar() or 0
        result = self.conn.execute(
            insert(release).values(
                classification_id=classification_id,
                sequence=sequence,
                label=release_.label,
                release_date=release_.release_date,
                data=release_to_dict(release_),
                levels=[level_to_dict(lv) for lv in levels],
                sha256=sha256,
                item_count=count,
                recorded_at=recorded_at,
            )
        )
        assert result.inserted_primary_key is not None
        release_id = result.inserted_primary_key[0]
        query = select(t.c.data).where(t.c.rank == 0).order_by(t.c.id)
        rows = self.conn.execute(query, execution_options=_STREAM)
        for chunk in _batched((orjson.loads(data) for (data,) in rows), _CONTENT_CHUNK):
            self.conn.execute(insert(release_item).values(release_id=release_id, data=list(chunk)))
        return sequence

    def add_recorded(self, classification_id: str, except_sequence: int) -> list[RecordedRelease]:
        held = self.conn.execute(
            select(release.c.id, release.c.data, release.c.sequence)
            .where(release.c.classification_id == classification_id, release.c.sequence != except_sequence)
            .order_by(release.c.sequence)
        ).all()
        out: list[RecordedRelease] = []
        for r in held:
            query = (
                select(release_item.c.data)
                .where(release_item.c.release_id == r.id)
                .order_by(release_item.c.id)
            )
            chunks = self.conn.execute(query, execution_options=_STREAM)
            items = (
                item_from_dict(d) for (data,) in chunks for d in (data if isinstance(data, list) else [data])
            )
            self.add_items(r.sequence, items)
            out.append(RecordedRelease(release_from_dict(r.data), (), r.sequence))
        return out

    # -- facts ----------------------------------------------------------------------------------
    def add_facts(self, facts: Iterable[NewFact]) -> None:
        for batch in _batched(facts, _BATCH):
            rows: list[dict[str, Any]] = []
            for new in batch:
                fact, item = new.fact, new.fact.item
                if item.other_parents:
                    self._other_parents[(item.code, new.fingerprint)] = item.other_parents
                rows.append(
                    {
                        "code": item.code,
                        "uuid": str(item.uuid),
                        "level": item.level,
                        "parent": item.parent,
                        "title": item.title(),
                        "data": new.data,
                        "fingerprint": new.fingerprint,
                        "valid_from": fact.period.start,
                        "valid_to": fact.period.end,
                        "release_label": fact.release,
                        "life_from": item.valid.start,
                        "life_to": item.valid.end,
                    }
                )
            self.conn.execute(insert(self._fact), rows)

    def clear_facts(self) -> None:
        self.conn.execute(delete(self._fact))
        self._other_parents.clear()

    def orphans(self) -> int:
        c, p = self._fact.alias("c"), self._fact.alias("p")
        covered = exists().where(
            p.c.code == c.c.parent,
            or_(p.c.life_from.is_(None), and_(c.c.valid_from.is_not(None), p.c.life_from <= c.c.valid_from)),
            or_(p.c.life_to.is_(None), and_(c.c.valid_to.is_not(None), p.c.life_to >= c.c.valid_to)),
        )
        query = select(func.count()).select_from(c).where(c.c.parent.is_not(None), ~covered)
        return self.conn.execute(query).scalar() or 0

    def record_facts(self, classification_id: str, recorded_at: datetime) -> tuple[int, int]:
        f, cur, rec = self._fact, self._current, item_record
        held = and_(rec.c.classification_id == classification_id, rec.c.recorded_to.is_(None))
        self.conn.execute(insert(cur).from_select(["fingerprint"], select(rec.c.fingerprint).where(held)))
        gone = ~exists().where(f.c.fingerprint == rec.c.fingerprint)
        closed = self.conn.execute(update(rec).where(held, gone).values(recorded_to=recorded_at)).rowcount
        columns = ["classification_id", "code", "uuid", "level", "parent", "title", "data", "fingerprint"]
        columns += ["valid_from", "valid_to", "release_label", "recorded_from"]
        new = (
            select(
                literal(classification_id, String()),
                f.c.code,
                f.c.uuid,
                f.c.level,
                f.c.parent,
                f.c.title,
                f.c.data,
                f.c.fingerprint,
                f.c.valid_from,
                f.c.valid_to,
                f.c.release_label,
                literal(recorded_at, DateTime()),
            )
            .where(~exists().where(cur.c.fingerprint == f.c.fingerprint))
            .order_by(f.c.id)
        )
        fresh = ~exists().where(cur.c.fingerprint == f.c.fingerprint)
        inserted = self.conn.execute(select(func.count()).select_from(f).where(fresh)).scalar() or 0
        self.conn.execute(insert(rec).from_select(columns, new))  # (its rowcount is -1 on psycopg)
        insert_other_parents(self.conn, classification_id, self._other_parents, recorded_at)
        self.conn.execute(delete(cur))
        return inserted, closed


def _batched(values: Iterable[Any], size: int = _BATCH) -> Iterator[tuple[Any, ...]]:
    it = iter(values)
    while batch := tuple(itertools.islice(it, size)):
        yield batch
