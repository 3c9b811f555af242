"""Saving profiles (with optimistic concurrency), listing them, and what upstream changes touch."""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import date, datetime

from kodeks.domain.local.codec import profile_to_dict
from kodeks.domain.local.profile import Profile, profile_problems
from kodeks.domain.local.upstream import Affected, affected
from kodeks.domain.local.webhook import Target, TargetKind
from kodeks.errors import Conflict, InvalidRequest, NotFound, PreconditionRequired
from kodeks.services.clock import Clock, utcnow
from kodeks.services.local import webhooks
from kodeks.services.local.common import classification, latest_facts, latest_release_date, recorded_time
from kodeks.services.local.ports import LocalStore, LocalStoreOpener, StoredProfile
from kodeks.services.ports import UnitOfWork, UnitOfWorkFactory
from kodeks.services.queries import When

#: A recorded time after every registration: "as currently known", for writes.
CURRENT = datetime(9999, 12, 31)


def load(uow: UnitOfWork, store: LocalStore, cid: str, pid: str, known_at: datetime) -> StoredProfile:
    classification(uow, cid, known_at)
    found = store.profile(cid, pid, known_at)
    if found is None:
        raise NotFound(f"{cid} has no profile {pid!r}", classification=cid, profile=pid)
    return found


def get_profile(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    pid: str,
    known_at: datetime | None = None,
) -> StoredProfile:
    with uow_factory() as uow:
        return load(uow, open_store(uow), cid, pid, When.of(None, known_at).known_at)


def list_profiles(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    *,
    cid: str | None = None,
    owner: str | None = None,
    known_at: datetime | None = None,
) -> list[StoredProfile]:
    when = When.of(None, known_at)
    with uow_factory() as uow:
        if cid is not None:
            classification(uow, cid, when.known_at)
        return open_store(uow).profiles(when.known_at, classification_id=cid, owner=owner)


def save_profile(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    profile: Profile,
    *,
    expected_version: int | None,
    actor: str | None,
    clock: Clock = utcnow,
    create: bool = False,
) -> StoredProfile:
    """Create (``expected_version=None``; ``create``: only if it does not exist) or replace a profile.

    Replacing needs the version the caller read: none gives 428, another gives 409 with the current
    one. An identical definition records nothing. ``based_on`` defaults to the latest release date
    of the common classification.
    """
    cid, pid = profile.classification, profile.id
    with uow_factory() as uow:
        store = open_store(uow)
        classification(uow, cid, CURRENT)
        current = store.profile(cid, pid, CURRENT)
        if create and current is not None:
            raise Conflict(f"{cid} has a profile {pid!r} already (version {current.version})", profile=pid)
        _check_version(current, expected_version, cid, pid)
        if current is not None and current.profile.owner != profile.owner:
            raise InvalidRequest(
                f"profile {pid} is owned by {current.profile.owner}; the owner cannot change here"
            )
        if profile.based_on is None:
            based_on = latest_release_date(uow, cid, CURRENT) or utcnow().date()
            profile = replace(profile, based_on=based_on)
        problems = profile_problems(
            profile, latest_facts(uow, cid, CURRENT), store.reserved_ranges(cid, CURRENT)
        )
        if problems:
            shown = "; ".join(p.message for p in problems[:5])
            more = f" (and {len(problems) - 5} more)" if len(problems) > 5 else ""
            raise InvalidRequest(
                f"the profile has {len(problems)} problem(s): {shown}{more}",
                problems=[{"code": p.code, "problem": p.message} for p in problems[:100]],
            )
        if current is not None and profile_to_dict(current.profile) == profile_to_dict(profile):
            return current
        version = current.version + 1 if current else 1
        at = recorded_time(uow, store, clock)
        store.save_profile(profile, version, at, actor)
        webhooks.notify(
            store,
            [Target(TargetKind.PROFILE, f"{cid}/{pid}")],
            "profile.changed",
            {"classification": cid, "profile": pid, "version": version},
            at,
        )
        uow.commit()
    return StoredProfile(profile, version, at, actor)


def _check_version(current: StoredProfile | None, expected: int | None, cid: str, pid: str) -> None:
    if current is None:
        if expected is not None:
            raise NotFound(f"{cid} has no profile {pid!r} to replace", classification=cid, profile=pid)
        return
    if expected is None:
        raise PreconditionRequired(
            f"profile {pid} exists (version {current.version}); send If-Match with the "
            "version you read to replace it",
            current_version=current.version,
        )
    if expected != current.version:
        raise Conflict(
            f"profile {pid} is at version {current.version}, not {expected}: it changed since you read it",
            current_version=current.version,
            recorded_at=current.recorded_at.isoformat() + "Z",
            changed_by=current.actor,
        )


@dataclass(frozen=True, slots=True)
class AffectedReport:
    classification: str
    profile: str
    from_date: date
    to_date: date
    entries: tuple[Affected, ...]


def affected_entries(
    uow_factory: UnitOfWorkFactory,
    open_store: LocalStoreOpener,
    cid: str,
    pid: str,
    *,
    from_date: date | None = None,
    to_date: date | None = None,
    known_at: datetime | None = None,
) -> AffectedReport:
    """Entries touched by the common classification's changes since the profile was aligned.

    ``from_date`` defaults to the profile's ``based_on``; ``to_date`` to today or, if later, the
    release date of the newest version (a version published ahead of its date).
    """
    when = When.of(None, known_at)
    with uow_factory() as uow:
        stored = load(uow, open_store(uow), cid, pid, when.known_at)
        facts = uow.facts_known_at(cid, when.known_at)
        newest = latest_release_date(uow, cid, when.known_at)
    start = from_date or stored.profile.based_on or when.at
    end = to_date or max(when.at, newest or when.at)
    if end < start:
        raise InvalidRequest(f"'to' ({end}) is before 'from' ({start})")
    return AffectedReport(cid, pid, start, end, tuple(affected(stored.profile, facts, start, end)))
