"""Reads. Every read takes ``at`` (valid date, default today) and ``known_at`` (recorded time,
default now): "what did KLE say on 2019-03-01, as we knew it then" is ``at=2019-03-01,
known_at=2019-03-01T00:00``."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from kodeks.domain.changes import ChangeSet, changes_between
from kodeks.domain.classification import Classification
from kodeks.domain.codes import sort_key
from kodeks.domain.group import Group
from kodeks.domain.item import Item
from kodeks.domain.period import Period
from kodeks.domain.release import Level
from kodeks.domain.successors import DEFAULT_THRESHOLD, Proposal, propose
from kodeks.domain.timeline import Fact, lifespans
from kodeks.errors import InvalidRequest, NotFound
from kodeks.services.clock import as_recorded, utcnow
from kodeks.services.ports import ItemRecord, RecordedVersion, UnitOfWork, UnitOfWorkFactory


@dataclass(frozen=True, slots=True)
class When:
    """The two times of a read."""

    at: date
    known_at: datetime

    @classmethod
    def of(cls, at: date | None = None, known_at: datetime | None = None) -> When:
        now = utcnow()
        return cls(at or now.date(), as_recorded(known_at) if known_at else now)


@dataclass(frozen=True, slots=True)
class Version:
    """A recorded release with the valid period it governs as a version: ``[release_date, next)``."""

    label: str
    release_date: date
    valid: Period
    kind: str
    source: str | None
    format: str | None
    item_count: int
    recorded_at: datetime
    levels: tuple[Level, ...]


@dataclass(frozen=True, slots=True)
class ItemView:
    """An item as read on a date, with the context a reader needs."""

    item: Item
    classification: str
    at: date
    children: int
    successors_now: tuple[str, ...]


def _classification(uow: UnitOfWork, cid: str, when: When) -> Classification:
    found = uow.classification(cid, when.known_at)
    if found is None:
        raise NotFound(
            f"no classification {cid!r}", classification=cid, known_at=when.known_at.isoformat() + "Z"
        )
    return found


def _sorted(items: list[Item], classification: Classification) -> list[Item]:
    key = sort_key(classification.code_order)
    return sorted(items, key=lambda i: (key(i.code), i.valid.start or date.min))


def list_classifications(
    uow_factory: UnitOfWorkFactory, known_at: datetime | None = None
) -> list[Classification]:
    with uow_factory() as uow:
        return uow.classifications(When.of(None, known_at).known_at)


def get_classification(
    uow_factory: UnitOfWorkFactory, cid: str, known_at: datetime | None = None
) -> Classification:
    with uow_factory() as uow:
        return _classification(uow, cid, When.of(None, known_at))


def versions(uow_factory: UnitOfWorkFactory, cid: str, known_at: datetime | None = None) -> list[Version]:
    when = When.of(None, known_at)
    with uow_factory() as uow:
        _classification(uow, cid, when)
        recorded = uow.versions(cid, when.known_at)
    return _as_versions(recorded)


def _as_versions(recorded: list[RecordedVersion]) -> list[Version]:
    out: list[Version] = []
    days = sorted({r.release.release_date for r in recorded})
    for r in recorded:
        later = [d for d in days if d > r.release.release_date]
        out.append(
            Version(
                r.release.label,
                r.release.release_date,
                Period(r.release.release_date, later[0] if later else None),
                str(r.release.kind),
                r.release.source,
                r.release.format,
                r.item_count,
                r.recorded_at,
                r.levels,
            )
        )
    return out


def levels(uow_factory: UnitOfWorkFactory, cid: str, when: When) -> tuple[Level, ...]:
    """Levels of the version in force on ``when.at`` (else of the latest version)."""
    with uow_factory() as uow:
        recorded = uow.versions(cid, when.known_at)
    current = [v for v in _as_versions(recorded) if v.valid.contains(when.at)]
    chosen = current[-1] if current else (_as_versions(recorded)[-1] if recorded else None)
    return chosen.levels if chosen else ()


def groups(uow_factory: UnitOfWorkFactory, cid: str, when: When) -> tuple[Group, ...]:
    """Groups (``skos:Collection``) of the version in force on ``when.at`` (else of the latest)."""
    with uow_factory() as uow:
        recorded = uow.versions(cid, when.known_at)
    if not recorded:
        return ()
    days = [r.release.release_date for r in recorded]
    in_force = [r for r, day in zip(recorded, days, strict=True) if day <= when.at]
    chosen = max(in_force or recorded, key=lambda r: (r.release.release_date, r.sequence))
    return chosen.release.groups


def items(uow_factory: UnitOfWorkFactory, cid: str, when: When, level: int | None = None) -> list[Item]:
    with uow_factory() as uow:
        classification = _classification(uow, cid, when)
        found = uow.items_at(cid, when.at, when.known_at, level=level)
    return _sorted(found, classification)


def item(uow_factory: UnitOfWorkFactory, cid: str, code: str, when: When) -> ItemView:
    """The item ``code`` valid on ``when.at``; ``NotFound`` tells when it was valid, if ever."""
    with uow_factory() as uow:
        _classification(uow, cid, when)
        found = uow.items_at(cid, when.at, when.known_at, code=code)
        if not found:
            raise _not_valid(uow, cid, code, when)
        children = uow.items_at(cid, when.at, when.known_at, parent=code)
        now = When.of()
        successors = _successors_now(uow, cid, found[0], now)
    return ItemView(found[0], cid, when.at, len(children), successors)


def _successors_now(uow: UnitOfWork, cid: str, found: Item, now: When) -> tuple[str, ...]:
    """Codes valid today that the item's replacement chain leads to (empty if it is still valid)."""
    if found.valid.end is None or found.valid.contains(now.at):
        return ()
    return tuple(i.code for i in successors_on(uow, cid, found.code, now))


