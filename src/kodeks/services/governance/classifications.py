"""Creating classifications and governing them: owner, public read, four eyes, and their version tag."""

from __future__ import annotations

from dataclasses import dataclass, replace
from typing import Any

from kodeks.domain.classification import Classification
from kodeks.domain.governance.etag import classification_etag
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import AccessPolicy, organisation_resource
from kodeks.domain.governance.roles import Action, ResourceKind
from kodeks.errors import Conflict, InvalidRequest, NotFound
from kodeks.services.clock import next_recorded_at
from kodeks.services.governance import audit
from kodeks.services.governance.authz import CURRENT, authorize, classification_resource, policy_for
from kodeks.services.governance.concurrency import require_match
from kodeks.services.governance.context import Governance
from kodeks.services.governance.ports import GovernanceUnitOfWork
from kodeks.services.ports import Registration


@dataclass(frozen=True, slots=True)
class Governed:
    """A classification with its access policy, whether it is public, and its current version tag."""

    classification: Classification
    policy: AccessPolicy
    public: bool
    etag: str


def current_etag(uow: GovernanceUnitOfWork, classification_id: str) -> str:
    return classification_etag(classification_id, uow.governance.registry_head(classification_id))


def _governed(gov: Governance, uow: GovernanceUnitOfWork, classification_id: str) -> Governed:
    found = uow.classification(classification_id, CURRENT)
    if found is None:
        raise NotFound(f"no classification {classification_id!r}", classification=classification_id)
    policy = policy_for(uow, ResourceKind.CLASSIFICATION, classification_id)
    public = policy.is_public(copyrighted=found.copyrighted, public_copyrighted=gov.public_copyrighted)
    return Governed(found, policy, public, current_etag(uow, classification_id))


def governed(gov: Governance, actor: Actor, classification_id: str) -> Governed:
    with gov.uow() as uow:
        authorize(
            actor,
            Action.READ,
            classification_resource(uow, classification_id, public_copyrighted=gov.public_copyrighted),
        )
        return _governed(gov, uow, classification_id)


def create(
    gov: Governance,
    actor: Actor,
    classification: Classification,
    *,
    owner: str,
    public_read: bool | None = None,
    four_eyes: bool = True,
    note: str | None = None,
) -> Governed:
    """Register a new, empty classification owned by ``owner``; its items come through change sets."""
    authorize(actor, Action.CREATE, organisation_resource(owner))
    with gov.uow(write=True) as uow:
        if uow.governance.organisation(owner) is None:
            raise NotFound(f"no organisation {owner!r}", organisation=owner)
        uow.governance.lock(f"classification:{classification.id}")
        if uow.classification(classification.id, CURRENT) is not None:
            raise Conflict(
                f"classification {classification.id!r} exists already", classification=classification.id
            )
        cid = classification.id
        at = next_recorded_at(gov.clock, uow.last_recorded_at())
        classification = replace(classification, owner=owner)
        uow.record_classification(classification, at)
        uow.add_registration(Registration(cid, at, "create", actor.name, note, {"owner": owner}), None)
        policy = AccessPolicy(ResourceKind.CLASSIFICATION, cid, owner, public_read, four_eyes)
        uow.governance.set_policy(policy, at, actor.name)
        audit.record(
            uow, at, actor, "classification.create", classification_id=cid, note=note, **_policy_dict(policy)
        )
        uow.commit()
        gov.forget_reads()
        return _governed(gov, uow, classification.id)


POLICY_FIELDS = frozenset({"owner", "public_read", "four_eyes"})


def update_policy(
    gov: Governance, actor: Actor, classification_id: str, if_match: str | None, changes: dict[str, Any]
) -> Governed:
    """Change who owns a classification (``owner``), whether anyone may read it (``public_read``; ``None``
    is the default for its licence) and the four-eyes rule (``four_eyes``). Only the keys given change."""
    unknown = set(changes) - POLICY_FIELDS
    if unknown:
        raise InvalidRequest(f"unknown policy fields: {', '.join(sorted(unknown))}")
    with gov.uow(write=True) as uow:
        authorize(
            actor,
            Action.ADMINISTER,
            classification_resource(uow, classification_id, public_copyrighted=gov.public_copyrighted),
        )
        uow.governance.lock(f"classification:{classification_id}")
        before = _governed(gov, uow, classification_id)
        require_match(if_match, before.etag, f"the policy of {classification_id}")
        owner = changes.get("owner", before.policy.owner)
        if owner is not None and uow.governance.organisation(owner) is None:
            raise NotFound(f"no organisation {owner!r}", organisation=owner)
        public_read = changes.get("public_read", before.policy.public_read)
        four_eyes = changes.get("four_eyes", before.policy.four_eyes)
        if not isinstance(four_eyes, bool) or not isinstance(public_read, bool | None):
            raise InvalidRequest("four_eyes must be true or false; public_read true, false or null")
        policy = replace(before.policy, owner=owner, public_read=public_read, four_eyes=four_eyes)
        now = gov.now()
        uow.governance.set_policy(policy, now, actor.name)
        audit.record(
            uow,
            now,
            actor,
            "classification.policy",
            classification_id=classification_id,
            before=_policy_dict(before.policy),
            after=_policy_dict(policy),
        )
        uow.commit()
        gov.forget_reads()
        return _governed(gov, uow, classification_id)


def _policy_dict(policy: AccessPolicy) -> dict[str, Any]:
    return {"owner": policy.owner, "public_read": policy.public_read, "four_eyes": policy.four_eyes}
