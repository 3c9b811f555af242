"""Change sets: open a draft, change its header, submit it, approve or reject it.

Every step takes the change set's tag (``If-Match``) so a reviewer approves exactly the revision they
read. Publishing is in ``publishing.py``.
"""

from __future__ import annotations

from dataclasses import replace
from datetime import date
from typing import Any

from kodeks.domain.governance import changeset as workflow
from kodeks.domain.governance import edits
from kodeks.domain.governance.changeset import ChangeSet, Entry, EntryOp, State
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import CodePath
from kodeks.domain.governance.roles import Action, ResourceKind
from kodeks.domain.item import Item
from kodeks.domain.release import Level
from kodeks.errors import Conflict, InvalidContent, InvalidRequest
from kodeks.services.governance import audit
from kodeks.services.governance.authz import CURRENT, authorize, classification_resource, policy_for
from kodeks.services.governance.classifications import current_etag
from kodeks.services.governance.concurrency import require_match
from kodeks.services.governance.context import Governance
from kodeks.services.governance.drafts import DraftView, cs_etag, load, rules
from kodeks.services.governance.ports import GovernanceUnitOfWork

HEADER_FIELDS = frozenset({"title", "label", "effective", "levels", "metadata"})


def open_change_set(
    gov: Governance,
    actor: Actor,
    classification_id: str,
    *,
    title: str,
    label: str,
    effective: date,
    levels: tuple[Level, ...] | None = None,
    metadata: dict[str, Any] | None = None,
) -> ChangeSet:
    """A new draft for ``classification_id``: its edits will take effect on ``effective``."""
    with gov.uow(write=True) as uow:
        whole = levels is not None or metadata is not None
        authorize(
            actor,
            Action.DRAFT,
            classification_resource(
                uow, classification_id, public_copyrighted=gov.public_copyrighted, whole=whole
            ),
        )
        now = gov.now()
        with rules():
            edits.check_not_frozen(effective, uow.governance.latest_release_date(classification_id))
            try:
                cs = ChangeSet(
                    classification_id,
                    title,
                    actor.name,
                    label,
                    effective,
                    current_etag(uow, classification_id),
                    now,
                    levels=levels,
                    metadata=metadata,
                )
            except ValueError as exc:
                raise InvalidRequest(str(exc)) from None
        cs_id = uow.governance.add_change_set(cs)
        cs = replace(cs, id=cs_id, contributors=frozenset({actor.name}))
        uow.governance.add_contributor(cs_id, actor.name, now)
        audit.record(
            uow,
            now,
            actor,
            "changeset.open",
            classification_id=classification_id,
            change_set_id=cs.id,
            title=title,
            label=label,
            effective=effective.isoformat(),
        )
        uow.commit()
    return cs


def _readable(gov: Governance, uow: GovernanceUnitOfWork, actor: Actor, classification_id: str) -> None:
    """Drafts are work in progress: reading them needs a role on the classification."""
    authorize(
        actor,
        Action.READ_AUDIT,
        classification_resource(uow, classification_id, public_copyrighted=gov.public_copyrighted),
    )


def get(gov: Governance, actor: Actor, cs_id: int) -> tuple[ChangeSet, list[Entry]]:
    with gov.uow() as uow:
        cs = load(uow, cs_id)
        _readable(gov, uow, actor, cs.classification_id)
        return cs, [e for e in uow.governance.entries(cs_id) if e.op is not EntryOp.DROP]


def list_for(
    gov: Governance, actor: Actor, classification_id: str, state: State | None = None
) -> list[ChangeSet]:
    with gov.uow() as uow:
        _readable(gov, uow, actor, classification_id)
        return uow.governance.change_sets(classification_id, state)


def update(
    gov: Governance, actor: Actor, cs_id: int, if_match: str | None, changes: dict[str, Any]
) -> ChangeSet:
    """Change a draft's title, version label, effective date, levels or classification metadata."""
    unknown = set(changes) - HEADER_FIELDS
    if unknown:
        raise InvalidRequest(f"unknown change set fields: {', '.join(sorted(unknown))}")
    with gov.uow(write=True) as uow:
        cs = load(uow, cs_id)
        authorize(
            actor,
            Action.DRAFT,
            classification_resource(
                uow,
                cs.classification_id,
                public_copyrighted=gov.public_copyrighted,
                whole=whole_classification(cs) or bool({"levels", "metadata"} & set(changes)),
            ),
        )
        cs = load(uow, cs_id, for_update=True)
        require_match(if_match, cs_etag(cs), f"change set {cs_id}", state=str(cs.state))
        if not cs.editable:
            raise Conflict(f"change set {cs_id} is {cs.state}; only a draft can be changed")
        now = gov.now()
        with rules():
            if "effective" in changes:
                latest = uow.governance.latest_release_date(cs.classification_id)
                edits.check_not_frozen(changes["effective"], latest)
            try:
                new = replace(cs.touched(now), **changes)
            except (ValueError, TypeError) as exc:
                raise InvalidRequest(str(exc)) from None
        uow.governance.save_change_set(new)
        uow.governance.add_contributor(cs_id, actor.name, now)
        new = replace(new, contributors=new.contributors | {actor.name})
        audit.record(
            uow,
            now,
            actor,
            "changeset.update",
            classification_id=cs.classification_id,
            change_set_id=cs_id,
            fields=sorted(changes),
        )
        uow.commit()
    return new


