"""Requirement sets for a tender: pick published requirements, tailor them, read supplier answers.

A set is owned by an organisation (an editor on it saves the set; readers see it). Every entry names a
*published* version of a common requirement (no version: the newest published), so a tailored line
is always traceable to a frozen common text. Saving sends the revision read (``expected_revision``):
a stale one is a conflict, never a silent overwrite.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import replace
from typing import Any

from kodeks.domain.governance.changeset import State
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import organisation_resource
from kodeks.domain.governance.roles import Action
from kodeks.domain.requirements.answers import Answer, Comparison, compare
from kodeks.domain.requirements.codec import set_from_dict
from kodeks.domain.requirements.requirement import Requirement
from kodeks.domain.requirements.tender import Line, RequirementSet, lines
from kodeks.errors import Conflict, InvalidRequest, NotFound, PreconditionRequired
from kodeks.services.governance import audit
from kodeks.services.governance.authz import authorize
from kodeks.services.requirements.context import Requirements, rules
from kodeks.services.requirements.ports import Event, RequirementStore


def _resolve(store: RequirementStore, rset: RequirementSet) -> RequirementSet:
    entries = []
    problems: list[str] = []
    for e in rset.entries:
        versions = [v for v in store.versions(e.requirement_id) if v.state is State.PUBLISHED]
        if not versions:
            problems.append(f"no published requirement {e.requirement_id!r}")
            continue
        wanted = (
            versions[-1] if e.version == 0 else next((v for v in versions if v.version == e.version), None)
        )
        if wanted is None:
            problems.append(f"requirement {e.requirement_id} has no published version {e.version}")
            continue
        entries.append(replace(e, version=wanted.version))
    if problems:
        raise InvalidRequest(
            f"the set names {len(problems)} unknown requirement(s): {'; '.join(problems[:5])}",
            problems=problems[:50],
        )
    return replace(rset, entries=tuple(entries))


def save(
    ctx: Requirements, actor: Actor, data: Any, *, expected_revision: int | None, create: bool = False
) -> RequirementSet:
    """Create a set (``expected_revision`` None) or save its next revision."""
    if not isinstance(data, dict):
        raise InvalidRequest("a requirement set is a JSON object")
    owner = data.get("owner") or actor.organisation
    if not isinstance(owner, str) or not owner:
        raise InvalidRequest("name the owner organisation ('owner')")
    with rules():
        rset = set_from_dict(data, owner=owner)
    with ctx.gov.uow(write=True) as uow:
        uow.lock(f"requirement-set:{rset.id}")  # writers of one set take turns, then compare revisions
        store = ctx.store(uow)
        old = store.requirement_set(rset.id)
        authorize(actor, Action.DRAFT, organisation_resource(old.owner if old else rset.owner))
        if old is None:
            if expected_revision is not None:
                raise NotFound(f"no requirement set {rset.id!r}", requirement_set=rset.id)
            rset = replace(rset, revision=1)
        else:
            if create:
                raise Conflict(f"requirement set {rset.id} exists already", requirement_set=rset.id)
            if expected_revision is None:
                raise PreconditionRequired(
                    f"requirement set {rset.id} exists (revision {old.revision}); send the revision you read",
                    current_revision=old.revision,
                )
            if expected_revision != old.revision:
                raise Conflict(
                    f"requirement set {rset.id} is at revision {old.revision}, not {expected_revision}",
                    current_revision=old.revision,
                )
            if old.owner != rset.owner:
                raise InvalidRequest(
                    f"requirement set {rset.id} is owned by {old.owner}; the owner cannot change"
                )
            rset = replace(rset, revision=old.revision + 1)
        rset = _resolve(store, rset)
        at = ctx.gov.now()
        store.save_set(rset, at, actor.name)
        store.add_event(Event("set", rset.id, rset.revision, "save", actor.name, actor.organisation, at))
        audit.record(uow, at, actor, "requirement_set.save", requirement_set=rset.id, revision=rset.revision)
        uow.commit()
    return rset


def get(ctx: Requirements, set_id: str) -> tuple[RequirementSet, list[Line]]:
    """The set and its lines (common requirement + tailoring), in category order."""
    with ctx.gov.uow() as uow:
        store = ctx.store(uow)
        rset = store.requirement_set(set_id)
        if rset is None:
            raise NotFound(f"no requirement set {set_id!r}", requirement_set=set_id)
        found: dict[tuple[str, int], Requirement] = {}
        for e in rset.entries:
            req = store.requirement(e.requirement_id, e.version)
            if req is not None:
                found[(e.requirement_id, e.version)] = req
    missing = [e.requirement_id for e in rset.entries if (e.requirement_id, e.version) not in found]
    if missing:  # cannot happen through the services: published versions are never removed
        raise Conflict(f"requirement set {set_id} names requirements that are gone: {', '.join(missing[:5])}")
    return rset, lines(rset, found)


def listing(ctx: Requirements) -> list[RequirementSet]:
    with ctx.gov.uow() as uow:
        return ctx.store(uow).requirement_sets()


def import_answers(
    ctx: Requirements, actor: Actor, set_id: str, supplier: str, answers: Sequence[Answer]
) -> int:
    """Replace what ``supplier`` answered to the set (all or nothing); returns the number of answers.

    Every answer must name a requirement of the set; the supplier's earlier answers are replaced."""
    rset, _ = get(ctx, set_id)
    authorize(actor, Action.DRAFT, organisation_resource(rset.owner))
    in_set = {e.requirement_id for e in rset.entries}
    stray = sorted({a.requirement_id for a in answers} - in_set)
    if stray:
        raise InvalidRequest(
            f"answers to requirements not in set {set_id}: {', '.join(s[:64] for s in stray[:5])}"
        )
    if any(a.supplier != supplier for a in answers):
        raise InvalidRequest("every answer must be the named supplier's")
    ids = [a.requirement_id for a in answers]
    if len(set(ids)) != len(ids):
        raise InvalidRequest("a requirement is answered twice")
    with ctx.gov.uow(write=True) as uow:
        uow.lock(f"requirement-set:{set_id}")
        store = ctx.store(uow)
        at = ctx.gov.now()
        store.replace_answers(set_id, supplier, answers, at, actor.name)
        store.add_event(
            Event("set", set_id, rset.revision, "answers", actor.name, actor.organisation, at, supplier)
        )
        audit.record(
            uow,
            at,
            actor,
            "requirement_set.answers",
            requirement_set=set_id,
            supplier=supplier,
            answers=len(answers),
        )
        uow.commit()
    return len(answers)


def comparison(ctx: Requirements, actor: Actor, set_id: str) -> Comparison:
    """The suppliers' answers side by side (answers are the owner's business: needs a role on it)."""
    rset, found = get(ctx, set_id)
    authorize(actor, Action.READ, organisation_resource(rset.owner))
    with ctx.gov.uow() as uow:
        answers = ctx.store(uow).answers(set_id)
    return compare(found, answers)
