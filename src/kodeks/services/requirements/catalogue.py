"""The requirement catalogue: write, review and publish common requirements; list, read, trail.

Requirements are governed through their owner organisation (``kodeks.services.governance``): an
editor on the organisation drafts and submits, a reviewer approves, rejects and publishes, and the
author of a version may not approve or publish it (four eyes). Every write is recorded in the
requirement trail and in the governance audit. Published versions are public; drafts are read by
those with a role on the owner.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import replace
from datetime import datetime
from typing import Any

from kodeks.domain.governance.changeset import State
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import organisation_resource
from kodeks.domain.governance.roles import Action
from kodeks.domain.requirements import workflow
from kodeks.domain.requirements.codec import requirement_from_dict
from kodeks.domain.requirements.requirement import RefKind, Requirement
from kodeks.errors import Conflict, InvalidRequest, NotFound
from kodeks.services.governance import audit
from kodeks.services.governance.authz import CURRENT, authorize, may
from kodeks.services.governance.ports import GovernanceUnitOfWork
from kodeks.services.requirements.context import Requirements, rules
from kodeks.services.requirements.ports import Event, RequirementStore

ACTIONS = {
    "submit": Action.SUBMIT,
    "approve": Action.REVIEW,
    "reject": Action.REVIEW,
    "publish": Action.PUBLISH,
}


def _owner_of(actor: Actor, data: dict[str, Any]) -> str:
    owner = data.get("owner") or actor.organisation
    if not isinstance(owner, str) or not owner:
        raise InvalidRequest("name the owner organisation ('owner')")
    return owner


def _record(
    uow: GovernanceUnitOfWork,
    store: RequirementStore,
    at: datetime,
    actor: Actor,
    action: str,
    req: Requirement,
    note: str | None = None,
) -> None:
    store.add_event(
        Event("requirement", req.id, req.version, action, actor.name, actor.organisation, at, note)
    )
    audit.record(uow, at, actor, f"requirement.{action}", note=note, requirement=req.id, version=req.version)


def check_references(ctx: Requirements, uow: GovernanceUnitOfWork, req: Requirement) -> list[str]:
    """What the requirement names that the registry or catalog does not hold."""
    problems: list[str] = []
    if req.principles:
        if uow.classification(ctx.principles, CURRENT) is None:
            problems.append(f"the principles classification {ctx.principles!r} is not imported")
        else:
            known = {f.code for f in uow.facts_known_at(ctx.principles, CURRENT, codes=list(req.principles))}
            problems += [
                f"{ctx.principles} has no principle or rule {c!r}" for c in req.principles if c not in known
            ]
    catalog = None
    for ref in req.references:
        if ref.kind is RefKind.CLASSIFICATION:
            cid, code = ref.classification
            if uow.classification(cid, CURRENT) is None:
                problems.append(f"no classification {cid!r}")
            elif code and not uow.facts_known_at(cid, CURRENT, codes=[code]):
                problems.append(f"{cid} has no code {code!r}")
        elif ref.kind is RefKind.CATALOG:
            catalog = catalog or ctx.catalog(uow)
            if catalog.get(ref.target) is None:
                problems.append(f"no catalog entry {ref.target!r}")
    return problems


def _validate(ctx: Requirements, uow: GovernanceUnitOfWork, req: Requirement) -> None:
    problems = check_references(ctx, uow, req)
    if problems:
        raise InvalidRequest(
            f"the requirement refers to what Kodeks does not hold: {'; '.join(problems[:5])}",
            problems=problems[:50],
        )


def _parse(data: Any, owner: str) -> Requirement:
    with rules():
        return requirement_from_dict(data, owner=owner)


def create(ctx: Requirements, actor: Actor, data: Any) -> Requirement:
    """A new requirement's first version, as a draft written by ``actor``."""
    if not isinstance(data, dict):
        raise InvalidRequest("a requirement is a JSON object")
    req = replace(_parse(data, _owner_of(actor, data)), author=actor.name)
    authorize(actor, Action.DRAFT, organisation_resource(req.owner))
    with ctx.gov.uow(write=True) as uow:
        store = ctx.store(uow)
        if store.versions(req.id):
            raise Conflict(
                f"requirement {req.id} exists already; start a new version of it", requirement=req.id
            )
        _validate(ctx, uow, req)
        at = ctx.gov.now()
        store.add_version(req, at)
        _record(uow, store, at, actor, "create", req)
        uow.commit()
    return req