def successors_on(uow: UnitOfWork, cid: str, code: str, when: When) -> list[Item]:
    """The items valid on ``when.at`` that ``code``'s replacement links lead to (chains followed):
    from the last fact of each code before that date, as known at ``when.known_at``."""
    out: list[Item] = []
    seen = {code}
    frontier = list(_last_before(uow.facts_known_at(cid, when.known_at, codes=[code]), when.at))
    while frontier and len(seen) < 100:
        nxt = frontier.pop(0)
        if nxt in seen:
            continue
        seen.add(nxt)
        valid = uow.items_at(cid, when.at, when.known_at, code=nxt)
        if valid:
            out.append(valid[0])
        else:
            frontier.extend(_last_before(uow.facts_known_at(cid, when.known_at, codes=[nxt]), when.at))
    return out


def _last_before(facts: list[Fact], day: date) -> tuple[str, ...]:
    """The successors named by the last fact that started before ``day``."""
    earlier = [f for f in facts if f.period.start is None or f.period.start < day]
    if not earlier:
        return ()
    return max(
        earlier, key=lambda f: (f.period.start is not None, f.period.start or date.min)
    ).item.replaced_by


def _not_valid(uow: UnitOfWork, cid: str, code: str, when: When) -> NotFound:
    facts = uow.facts_known_at(cid, when.known_at, codes=[code])
    if not facts:
        return NotFound(
            f"{cid} has no code {code!r}",
            classification=cid,
            code=code,
            known_at=when.known_at.isoformat() + "Z",
        )
    spans = lifespans(facts)
    said = ", ".join(str(p) for p in spans)
    ended = [p for p in spans if p.end is not None and p.end <= when.at]
    tense = "was" if ended and len(ended) == len(spans) else "is"
    message = f"{cid} {code} is not valid on {when.at.isoformat()}; it {tense} valid {said}"
    successors = successors_on(uow, cid, code, when) if ended else []
    if successors:
        message += "; replaced by " + ", ".join(f"{s.code} ({s.title()})" for s in successors)
    return NotFound(
        message,
        classification=cid,
        code=code,
        at=when.at.isoformat(),
        valid=[str(p) for p in spans],
        successors=[{"code": s.code, "title": s.title()} for s in successors],
    )


def children(uow_factory: UnitOfWorkFactory, cid: str, code: str, when: When) -> list[Item]:
    with uow_factory() as uow:
        classification = _classification(uow, cid, when)
        if not uow.items_at(cid, when.at, when.known_at, code=code):
            raise _not_valid(uow, cid, code, when)
        found = uow.items_at(cid, when.at, when.known_at, parent=code)
    return _sorted(found, classification)


def descendants(uow_factory: UnitOfWorkFactory, cid: str, code: str, when: When) -> list[Item]:
    with uow_factory() as uow:
        classification = _classification(uow, cid, when)
        if not uow.items_at(cid, when.at, when.known_at, code=code):
            raise _not_valid(uow, cid, code, when)
        everything = uow.items_at(cid, when.at, when.known_at)
    by_parent: dict[str | None, list[Item]] = {}
    for it in everything:
        for parent in it.parents or (None,):  # a child of several parents descends from each
            by_parent.setdefault(parent, []).append(it)
    out: list[Item] = []
    frontier = [code]
    seen = {code}
    while frontier:
        for child in by_parent.get(frontier.pop(), []):
            if child.code not in seen:
                seen.add(child.code)
                out.append(child)
                frontier.append(child.code)
    return _sorted(out, classification)


def history(
    uow_factory: UnitOfWorkFactory, cid: str, code: str, known_at: datetime | None = None
) -> list[ItemRecord]:
    """Every record of a code: each valid period, and when Kodeks held it (superseded ones too).

    As known at ``known_at``: records made later are left out, and a record superseded later is
    shown as still current, exactly as a read at that instant showed it.
    """
    when = When.of(None, known_at)
    with uow_factory() as uow:
        _classification(uow, cid, when)
        records = [
            r if r.recorded_to is None or r.recorded_to <= when.known_at else replace(r, recorded_to=None)
            for r in uow.item_records(cid, code)
            if r.recorded_from <= when.known_at
        ]
    if not records:
        raise NotFound(f"{cid} has no code {code!r}", classification=cid, code=code)
    return records


def changes(
    uow_factory: UnitOfWorkFactory, cid: str, from_date: date, to_date: date, known_at: datetime | None = None
) -> ChangeSet:
    if to_date < from_date:
        raise InvalidRequest(f"'to' ({to_date}) is before 'from' ({from_date})")
    when = When.of(None, known_at)
    with uow_factory() as uow:
        _classification(uow, cid, when)
        facts = uow.facts_known_at(cid, when.known_at)
    return changes_between(facts, from_date, to_date)


def proposed_moves(
    uow_factory: UnitOfWorkFactory,
    cid: str,
    from_date: date,
    to_date: date,
    known_at: datetime | None = None,
    threshold: float = DEFAULT_THRESHOLD,
) -> list[Proposal]:
    """Successor links the data suggests for codes that expired without one between the two dates
    (``domain.successors``): proposals for an editor to accept through a change set."""
    found = changes(uow_factory, cid, from_date, to_date, known_at)
    return propose(found.expired, found.added, threshold=threshold)
