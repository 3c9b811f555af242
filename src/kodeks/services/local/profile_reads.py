"""Reading a profile like a classification: items, one item, children, descendants, history, changes,
export. The common items come from ``services.queries`` (at ``at``, as known at ``known_at``) and
are composed with the profile's definition as known at the same ``known_at``."""

from __future__ import annotations

import contextlib
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace
from datetime import date, datetime
from threading import Lock
from typing import Any

from kodeks.domain.changes import ChangeSet, changes_between
from kodeks.domain.classification import Classification
from kodeks.domain.codes import sort_key
from kodeks.domain.item import Item
from kodeks.domain.local.profile import (
    ORIGIN,
    Membership,
    Profile,
    common_item,
    compose,
    context_item,
    local_items,
    membership,
)
from kodeks.domain.local.upstream import profile_changes
from kodeks.domain.period import Period
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services import queries
from kodeks.services.exporting import Exported
from kodeks.services.local.common import classification
from kodeks.services.local.ports import LocalStore, LocalStoreOpener, StoredProfile
from kodeks.services.local.profiles import load
from kodeks.services.ports import ExportSet, FormatCatalog, ItemRecord, UnitOfWork, UnitOfWorkFactory
from kodeks.services.queries import When


@dataclass(frozen=True, slots=True)
class ProfileRead:
    classification: Classification
    stored: StoredProfile
    items: list[Item]

    @property
    def profile(self) -> Profile:
        return self.stored.profile


@dataclass(frozen=True, slots=True)
class ProfileItemView:
    item: Item
    classification: str
    profile: str
    at: date
    children: int
    successors_now: tuple[str, ...]


_KEYS: dict[str, dict[str, Any]] = {}
_MAX_KEYS = 500_000


def _sort_key(order: str) -> Callable[[str], Any]:
    """The classification's code order, memoised (a code's key never changes; reads sort thousands)."""
    base = sort_key(order)
    memo = _KEYS.setdefault(str(order), {})

    def key(code: str) -> Any:
        found = memo.get(code)
        if found is None:
            found = base(code)
            if len(memo) < _MAX_KEYS:
                memo[code] = found
        return found

    return key


def _sorted(items: list[Item], c: Classification) -> list[Item]:
    key = _sort_key(c.code_order)
    return sorted(items, key=lambda i: (key(i.code), i.valid.start or date.min))


def read(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, cid: str, pid: str, when: When
) -> ProfileRead:
    """The profile's items valid on ``when.at``, sorted like the classification's."""
    common = queries.items(uow_factory, cid, when)
    with uow_factory() as uow:
        c = uow.classification(cid, when.known_at)
        stored = load(uow, open_store(uow), cid, pid, when.known_at)
    assert c is not None
    return ProfileRead(c, stored, _sorted(compose(stored.profile, common, when.at, c.canonical_uri), c))


def items(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    pid: str,
    when: When,
    level: int | None = None,
) -> ProfileRead:
    found = read(uow_factory, open_store, cid, pid, when)
    if level is None:
        return found
    return replace(found, items=[i for i in found.items if i.level == level])


@dataclass(frozen=True, slots=True)
class _Shown:
    """What the profile shows on a date, from the code tree alone (no item content read)."""

    classification: Classification
    stored: StoredProfile
    shown: Membership
    children: dict[str | None, list[str]]
    local_by_code: dict[str, Item]

    def local(self) -> dict[str, Item]:
        return self.local_by_code

    def children_of(self, code: str) -> int:
        return len(self.children.get(code, ()))


_SHOWN: OrderedDict[tuple[Any, ...], tuple[object, _Shown]] = OrderedDict()
_SHOWN_LOCK = Lock()


def _shown(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, cid: str, pid: str, when: When
) -> _Shown:
    """Membership from the code tree; memoised per tree object (the store caches trees per database and
    registration state) and profile version, so repeated item reads cost a few small queries."""
    with uow_factory() as uow:
        return _shown_in(uow, open_store(uow), cid, pid, when)


