"""The landscape store in SQL (``services.landscape.ports.LandscapeStore``)."""

from __future__ import annotations

import json
from collections.abc import Sequence
from datetime import date, datetime
from typing import Any

from sqlalchemy import Connection, Text, and_, cast, delete, func, insert, or_, select, update

from kodeks.domain.landscape.codec import solution_from_dict, solution_to_dict, tasks_from
from kodeks.domain.landscape.model import Solution, Status, TaskRef, Use
from kodeks.domain.period import Period
from kodeks.services.landscape.ports import RecordedUse
from kodeks.services.ports import UnitOfWork
from kodeks.storage.landscape_tables import landscape_boundary, landscape_solution, landscape_use

_S = landscape_solution.c
_U = landscape_use.c
_CHUNK = 500


def _known(columns: Any, known_at: datetime) -> Any:
    return and_(
        columns.recorded_from <= known_at,
        or_(columns.recorded_to.is_(None), columns.recorded_to > known_at),
    )


#: Decoded values by their stored JSON text: a solution's text is its value, so a cache keyed by the
#: text is never stale (bounded; cleared when full). Reading the matrix at 2,000 solutions spent most
#: of its time decoding the same JSON again (``bench/landscape.py``).
_SOLUTIONS: dict[str, Solution] = {}
_TASKS: dict[str, tuple[TaskRef, ...]] = {}
_MAX_CACHED = 50_000
_DATA_TEXT = cast(_S.data, Text)
_PURPOSES_TEXT = cast(_U.purposes, Text)


def _solution(text: str) -> Solution:
    found = _SOLUTIONS.get(text)
    if found is None:
        if len(_SOLUTIONS) >= _MAX_CACHED:
            _SOLUTIONS.clear()
        found = _SOLUTIONS[text] = solution_from_dict(json.loads(text))
    return found


def _tasks(text: str) -> tuple[TaskRef, ...]:
    found = _TASKS.get(text)
    if found is None:
        if len(_TASKS) >= _MAX_CACHED:
            _TASKS.clear()
        found = _TASKS[text] = tasks_from(json.loads(text))
    return found


_STATUS = {s.value: s for s in Status}
_USE_COLUMNS = (
    _U.solution_id,
    _U.municipality,
    _U.status,
    _U.valid_from,
    _U.valid_to,
    _PURPOSES_TEXT.label("purposes_text"),
)


_USES: dict[tuple[Any, ...], Use] = {}


def _row_use(row: Any) -> Use:
    key = (row.solution_id, row.municipality, row.status, row.valid_from, row.valid_to, row.purposes_text)
    found = _USES.get(key)
    if found is None:
        if len(_USES) >= _MAX_CACHED:
            _USES.clear()
        found = _USES[key] = Use(
            row.solution_id,
            row.municipality,
            _STATUS[row.status],
            Period(row.valid_from, row.valid_to),
            _tasks(row.purposes_text),
        )
    return found


class SqlLandscapeStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def solutions(self, known_at: datetime) -> list[Solution]:
        rows = self.conn.execute(
            select(_DATA_TEXT.label("text")).where(_known(_S, known_at)).order_by(_S.solution_id)
        )
        return [_solution(r.text) for r in rows]

    def solution(self, solution_id: str, known_at: datetime) -> Solution | None:
        row = self.conn.execute(
            select(_DATA_TEXT.label("text")).where(_S.solution_id == solution_id, _known(_S, known_at))
        ).first()
        return _solution(row.text) if row else None

    def put_solution(self, solution: Solution, actor: str | None, recorded_at: datetime) -> bool:
        data = solution_to_dict(solution)
        current = self.conn.execute(
            select(_S.id, _S.data).where(_S.solution_id == solution.id, _S.recorded_to.is_(None))
        ).first()
        if current is not None and current.data == data:
            return False
        if current is not None:
            self.conn.execute(
                update(landscape_solution).where(_S.id == current.id).values(recorded_to=recorded_at)
            )
        self.conn.execute(
            insert(landscape_solution).values(
                solution_id=solution.id, data=data, actor=actor, recorded_from=recorded_at
            )
        )
        return True

    def uses(
        self,
        known_at: datetime,
        *,
        at: date | None = None,
        solution: str | None = None,
        municipality: str | None = None,
    ) -> list[Use]:
        query = select(*_USE_COLUMNS).where(_known(_U, known_at))
        if at is not None:
            query = query.where(
                or_(_U.valid_from.is_(None), _U.valid_from <= at),
                or_(_U.valid_to.is_(None), _U.valid_to > at),
            )
        if solution is not None:
            query = query.where(_U.solution_id == solution)
        if municipality is not None:
            query = query.where(_U.municipality == municipality)
        query = query.order_by(_U.solution_id, _U.municipality, _U.valid_from)
        return [_row_use(r) for r in self.conn.execute(query)]

    def close_uses(self, pairs: Sequence[tuple[str, str]], recorded_at: datetime) -> None:
        for solution, municipality in pairs:
            self.conn.execute(
                update(landscape_use)
                .where(_U.solution_id == solution, _U.municipality == municipality, _U.recorded_to.is_(None))
                .values(recorded_to=recorded_at)
            )

    def add_uses(self, uses: Sequence[Use], actor: str | None, recorded_at: datetime) -> None:
        rows = [
            {
                "solution_id": u.solution,
                "municipality": u.municipality,
                "status": u.status.value,
                "valid_from": u.valid.start,
                "valid_to": u.valid.end,
                "purposes": [str(t) for t in u.purposes],
                "actor": actor,
                "recorded_from": recorded_at,
            }
            for u in uses
        ]
        for start in range(0, len(rows), _CHUNK):
            self.conn.execute(insert(landscape_use), rows[start : start + _CHUNK])

    def current_pairs(self) -> dict[tuple[str, str], list[Use]]:
        """Every current use, by (solution, municipality): one read for a whole import."""
        out: dict[tuple[str, str], list[Use]] = {}
        for row in self.conn.execute(select(*_USE_COLUMNS).where(_U.recorded_to.is_(None))):
            out.setdefault((row.solution_id, row.municipality), []).append(_row_use(row))
        return out

    def use_history(self, solution: str, municipality: str | None = None) -> list[RecordedUse]:
        query = select(*_USE_COLUMNS, _U.recorded_from, _U.recorded_to, _U.actor).where(
            _U.solution_id == solution
        )
        if municipality is not None:
            query = query.where(_U.municipality == municipality)
        rows = self.conn.execute(query.order_by(_U.recorded_from, _U.id))
        return [RecordedUse(_row_use(r), r.recorded_from, r.recorded_to, r.actor) for r in rows]

    def put_boundaries(self, paths: dict[str, str], height: float) -> None:
        self.conn.execute(delete(landscape_boundary))
        rows = [
            {"municipality": code, "path": path, "height": height} for code, path in sorted(paths.items())
        ]
        if rows:
            self.conn.execute(insert(landscape_boundary), rows)

    def boundaries(self) -> tuple[dict[str, str], float]:
        rows = list(self.conn.execute(select(landscape_boundary)))
        return {r.municipality: r.path for r in rows}, (rows[0].height if rows else 0.0)

    def state(self) -> tuple[datetime | None, int, int]:
        solutions = self.conn.execute(select(func.count()).select_from(landscape_solution)).scalar() or 0
        uses = self.conn.execute(select(func.count()).select_from(landscape_use)).scalar() or 0
        return self.last_recorded_at(), int(solutions), int(uses)

    def last_recorded_at(self) -> datetime | None:
        found = [
            self.conn.execute(select(func.max(_S.recorded_from))).scalar(),
            self.conn.execute(select(func.max(_U.recorded_from))).scalar(),
            self.conn.execute(select(func.max(_U.recorded_to))).scalar(),
        ]
        present = [f for f in found if f is not None]
        return max(present) if present else None


def open_landscape_store(uow: UnitOfWork) -> SqlLandscapeStore:
    """The landscape inside ``uow``'s transaction (``uow`` is the SQL unit of work)."""
    return SqlLandscapeStore(uow.conn)  # type: ignore[attr-defined]
