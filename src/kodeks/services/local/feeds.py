"""Change feeds for consumers: what was recorded since a time, for a classification, a profile or a
sortiment, paged with an opaque cursor (``kodeks.domain.local.feed``).

- a classification's feed: its item records (recorded and superseded facts);
- a profile's feed: its own definition and entries, and the records of the common codes it shows;
- a sortiment's feed: its versions, and the records of the codes its versions list.

Start with ``since`` (events recorded strictly after it); continue with the returned cursor, which
always points after the last event handed out, so polling with it later yields only new events.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from kodeks.domain.local.feed import MAX_PAGE, FeedEvent, FeedKey, decode_cursor, encode_cursor, merge
from kodeks.domain.local.profile import compose
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services import queries
from kodeks.services.clock import as_recorded
from kodeks.services.local.common import classification
from kodeks.services.local.ports import LocalStore, LocalStoreOpener
from kodeks.services.local.profiles import load
from kodeks.services.ports import UnitOfWorkFactory
from kodeks.services.queries import When

CURRENT = datetime(9999, 12, 31)


@dataclass(frozen=True, slots=True)
class FeedResult:
    scope: str
    events: tuple[FeedEvent, ...]
    cursor: str
    has_more: bool


def _start(scope: str, since: datetime | None, cursor: str | None) -> FeedKey:
    if cursor:
        try:
            return decode_cursor(scope, cursor)
        except ValueError as exc:
            raise InvalidRequest(f"cursor: {exc}") from None
    if since is None:
        raise InvalidRequest("give 'since' (a timestamp) or the 'cursor' of a previous page")
    return FeedKey.after(as_recorded(since))


def _limit(limit: int) -> int:
    if not 1 <= limit <= MAX_PAGE:
        raise InvalidRequest(f"limit must be between 1 and {MAX_PAGE}")
    return limit


def _page(scope: str, pages: Sequence[list[FeedEvent]], start: FeedKey, limit: int) -> FeedResult:
    page = merge(pages, start, limit)
    return FeedResult(scope, page.events, encode_cursor(scope, page.next_key), page.has_more)


def classification_feed(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    *,
    since: datetime | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> FeedResult:
    scope = f"classification:{cid}"
    start, limit = _start(scope, since, cursor), _limit(limit)
    with uow_factory() as uow:
        classification(uow, cid, CURRENT)
        events = open_store(uow).item_events(cid, None, start, limit + 1)
    return _page(scope, [events], start, limit)


def profile_feed(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    pid: str,
    *,
    since: datetime | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> FeedResult:
    scope = f"profile:{cid}/{pid}"
    start, limit = _start(scope, since, cursor), _limit(limit)
    when = When.of()
    common = queries.items(uow_factory, cid, when)
    with uow_factory() as uow:
        store: LocalStore = open_store(uow)
        stored = load(uow, store, cid, pid, CURRENT)
        p = stored.profile
        codes: list[str] | None = None
        if not p.include_all:
            shown = {i.code for i in compose(p, common, when.at, "")}
            codes = sorted(shown | {s.code for s in p.selections})
        own = store.profile_events(cid, pid, start, limit + 1)
        upstream = store.item_events(cid, codes, start, limit + 1)
    return _page(scope, [own, upstream], start, limit)


def sortiment_feed(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    sid: str,
    *,
    since: datetime | None = None,
    cursor: str | None = None,
    limit: int = 100,
) -> FeedResult:
    scope = f"sortiment:{sid}"
    start, limit = _start(scope, since, cursor), _limit(limit)
    with uow_factory() as uow:
        store: LocalStore = open_store(uow)
        versions = store.sortiment_versions(sid, CURRENT)
        if not versions:
            raise NotFound(f"no sortiment {sid!r}", sortiment=sid)
        wanted: dict[str, set[str]] = {}
        for v in versions:
            for e in v.sortiment.entries:
                wanted.setdefault(e.classification, set()).add(e.code)
        pages = [store.sortiment_events(sid, start, limit + 1)]
        pages += [
            store.item_events(c, sorted(codes), start, limit + 1) for c, codes in sorted(wanted.items())
        ]
    return _page(scope, pages, start, limit)