def _shown_in(uow: UnitOfWork, store: LocalStore, cid: str, pid: str, when: When) -> _Shown:
    c = classification(uow, cid, when.known_at)
    stored = store.profile(cid, pid, when.known_at)
    if stored is None:
        raise NotFound(f"{cid} has no profile {pid!r}", classification=cid, profile=pid)
    tree = store.tree_at(cid, when.at, when.known_at)
    key = (id(tree), cid, pid, stored.version, stored.recorded_at, when.at)
    with _SHOWN_LOCK:
        hit = _SHOWN.get(key)
        if hit is not None and hit[0] is tree:
            _SHOWN.move_to_end(key)
            return hit[1]
    shown = membership(stored.profile, {code: parent for code, (parent, _) in tree.items()}, when.at)
    levels = {code: level for code, (_, level) in tree.items()}
    local = {i.code: i for i in local_items(stored.profile, shown, levels, c.canonical_uri)}
    children: dict[str | None, list[str]] = {}
    for code, (parent, _) in tree.items():
        if code in shown:
            children.setdefault(parent, []).append(code)
    for i in local.values():
        children.setdefault(i.parent, []).append(i.code)
    result = _Shown(c, stored, shown, children, local)
    with _SHOWN_LOCK:
        _SHOWN[key] = (tree, result)
        while len(_SHOWN) > 32:
            _SHOWN.popitem(last=False)
    return result


def _as_shown(s: _Shown, item: Item) -> Item:
    if item.code in s.shown.context:
        return context_item(item)
    return common_item(item, s.shown.chosen.get(item.code))


def item(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, cid: str, pid: str, code: str, when: When
) -> ProfileItemView:
    """One item of the profile on ``when.at``; reads only that item's content (one transaction)."""
    with uow_factory() as uow:
        s = _shown_in(uow, open_store(uow), cid, pid, when)
        _member(s, code, when)
        if code in s.shown.local:
            return ProfileItemView(s.local()[code], cid, pid, when.at, s.children_of(code), ())
        found = uow.items_at(cid, when.at, when.known_at, code=code)
    one = _as_shown(s, found[0])
    successors: tuple[str, ...] = ()
    if one.valid.end is not None:
        successors = queries.item(uow_factory, cid, code, when).successors_now
    return ProfileItemView(one, cid, pid, when.at, s.children_of(code), successors)


def _member(s: _Shown, code: str, when: When) -> None:
    if code in s.shown:
        return
    p = s.stored.profile
    listed = any(x.code == code for x in p.selections) or any(x.code == code for x in p.local_codes)
    why = "is not valid on that date" if listed or p.include_all else "is not in the profile"
    raise NotFound(
        f"{p.classification} profile {p.id}: {code} {why} ({when.at.isoformat()})",
        classification=p.classification,
        profile=p.id,
        code=code,
    )


def children(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, cid: str, pid: str, code: str, when: When
) -> list[Item]:
    """The children of ``code`` in the profile on ``when.at``; reads only their content."""
    with uow_factory() as uow:
        s = _shown_in(uow, open_store(uow), cid, pid, when)
        _member(s, code, when)
        common = [] if code in s.shown.local else uow.items_at(cid, when.at, when.known_at, parent=code)
    out = [i for i in s.local().values() if i.parent == code]
    out += [_as_shown(s, i) for i in common if i.code in s.shown]
    return _sorted(out, s.classification)


def _one(found: ProfileRead, code: str, when: When) -> Item:
    for i in found.items:
        if i.code == code:
            return i
    p = found.profile
    listed = any(s.code == code for s in p.selections) or any(c.code == code for c in p.local_codes)
    why = "is not valid on that date" if listed or p.include_all else "is not in the profile"
    raise NotFound(
        f"{p.classification} profile {p.id}: {code} {why} ({when.at.isoformat()})",
        classification=p.classification,
        profile=p.id,
        code=code,
    )


def descendants(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, cid: str, pid: str, code: str, when: When
) -> list[Item]:
    found = read(uow_factory, open_store, cid, pid, when)
    _one(found, code, when)
    below: set[str] = {code}
    out: list[Item] = []
    changed = True
    while changed:
        changed = False
        for i in found.items:
            if i.parent in below and i.code not in below:
                below.add(i.code)
                out.append(i)
                changed = True
    return _sorted(out, found.classification)


@dataclass(frozen=True, slots=True)
class HistoryRecord:
    """A record of the code: from the common classification (``source="common"``) or the profile."""

    record: ItemRecord
    source: str