def revise(ctx: Requirements, actor: Actor, requirement_id: str, data: Any) -> Requirement:
    """Change the current draft, or start the next version's draft after a published or rejected one."""
    if not isinstance(data, dict):
        raise InvalidRequest("a requirement is a JSON object")
    with ctx.gov.uow(write=True) as uow:
        uow.lock(f"requirement:{requirement_id}")  # writers of one requirement take turns
        store = ctx.store(uow)
        versions = store.versions(requirement_id)
        if not versions:
            raise NotFound(f"no requirement {requirement_id!r}", requirement=requirement_id)
        newest = versions[-1]
        authorize(actor, Action.DRAFT, organisation_resource(newest.owner))
        fields = {**data, "id": requirement_id}
        if newest.state is State.DRAFT:
            req = replace(_parse(fields, newest.owner), version=newest.version, author=newest.author)
            action = "edit"
        elif newest.frozen:
            req = replace(_parse(fields, newest.owner), version=newest.version + 1, author=actor.name)
            action = "new_version"
        else:
            raise Conflict(
                f"version {newest.version} of {requirement_id} is {newest.state}: "
                "reject it or publish it first",
                requirement=requirement_id,
            )
        _validate(ctx, uow, req)
        at = ctx.gov.now()
        (store.save_version if action == "edit" else store.add_version)(req, at)
        _record(uow, store, at, actor, action, req)
        uow.commit()
    return req


def transition(
    ctx: Requirements, actor: Actor, requirement_id: str, action: str, note: str = ""
) -> Requirement:
    """``submit``, ``approve``, ``reject`` or ``publish`` the newest version."""
    if action not in ACTIONS:
        raise InvalidRequest(f"unknown step {action[:40]!r}; one of {', '.join(ACTIONS)}")
    if len(note) > 2000:
        raise InvalidRequest("a note must be at most 2,000 characters")
    with ctx.gov.uow(write=True) as uow:
        uow.lock(f"requirement:{requirement_id}")
        store = ctx.store(uow)
        versions = store.versions(requirement_id)
        if not versions:
            raise NotFound(f"no requirement {requirement_id!r}", requirement=requirement_id)
        newest = versions[-1]
        authorize(actor, ACTIONS[action], organisation_resource(newest.owner))
        with rules():
            moved = workflow.step(newest, action, actor.name, note=note, four_eyes=not actor.admin)
        if action == "publish":
            _validate(ctx, uow, moved)
        at = ctx.gov.now()
        store.save_version(moved, at)
        _record(uow, store, at, actor, action, moved, note or None)
        uow.commit()
    return moved


def _may_read_drafts(actor: Actor, owner: str) -> bool:
    return may(actor, Action.READ, organisation_resource(owner))


def get(ctx: Requirements, actor: Actor, requirement_id: str, version: int | None = None) -> Requirement:
    """A version (default: the newest the actor may read: drafts only for those with a role on the owner)."""
    with ctx.gov.uow() as uow:
        versions = ctx.store(uow).versions(requirement_id)
    readable = [v for v in versions if v.state is State.PUBLISHED or _may_read_drafts(actor, v.owner)]
    if version is not None:
        readable = [v for v in readable if v.version == version]
    if not readable:
        what = f" version {version}" if version is not None else ""
        raise NotFound(f"no requirement {requirement_id!r}{what}", requirement=requirement_id)
    return readable[-1]


