"""Scopes read against the registry: expand, drift and check (``domain.data.scope``)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import date, datetime

from kodeks.domain.data.scope import Decision, Drift, Expansion, Index, Scope, check, drift, expand
from kodeks.services.data.tables import cached_table
from kodeks.services.ports import UnitOfWorkFactory


def index(uow_factory: UnitOfWorkFactory, cid: str, known_at: datetime | None = None) -> Index:
    return Index(cached_table(uow_factory, cid, known_at))


def expand_scope(
    uow_factory: UnitOfWorkFactory, cid: str, scope: Scope, day: date, known_at: datetime | None = None
) -> Expansion:
    return expand(index(uow_factory, cid, known_at), scope, day)


def scope_drift(
    uow_factory: UnitOfWorkFactory,
    cid: str,
    scopes: Sequence[Scope],
    since: date,
    day: date,
    known_at: datetime | None = None,
) -> list[Drift]:
    found = index(uow_factory, cid, known_at)
    return [drift(found, s, since, day) for s in scopes]


def check_scope(
    uow_factory: UnitOfWorkFactory,
    cid: str,
    scope: Scope,
    pairs: Sequence[tuple[str, date]],
    known_at: datetime | None = None,
) -> list[Decision]:
    found = index(uow_factory, cid, known_at)
    return [check(found, scope, code, day) for code, day in pairs]
