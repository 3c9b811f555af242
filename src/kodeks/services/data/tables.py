"""A classification's valid-time table (``domain.data.valid_time``), read from the registry."""

from __future__ import annotations

import threading
import weakref
from datetime import datetime

from kodeks.domain.data.valid_time import ValidTimeTable, build_table
from kodeks.domain.item import Item
from kodeks.domain.timeline import Fact
from kodeks.errors import NotFound
from kodeks.services.clock import as_recorded
from kodeks.services.local.ports import LocalStoreOpener
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When


def valid_time_table(
    uow_factory: UnitOfWorkFactory,
    cid: str,
    known_at: datetime | None = None,
    *,
    profile: str | None = None,
    open_local_store: LocalStoreOpener | None = None,
) -> ValidTimeTable:
    """The table of ``cid`` as known at ``known_at`` (default now); with ``profile``, that profile's
    local codes are ``local`` over their validity."""
    when = When.of(None, known_at)
    local: list[Fact] = []
    with uow_factory() as uow:
        if uow.classification(cid, when.known_at) is None:
            raise NotFound(f"no classification {cid!r}", classification=cid)
        facts = uow.facts_known_at(cid, when.known_at)
        if profile is not None:
            if open_local_store is None:
                raise NotFound(f"{cid} has no profile {profile!r}", classification=cid, profile=profile)
            stored = open_local_store(uow).profile(cid, profile, when.known_at)
            if stored is None:
                raise NotFound(f"{cid} has no profile {profile!r}", classification=cid, profile=profile)
            for c in stored.profile.local_codes:
                item = Item(c.code, titles=dict(c.titles), parent=c.parent, valid=c.valid)
                local.append(Fact(item, f"profile:{profile}", c.valid))
    return build_table(cid, facts, local, profile)


_lock = threading.Lock()
_cache: weakref.WeakKeyDictionary[object, dict[tuple[str, datetime | None], ValidTimeTable]] = (
    weakref.WeakKeyDictionary()
)
_KEEP = 8


def cached_table(
    uow_factory: UnitOfWorkFactory,
    cid: str,
    known_at: datetime | None = None,
    *,
    profile: str | None = None,
    open_local_store: LocalStoreOpener | None = None,
) -> ValidTimeTable:
    """``valid_time_table``, kept per registry until anything new is recorded in it (one indexed
    query tells). Tables with a profile are built each time: profiles change on their own."""
    if profile is not None:
        return valid_time_table(
            uow_factory, cid, known_at, profile=profile, open_local_store=open_local_store
        )
    known_at = as_recorded(known_at) if known_at else None  # a given zone: compared as stored, naive UTC
    with uow_factory() as uow:
        last = uow.last_recorded_at()
    as_of = None if known_at is None or last is None or known_at >= last else known_at
    key = (f"{cid}|{last.isoformat() if last else ''}", as_of)
    with _lock:
        mine = _cache.setdefault(uow_factory, {})
        found = mine.get(key)
    if found is not None:
        return found
    built = valid_time_table(uow_factory, cid, known_at)
    with _lock:
        while len(mine) >= _KEEP:
            mine.pop(next(iter(mine)))
        mine[key] = built
    return built