def _step(
    gov: Governance,
    actor: Actor,
    cs_id: int,
    if_match: str | None,
    action: Action,
    verb: str,
    move: Any,
    note: str | None = None,
) -> ChangeSet:
    with gov.uow(write=True) as uow:
        cs = load(uow, cs_id)
        cid = cs.classification_id
        authorize(actor, action, classification_resource(uow, cid, public_copyrighted=gov.public_copyrighted))
        cs = load(uow, cs_id, for_update=True)
        require_match(if_match, cs_etag(cs), f"change set {cs_id}", state=str(cs.state))
        draft = DraftView(uow, cs)
        entries = [e for e in uow.governance.entries(cs_id) if e.op is not EntryOp.DROP]
        authorize(
            actor,
            action,
            classification_resource(
                uow,
                cid,
                public_copyrighted=gov.public_copyrighted,
                codes=code_paths(draft, entries),
                whole=whole_classification(cs),
            ),
        )
        four_eyes = policy_for(uow, ResourceKind.CLASSIFICATION, cid).four_eyes
        now = gov.now()
        with rules():
            new: ChangeSet = move(cs, now, four_eyes)
        if action is Action.SUBMIT:
            if not entries and cs.levels is None and cs.metadata is None:
                raise InvalidRequest(f"change set {cs_id} is empty; add items before submitting it")
            check(uow, draft, entries)
        uow.governance.save_change_set(new)
        audit.record(
            uow,
            now,
            actor,
            f"changeset.{verb}",
            classification_id=cid,
            change_set_id=cs_id,
            note=note,
            state=str(new.state),
            revision=new.revision,
        )
        uow.commit()
    return new


def submit(gov: Governance, actor: Actor, cs_id: int, if_match: str | None) -> ChangeSet:
    return _step(
        gov, actor, cs_id, if_match, Action.SUBMIT, "submit", lambda cs, now, _four: workflow.submit(cs, now)
    )


def approve(
    gov: Governance, actor: Actor, cs_id: int, if_match: str | None, note: str | None = None
) -> ChangeSet:
    return _step(
        gov,
        actor,
        cs_id,
        if_match,
        Action.REVIEW,
        "approve",
        lambda cs, now, four: workflow.approve(cs, actor.name, now, four_eyes=four),
        note,
    )


def reject(gov: Governance, actor: Actor, cs_id: int, if_match: str | None, reason: str | None) -> ChangeSet:
    return _step(
        gov,
        actor,
        cs_id,
        if_match,
        Action.REVIEW,
        "reject",
        lambda cs, now, _four: workflow.reject(cs, actor.name, reason, now),
        reason,
    )


def whole_classification(cs: ChangeSet) -> bool:
    """Whether the change set changes the classification itself (metadata, levels): no code scope
    covers that, so only roles not narrowed to some codes may edit, submit, review or publish it."""
    return cs.levels is not None or cs.metadata is not None


def code_paths(draft: DraftView, entries: list[Entry]) -> tuple[CodePath, ...]:
    """Every code the entries touch, with its parents before and after (for code-scoped roles)."""
    day = draft.cs.effective
    paths: list[CodePath] = []
    for entry in entries:
        after = draft.on(entry.code, day)
        before = next((f for f in draft.registry(entry.code) if f.valid.contains(day)), None)
        places: list[Item | None] = [i for i in (after, before) if i is not None] or [None]
        for item in places:  # a new code has no place before; an expired one none after
            try:
                chain = draft.ancestors(item, day) if item is not None else ()
            except InvalidContent:
                chain = ()
            paths.append(CodePath(entry.code, chain))
    return tuple(paths)


def histories(draft: DraftView, entries: list[Entry]) -> dict[str, tuple[Item, ...]]:
    return {e.code: draft.history(e.code) for e in entries}


def check(uow: GovernanceUnitOfWork, draft: DraftView, entries: list[Entry]) -> dict[str, tuple[Item, ...]]:
    """The draft's new histories; ``InvalidContent`` if the state it leads to breaks the hierarchy."""
    with rules():
        new = histories(draft, entries)
    cid = draft.cs.classification_id
    days = {draft.cs.effective} | {
        f.valid.end
        for facts in new.values()
        for f in facts
        if f.valid.end is not None and f.valid.end > draft.cs.effective
    }
    found: list[str] = []
    for day in sorted(days):
        state = {i.code: i for i in uow.items_at(cid, day, CURRENT)}
        for code in new:
            state.pop(code, None)
        state.update(edits.state_on(new, day))
        found.extend(edits.problems(state, new, day))
    if found:
        shown = "; ".join(found[:5]) + (f" (and {len(found) - 5} more)" if len(found) > 5 else "")
        raise InvalidContent(
            f"{len(found)} problem(s): {shown}", location=f"change set {draft.cs_id}", problems=found[:50]
        )
    return new
