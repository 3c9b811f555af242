"""Sortimenter: versions with optimistic concurrency, the codes in force on a date, validity checks."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, replace
from datetime import date, datetime

from kodeks.domain.classification import Classification
from kodeks.domain.group import nested
from kodeks.domain.local.sortiment import (
    EntryCheck,
    Sortiment,
    SortimentEntry,
    Status,
    check_entry,
    governing,
    sortiment_problems,
)
from kodeks.domain.local.webhook import Target, TargetKind
from kodeks.domain.succession import facts_by_code
from kodeks.domain.timeline import Fact
from kodeks.errors import Conflict, InvalidRequest, NotFound, PreconditionRequired
from kodeks.services import queries
from kodeks.services.clock import Clock, utcnow
from kodeks.services.local import webhooks
from kodeks.services.local.common import recorded_time
from kodeks.services.local.ports import LocalStore, LocalStoreOpener, StoredSortiment
from kodeks.services.ports import UnitOfWork, UnitOfWorkFactory
from kodeks.services.queries import When

CURRENT = datetime(9999, 12, 31)


def save(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    sortiment: Sortiment,
    *,
    expected_version: int | None,
    actor: str | None,
    clock: Clock = utcnow,
    create: bool = False,
) -> StoredSortiment:
    """Record a new version (the number is assigned: the newest + 1). All or nothing.

    A new sortiment is created with ``expected_version=None``; a new version of an existing one needs
    the version the caller read (none: 428, another: 409). Every entry must name a registered
    classification and one of its codes (expired codes are allowed and flagged by :func:`codes`).
    """
    with uow_factory() as uow:
        store = open_store(uow)
        versions = store.sortiment_versions(sortiment.id, CURRENT)
        newest = max(versions, key=lambda v: v.sortiment.version) if versions else None
        if create and newest is not None:
            raise Conflict(
                f"sortiment {sortiment.id!r} exists already (version {newest.sortiment.version})",
                sortiment=sortiment.id,
            )
        _check_version(newest, expected_version, sortiment.id)
        if newest is not None and newest.sortiment.owner != sortiment.owner:
            raise InvalidRequest(
                f"sortiment {sortiment.id} is owned by {newest.sortiment.owner}; the owner cannot change here"
            )
        sortiment = replace(sortiment, version=newest.sortiment.version + 1 if newest else 1)
        problems = sortiment_problems(sortiment) or _unknown_codes(uow, sortiment)
        if problems:
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            raise InvalidRequest(
                f"the sortiment has {len(problems)} problem(s): {'; '.join(problems[:5])}{more}",
                problems=problems[:100],
            )
        at = recorded_time(uow, store, clock)
        store.add_sortiment_version(sortiment, at, actor)
        webhooks.notify(
            store,
            [Target(TargetKind.SORTIMENT, sortiment.id)],
            "sortiment.changed",
            {
                "sortiment": sortiment.id,
                "version": sortiment.version,
                "valid_from": sortiment.valid_from.isoformat(),
            },
            at,
        )
        uow.commit()
    return StoredSortiment(sortiment, at, actor)


def from_group(
    uow_factory: UnitOfWorkFactory,
    cid: str,
    group: str,
    when: When,
    *,
    sortiment_id: str,
    owner: str,
    valid_from: date,
) -> Sortiment:
    """A sortiment (not recorded yet: pass it to :func:`save`) of the codes in a classification's group
    (``skos:Collection``) and the groups nested in it, on ``when.at``, titled like the group."""
    groups = queries.groups(uow_factory, cid, when)
    found = next((g for g in groups if g.code == group), None)
    if found is None:
        raise NotFound(f"no group {group!r} in {cid!r}", classification=cid, group=group)
    inside = nested(groups, group)
    members = [i for i in queries.items(uow_factory, cid, when) if inside & set(i.groups)]
    if not members:
        raise InvalidRequest(f"group {group!r} of {cid!r} has no member on {when.at.isoformat()}")
    entries = tuple(SortimentEntry(cid, i.code, rank) for rank, i in enumerate(members, start=1))
    return Sortiment(sortiment_id, owner, 0, valid_from, dict(found.titles), None, entries)


def _check_version(newest: StoredSortiment | None, expected: int | None, sid: str) -> None:
    if newest is None:
        if expected is not None:
            raise NotFound(f"no sortiment {sid!r} to add a version to", sortiment=sid)
        return
    current = newest.sortiment.version
    if expected is None:
        raise PreconditionRequired(
            f"sortiment {sid} exists (version {current}); send If-Match with the "
            "version you read to add a version",
            current_version=current,
        )
    if expected != current:
        raise Conflict(
            f"sortiment {sid} is at version {current}, not {expected}: it changed since you read it",
            current_version=current,
            changed_by=newest.actor,
        )


def _unknown_codes(uow: UnitOfWork, s: Sortiment) -> list[str]:
    wanted: dict[str, set[str]] = defaultdict(set)
    for e in s.entries:
        wanted[e.classification].add(e.code)
    problems: list[str] = []
    for cid, codes in sorted(wanted.items()):
        if uow.classification(cid, CURRENT) is None:
            problems.append(f"no classification {cid!r}")
            continue
        known = {f.code for f in uow.facts_known_at(cid, CURRENT, codes=sorted(codes))}
        problems += [f"{cid} has no code {code!r}" for code in sorted(codes - known)]
    return problems


def versions(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, sid: str, known_at: datetime | None = None
) -> list[StoredSortiment]:
    with uow_factory() as uow:
        found = open_store(uow).sortiment_versions(sid, When.of(None, known_at).known_at)
    if not found:
        raise NotFound(f"no sortiment {sid!r}", sortiment=sid)
    return found


def list_sortiments(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    *,
    owner: str | None = None,
    known_at: datetime | None = None,
) -> list[StoredSortiment]:
    with uow_factory() as uow:
        return open_store(uow).sortiments(When.of(None, known_at).known_at, owner=owner)


@dataclass(frozen=True, slots=True)
class SortimentCodes:
    """A version in force on ``at`` and each entry checked against its source classification."""

    stored: StoredSortiment
    at: date
    known_at: datetime
    checks: tuple[EntryCheck, ...]
    classifications: dict[str, Classification]

    @property
    def valid(self) -> list[EntryCheck]:
        return [c for c in self.checks if c.status is Status.VALID]

    @property
    def invalid(self) -> list[EntryCheck]:
        return [c for c in self.checks if c.status is not Status.VALID]


def codes(
    uow_factory: UnitOfWorkFactory, open_store: LocalStoreOpener, sid: str, when: When
) -> SortimentCodes:
    """The sortiment's entries on ``when.at``, each with its status (expired ones with successors)."""
    with uow_factory() as uow:
        store: LocalStore = open_store(uow)
        found = store.sortiment_versions(sid, when.known_at)
        if not found:
            raise NotFound(f"no sortiment {sid!r}", sortiment=sid)
        version = governing([f.sortiment for f in found], when.at)
        if version is None:
            first = min(f.sortiment.valid_from for f in found)
            raise NotFound(
                f"sortiment {sid} is in force from {first.isoformat()}, not on {when.at.isoformat()}",
                sortiment=sid,
            )
        stored = next(f for f in found if f.sortiment.version == version.version)
        checks, classes = _check_all(uow, version, when)
    return SortimentCodes(stored, when.at, when.known_at, tuple(checks), classes)


def _check_all(
    uow: UnitOfWork, s: Sortiment, when: When
) -> tuple[list[EntryCheck], dict[str, Classification]]:
    classes: dict[str, Classification] = {}
    facts: dict[str, dict[str, list[Fact]]] = {}
    for cid in sorted({e.classification for e in s.entries}):
        found = uow.classification(cid, when.known_at)
        if found is not None:
            classes[cid] = found
            codes_ = sorted({e.code for e in s.entries if e.classification == cid})
            facts[cid] = facts_by_code(uow.facts_known_at(cid, when.known_at, codes=codes_))
    checks: list[EntryCheck] = []
    for e in s.ordered():
        by_code = facts.get(e.classification)
        check = check_entry(e, by_code.get(e.code, []) if by_code is not None else None, when.at)
        if check.status is Status.EXPIRED:
            check = replace(check, successors=successors(uow, e.classification, e.code, when))
        checks.append(check)
    return checks, classes


def successors(uow: UnitOfWork, cid: str, code: str, when: When) -> tuple[str, ...]:
    """Codes valid on ``when.at`` that ``code``'s replacement chain leads to, fetching facts as needed."""
    return tuple(i.code for i in queries.successors_on(uow, cid, code, when))