def history(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    pid: str,
    code: str,
    known_at: datetime | None = None,
) -> list[HistoryRecord]:
    """Every record of the code in the profile (selection, local title, local code) and upstream."""
    when = When.of(None, known_at)
    with uow_factory() as uow:
        store = open_store(uow)
        load(uow, store, cid, pid, when.known_at)
        entries = [e for e in store.profile_entry_records(cid, pid, code) if e.recorded_from <= when.known_at]
    out = [
        HistoryRecord(
            _entry_record(_entry_item(e.kind, e.data), pid, e.recorded_from, e.recorded_to),
            "profile",
        )
        for e in entries
    ]
    if not any(e.kind == "local" for e in entries):
        with contextlib.suppress(NotFound):
            out += [
                HistoryRecord(r, "common") for r in queries.history(uow_factory, cid, code, when.known_at)
            ]
    if not out:
        raise NotFound(
            f"{cid} profile {pid} has no code {code!r}", classification=cid, profile=pid, code=code
        )
    return sorted(out, key=lambda h: (h.record.recorded_from, h.source))


def _entry_item(kind: str, data: dict[str, object]) -> Item:
    titles = data.get("titles") or {}
    valid = Period(_day(data.get("valid_from")), _day(data.get("valid_to")))
    parent = data.get("parent")
    return Item(
        code=str(data["code"]),
        titles=dict(titles) if isinstance(titles, dict) else {},
        parent=str(parent) if parent else None,
        valid=valid,
        description=str(data["description"]) if data.get("description") else None,
        properties={
            ORIGIN: "local" if kind == "local" else "selected",
            **({"profile.subtree": "true"} if data.get("subtree") else {}),
        },
    )


def _day(value: object) -> date | None:
    return date.fromisoformat(str(value)) if value else None


def changes(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    pid: str,
    from_date: date,
    to_date: date,
    known_at: datetime | None = None,
) -> ChangeSet:
    """What a reader of the profile sees change between two valid dates."""
    if to_date < from_date:
        raise InvalidRequest(f"'to' ({to_date}) is before 'from' ({from_date})")
    when = When.of(None, known_at)
    with uow_factory() as uow:
        c = uow.classification(cid, when.known_at)
        stored = load(uow, open_store(uow), cid, pid, when.known_at)
        facts = uow.facts_known_at(cid, when.known_at)
    assert c is not None

    def on(day: date) -> list[Item]:
        return compose(
            stored.profile, [f.item for f in facts if f.period.contains(day)], day, c.canonical_uri
        )

    return profile_changes(on(from_date), on(to_date), changes_between(facts, from_date, to_date))


def _entry_record(item: Item, pid: str, recorded_from: datetime, recorded_to: datetime | None) -> ItemRecord:
    return ItemRecord(item, f"profile {pid}", recorded_from, recorded_to, item.valid)


def as_classification(c: Classification, p: Profile) -> Classification:
    """The profile presented as a classification of its own (for exports)."""
    pid = f"{c.id}-{p.id}"[:63].rstrip("-")
    return replace(
        c,
        id=pid,
        titles=dict(p.titles) or dict(c.titles),
        description=p.description or c.description,
        owner=p.owner,
        uri=p.uri(c.canonical_uri),
    )


def export(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    formats: FormatCatalog,
    cid: str,
    pid: str,
    format: str,
    when: When,
    options: dict[str, str] | None = None,
) -> Exported:
    if format not in formats.exporter_names():
        raise InvalidRequest(
            f"unknown export format {format!r}; choose one of: " + ", ".join(formats.exporter_names()),
            format=format,
        )
    found = read(uow_factory, open_store, cid, pid, when)
    levels = queries.levels(uow_factory, cid, when)
    with uow_factory() as uow:
        versions = tuple(v.release for v in uow.versions(cid, when.known_at))
    cls = as_classification(found.classification, found.profile)
    exporter = formats.exporter(format)
    content = exporter.write(ExportSet(cls, tuple(found.items), levels, versions, when.at), options or {})
    return Exported(content, exporter.media_type, f"{cls.id}-{when.at.isoformat()}.{exporter.extension}")
