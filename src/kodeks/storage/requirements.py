"""The requirement store in SQL (tables in ``storage.requirement_tables``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, delete, func, insert, select, update
from sqlalchemy.exc import IntegrityError

from kodeks.domain.requirements.answers import Answer, Compliance
from kodeks.domain.requirements.codec import (
    requirement_to_dict,
    set_from_dict,
    set_to_dict,
    stored_requirement,
)
from kodeks.domain.requirements.requirement import Requirement
from kodeks.domain.requirements.tender import RequirementSet
from kodeks.errors import Conflict
from kodeks.services.ports import UnitOfWork
from kodeks.services.requirements.ports import Event
from kodeks.storage.requirement_tables import req_answer, req_event, req_requirement, req_set

_R = req_requirement.c


class SqlRequirementStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def versions(self, requirement_id: str) -> list[Requirement]:
        rows = self.conn.execute(
            select(_R.data).where(_R.requirement_id == requirement_id).order_by(_R.version)
        )
        return [stored_requirement(r.data) for r in rows]

    def requirement(self, requirement_id: str, version: int) -> Requirement | None:
        row = self.conn.execute(
            select(_R.data).where(_R.requirement_id == requirement_id, _R.version == version)
        ).first()
        return stored_requirement(row.data) if row else None

    def latest(self, *, published_only: bool = False) -> list[Requirement]:
        newest = select(_R.requirement_id, func.max(_R.version).label("v"))
        if published_only:
            newest = newest.where(_R.state == "published")
        sub = newest.group_by(_R.requirement_id).subquery()
        rows = self.conn.execute(
            select(_R.data)
            .join(sub, (sub.c.requirement_id == _R.requirement_id) & (sub.c.v == _R.version))
            .order_by(_R.requirement_id)
        )
        return [stored_requirement(r.data) for r in rows]

    def add_version(self, req: Requirement, at: datetime) -> None:
        try:
            with self.conn.begin_nested():
                self.conn.execute(
                    insert(req_requirement).values(
                        requirement_id=req.id,
                        version=req.version,
                        state=str(req.state),
                        owner=req.owner,
                        author=req.author,
                        data=requirement_to_dict(req),
                        created_at=at,
                        changed_at=at,
                    )
                )
        except IntegrityError:
            raise Conflict(
                f"requirement {req.id} version {req.version} exists already", requirement=req.id
            ) from None

    def save_version(self, req: Requirement, at: datetime) -> None:
        self.conn.execute(
            update(req_requirement)
            .where(_R.requirement_id == req.id, _R.version == req.version)
            .values(state=str(req.state), data=requirement_to_dict(req), changed_at=at)
        )

    def add_event(self, event: Event) -> None:
        self.conn.execute(
            insert(req_event).values(
                subject_kind=event.subject_kind,
                subject_id=event.subject_id,
                version=event.version,
                action=event.action,
                actor=event.actor,
                organisation=event.organisation,
                at=event.at,
                note=event.note,
            )
        )

    def events(self, subject_kind: str, subject_id: str) -> list[Event]:
        c = req_event.c
        rows = self.conn.execute(
            select(req_event).where(c.subject_kind == subject_kind, c.subject_id == subject_id).order_by(c.id)
        )
        return [
            Event(r.subject_kind, r.subject_id, r.version, r.action, r.actor, r.organisation, r.at, r.note)
            for r in rows
        ]

    def requirement_set(self, set_id: str) -> RequirementSet | None:
        row = self.conn.execute(select(req_set).where(req_set.c.set_id == set_id)).first()
        return _set(row) if row else None

    def requirement_sets(self) -> list[RequirementSet]:
        return [_set(r) for r in self.conn.execute(select(req_set).order_by(req_set.c.set_id))]

    def save_set(self, rset: RequirementSet, at: datetime, actor: str | None) -> None:
        values = {
            "owner": rset.owner,
            "revision": rset.revision,
            "data": set_to_dict(rset),
            "changed_at": at,
            "actor": actor,
        }
        done = self.conn.execute(update(req_set).where(req_set.c.set_id == rset.id).values(**values))
        if not done.rowcount:
            self.conn.execute(insert(req_set).values(set_id=rset.id, **values))

    def replace_answers(
        self, set_id: str, supplier: str, answers: Sequence[Answer], at: datetime, actor: str | None
    ) -> None:
        c = req_answer.c
        self.conn.execute(delete(req_answer).where(c.set_id == set_id, c.supplier == supplier))
        if answers:
            self.conn.execute(
                insert(req_answer),
                [
                    {
                        "set_id": set_id,
                        "supplier": supplier,
                        "requirement_id": a.requirement_id,
                        "compliance": str(a.compliance) if a.compliance else None,
                        "text": a.text,
                        "imported_at": at,
                        "actor": actor,
                    }
                    for a in answers
                ],
            )

    def answers(self, set_id: str) -> list[Answer]:
        c = req_answer.c
        rows = self.conn.execute(select(req_answer).where(c.set_id == set_id).order_by(c.supplier, c.id))
        return [
            Answer(r.supplier, r.requirement_id, Compliance(r.compliance) if r.compliance else None, r.text)
            for r in rows
        ]


def _set(row: Any) -> RequirementSet:
    from dataclasses import replace

    return replace(set_from_dict(row.data), revision=row.revision)


def open_requirement_store(uow: UnitOfWork) -> SqlRequirementStore:
    """The store inside ``uow``'s transaction (``uow`` is the SQL unit of work)."""
    return SqlRequirementStore(uow.conn)  # type: ignore[attr-defined]


def open_requirements(engine: Any, settings: Any, listeners: Sequence[Any] = ()) -> Any:
    """The requirement tools' context for an engine and its settings (the adapters' one way to get it)."""
    from kodeks.services.requirements.context import Requirements
    from kodeks.storage.catalog_store import open_catalog_store
    from kodeks.storage.governance import open_governance

    return Requirements(
        open_governance(engine, settings, listeners), open_requirement_store, open_catalog_store
    )
