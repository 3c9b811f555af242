"""Helpers the local-use services share: recorded time, the common classification, its facts."""

from __future__ import annotations

from datetime import date, datetime

from kodeks.domain.classification import Classification
from kodeks.domain.item import Item
from kodeks.errors import NotFound
from kodeks.services.clock import Clock, next_recorded_at
from kodeks.services.local.ports import LocalStore
from kodeks.services.ports import UnitOfWork


def recorded_time(uow: UnitOfWork, store: LocalStore, clock: Clock) -> datetime:
    """A recorded time after everything the registry and the local store have recorded."""
    times = [t for t in (uow.last_recorded_at(), store.last_recorded_at()) if t is not None]
    return next_recorded_at(clock, max(times) if times else None)


def classification(uow: UnitOfWork, cid: str, known_at: datetime) -> Classification:
    found = uow.classification(cid, known_at)
    if found is None:
        raise NotFound(f"no classification {cid!r}", classification=cid)
    return found


def latest_facts(uow: UnitOfWork, cid: str, known_at: datetime) -> dict[str, Item]:
    """Per code, its latest fact (by start of its period) as known at ``known_at``."""
    out: dict[str, Item] = {}
    for fact in sorted(
        uow.facts_known_at(cid, known_at),
        key=lambda f: (f.period.start is not None, f.period.start or date.min),
    ):
        out[fact.code] = fact.item
    return out


def latest_release_date(uow: UnitOfWork, cid: str, known_at: datetime) -> date | None:
    versions = uow.versions(cid, known_at)
    return max(v.release.release_date for v in versions) if versions else None
