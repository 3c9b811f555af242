"""The AI code bank in SQL (``services.landscape.codebank_ports.CodeBankStore``)."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, and_, insert, or_, select, update

from kodeks.domain.landscape.codebank import CodeBankEntry, Offer, OfferKind
from kodeks.domain.landscape.codec import entry_from_dict, entry_to_dict
from kodeks.services.ports import UnitOfWork
from kodeks.storage.landscape_tables import (
    landscape_codebank_entry,
    landscape_codebank_interest,
    landscape_codebank_offer,
)

_E = landscape_codebank_entry.c
_O = landscape_codebank_offer.c
_I = landscape_codebank_interest.c


def _known(known_at: datetime) -> Any:
    return and_(_E.recorded_from <= known_at, or_(_E.recorded_to.is_(None), _E.recorded_to > known_at))


class SqlCodeBankStore:
    def __init__(self, conn: Connection) -> None:
        self.conn = conn

    def entries(self, known_at: datetime) -> list[CodeBankEntry]:
        rows = self.conn.execute(select(_E.data).where(_known(known_at)).order_by(_E.entry_id))
        return [entry_from_dict(r.data) for r in rows]

    def entry(self, entry_id: str, known_at: datetime) -> CodeBankEntry | None:
        row = self.conn.execute(select(_E.data).where(_E.entry_id == entry_id, _known(known_at))).first()
        return entry_from_dict(row.data) if row else None

    def put_entry(self, entry: CodeBankEntry, actor: str | None, recorded_at: datetime) -> bool:
        data = entry_to_dict(entry)
        current = self.conn.execute(
            select(_E.id, _E.data).where(_E.entry_id == entry.id, _E.recorded_to.is_(None))
        ).first()
        if current is not None and current.data == data:
            return False
        if current is not None:
            self.conn.execute(
                update(landscape_codebank_entry).where(_E.id == current.id).values(recorded_to=recorded_at)
            )
        self.conn.execute(
            insert(landscape_codebank_entry).values(
                entry_id=entry.id, data=data, actor=actor, recorded_from=recorded_at
            )
        )
        return True

    def add_offer(
        self, entry_id: str, kind: OfferKind, municipality: str, note: str, actor: str | None, at: datetime
    ) -> int:
        result = self.conn.execute(
            insert(landscape_codebank_offer).values(
                entry_id=entry_id,
                kind=kind.value,
                municipality=municipality,
                note=note,
                actor=actor,
                created_at=at,
            )
        )
        return int(result.inserted_primary_key[0])  # type: ignore[index]

    def offers(self, entry_id: str | None = None) -> list[Offer]:
        query = select(landscape_codebank_offer).order_by(_O.id)
        if entry_id is not None:
            query = query.where(_O.entry_id == entry_id)
        rows = list(self.conn.execute(query))
        interest: dict[int, list[tuple[str, str]]] = defaultdict(list)
        if rows:
            found = self.conn.execute(
                select(_I.offer_id, _I.municipality, _I.note)
                .where(_I.offer_id.in_([r.id for r in rows]))
                .order_by(_I.id)
            )
            for i in found:
                interest[i.offer_id].append((i.municipality, i.note))
        return [
            Offer(
                r.id,
                r.entry_id,
                OfferKind(r.kind),
                r.municipality,
                r.note,
                r.created_at,
                tuple(interest[r.id]),
            )
            for r in rows
        ]

    def offer(self, offer_id: int) -> Offer | None:
        return next((o for o in self.offers() if o.id == offer_id), None)

    def add_interest(
        self, offer_id: int, municipality: str, note: str, actor: str | None, at: datetime
    ) -> None:
        self.conn.execute(
            insert(landscape_codebank_interest).values(
                offer_id=offer_id, municipality=municipality, note=note, actor=actor, created_at=at
            )
        )


def open_codebank_store(uow: UnitOfWork) -> SqlCodeBankStore:
    return SqlCodeBankStore(uow.conn)  # type: ignore[attr-defined]