def versions(ctx: Requirements, actor: Actor, requirement_id: str) -> list[Requirement]:
    with ctx.gov.uow() as uow:
        found = ctx.store(uow).versions(requirement_id)
    return [v for v in found if v.state is State.PUBLISHED or _may_read_drafts(actor, v.owner)]


def matches(req: Requirement, words: Sequence[str]) -> bool:
    """Whether every word occurs in the requirement's id, title, text, rationale, category or use cases."""
    hay = " ".join((req.id, req.title, req.text, req.rationale, req.category, *req.use_cases)).casefold()
    return all(w in hay for w in words)


def listing(
    ctx: Requirements,
    actor: Actor,
    *,
    q: str | None = None,
    principle: str | None = None,
    category: str | None = None,
    drafts: bool = False,
) -> list[Requirement]:
    """The newest published version of every requirement (with ``drafts``: the newest version the actor
    may read), filtered by words, a principle (``2`` also finds its rules ``2.1``) or a category."""
    if q is not None and len(q) > 500:
        raise InvalidRequest("a query must be at most 500 characters")
    with ctx.gov.uow() as uow:
        store = ctx.store(uow)
        found = store.latest(published_only=False) if drafts else store.latest(published_only=True)
    if drafts:  # a version the actor may not read gives way to the newest published one
        published = {r.id: r for r in _published(ctx)}
        readable: list[Requirement] = []
        for r in found:
            shown = (
                r if r.state is State.PUBLISHED or _may_read_drafts(actor, r.owner) else published.get(r.id)
            )
            if shown is not None:
                readable.append(shown)
        found = readable
    words = [w for w in (q or "").casefold().split() if w]
    return [
        r
        for r in found
        if matches(r, words)
        and (principle is None or any(p == principle or p.startswith(principle + ".") for p in r.principles))
        and (category is None or r.category == category)
    ]


def _published(ctx: Requirements) -> list[Requirement]:
    with ctx.gov.uow() as uow:
        return ctx.store(uow).latest(published_only=True)


def trail(ctx: Requirements, actor: Actor, requirement_id: str) -> list[Event]:
    """Who did what to a requirement (it names people: needs a role on the owner)."""
    with ctx.gov.uow() as uow:
        store = ctx.store(uow)
        found = store.versions(requirement_id)
        if not found:
            raise NotFound(f"no requirement {requirement_id!r}", requirement=requirement_id)
        authorize(actor, Action.READ_AUDIT, organisation_resource(found[-1].owner))
        return store.events("requirement", requirement_id)


def import_published(
    ctx: Requirements, actor: Actor, rows: Iterable[Any], *, owner: str
) -> list[Requirement]:
    """Import requirements and publish them at once: the local administrator's seeding path (the bundled
    SKI-style set, a catalogue moved from another tool). All or nothing; a requirement that exists
    with the same content is skipped, one with other content gets a new published version."""
    if not actor.admin:
        raise InvalidRequest("only an administrator imports requirements as published (others write drafts)")
    parsed = [_parse(r, owner) for r in rows]
    ids = [r.id for r in parsed]
    if len(set(ids)) != len(ids):
        raise InvalidRequest("a requirement id occurs twice in the import")
    written: list[Requirement] = []
    with ctx.gov.uow(write=True) as uow:
        store = ctx.store(uow)
        at = ctx.gov.now()
        for req in parsed:
            _validate(ctx, uow, req)
            old = store.versions(req.id)
            if old and not old[-1].frozen:
                raise Conflict(
                    f"requirement {req.id} has a version under review; import refused", requirement=req.id
                )
            if old and _same(old[-1], req):
                continue
            new = replace(
                req, version=old[-1].version + 1 if old else 1, state=State.PUBLISHED, author=actor.name
            )
            store.add_version(new, at)
            _record(uow, store, at, actor, "import", new)
            written.append(new)
        uow.commit()
    return written


def _same(a: Requirement, b: Requirement) -> bool:
    return replace(a, version=1, state=State.DRAFT, author=None) == replace(
        b, version=1, state=State.DRAFT, author=None
    )
