"""The screening store in SQL (tables in ``storage.screening_tables``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, func, insert, select

from kodeks.domain.screening.codec import (
    questionnaire_from_dict,
    questionnaire_to_dict,
    result_from_dict,
    result_to_dict,
)
from kodeks.domain.screening.questionnaire import Questionnaire
from kodeks.services.ports import UnitOfWork
from kodeks.services.screening.ports import Screening
from kodeks.storage.screening_tables import scr_questionnaire, scr_result

_Q = scr_questionnaire.c
_S = scr_result.c


class SqlScreeningStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def questionnaire(self, questionnaire_id: str, version: int | None = None) -> Questionnaire | None:
        query = select(_Q.data).where(_Q.questionnaire_id == questionnaire_id)
        query = (
            query.where(_Q.version == version) if version is not None else query.order_by(_Q.version.desc())
        )
        row = self.conn.execute(query.limit(1)).first()
        return questionnaire_from_dict(row.data) if row else None

    def questionnaires(self) -> list[Questionnaire]:
        sub = (
            select(_Q.questionnaire_id, func.max(_Q.version).label("v"))
            .group_by(_Q.questionnaire_id)
            .subquery()
        )
        rows = self.conn.execute(
            select(_Q.data)
            .join(sub, (sub.c.questionnaire_id == _Q.questionnaire_id) & (sub.c.v == _Q.version))
            .order_by(_Q.questionnaire_id)
        )
        return [questionnaire_from_dict(r.data) for r in rows]

    def add_questionnaire(self, q: Questionnaire, at: datetime, actor: str | None) -> None:
        self.conn.execute(
            insert(scr_questionnaire).values(
                questionnaire_id=q.id,
                version=q.version,
                data=questionnaire_to_dict(q),
                recorded_at=at,
                actor=actor,
            )
        )

    def add_screening(self, s: Screening) -> int:
        done = self.conn.execute(
            insert(scr_result).values(
                questionnaire_id=s.questionnaire_id,
                questionnaire_version=s.questionnaire_version,
                project=s.project,
                answers=s.answers,
                result=result_to_dict(s.result),
                at=s.at,
                actor=s.actor,
                organisation=s.organisation,
            )
        )
        return int(done.inserted_primary_key[0])  # type: ignore[index]

    def screening(self, screening_id: int) -> Screening | None:
        row = self.conn.execute(select(scr_result).where(_S.id == screening_id)).first()
        return _screening(row) if row else None

    def screenings(self, *, project: str | None = None, limit: int = 100) -> list[Screening]:
        query = select(scr_result)
        if project is not None:
            query = query.where(_S.project == project)
        rows = self.conn.execute(query.order_by(_S.at.desc(), _S.id.desc()).limit(limit))
        return [_screening(r) for r in rows]


def _screening(row: Any) -> Screening:
    return Screening(
        row.id,
        row.questionnaire_id,
        row.questionnaire_version,
        row.project,
        dict(row.answers),
        result_from_dict(row.result),
        row.at,
        row.actor,
        row.organisation,
    )


def open_screening_store(uow: UnitOfWork) -> SqlScreeningStore:
    return SqlScreeningStore(uow.conn)  # type: ignore[attr-defined]


def open_screening(engine: Any, settings: Any, listeners: Sequence[Any] = ()) -> Any:
    """The screening context for an engine and its settings."""
    from kodeks.services.screening.screenings import ScreeningContext
    from kodeks.storage.governance import open_governance

    return ScreeningContext(open_governance(engine, settings, listeners), open_screening_store)
