"""Reserved ranges: where the owner of a classification lets others add local codes."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kodeks.domain.local.ranges import ReservedRange
from kodeks.errors import InvalidRequest
from kodeks.services.clock import Clock, utcnow
from kodeks.services.local.common import classification, recorded_time
from kodeks.services.local.ports import LocalStoreOpener
from kodeks.services.ports import Registration, UnitOfWorkFactory
from kodeks.services.queries import When

MAX_RANGES = 100


def reserved_ranges(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, cid: str, known_at: datetime | None = None
) -> list[ReservedRange]:
    when = When.of(None, known_at)
    with uow_factory() as uow:
        classification(uow, cid, when.known_at)
        return open_store(uow).reserved_ranges(cid, when.known_at)


def set_reserved_ranges(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    ranges: Sequence[ReservedRange],
    *,
    actor: str | None,
    clock: Clock = utcnow,
) -> datetime:
    """Replace the classification's reserved ranges (existing local codes are not re-checked).

    Recorded as a registration of the classification (action ``reserved_ranges``): it changes the
    rules of the classification, so its version tag and the read caches move on.
    """
    if len(ranges) > MAX_RANGES:
        raise InvalidRequest(f"at most {MAX_RANGES} reserved ranges")
    if len(set(ranges)) != len(ranges):
        raise InvalidRequest("a reserved range is listed twice")
    with uow_factory() as uow:
        store = open_store(uow)
        classification(uow, cid, When.of().known_at)
        at = recorded_time(uow, store, clock)
        store.set_reserved_ranges(cid, ranges, at, actor)
        summary: dict[str, int | str] = {
            "ranges": len(ranges),
            "rules": "; ".join(r.describe() for r in ranges),
        }
        uow.add_registration(Registration(cid, at, "reserved_ranges", actor, None, summary), None)
        uow.commit()
    return at
