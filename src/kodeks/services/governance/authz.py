"""Authorization: one function every write (and every restricted read) goes through.

    authorize(actor, action, resource)   # returns, or raises Unauthorized (401) / Forbidden (403)

Resources are built from what the registry and the access policies hold (``resource_for``), so the
owner organisation and the public-read flag are never taken from the caller.
"""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime

from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import AccessPolicy, CodePath, Resource, decide
from kodeks.domain.governance.roles import Action, ResourceKind
from kodeks.errors import Forbidden, NotFound, Unauthorized
from kodeks.services.governance.ports import GovernanceUnitOfWork

#: A recorded time after every registration: reads "as currently known" with it.
CURRENT = datetime(9999, 12, 31)


def authorize(actor: Actor, action: Action, resource: Resource) -> None:
    """Return if ``actor`` may do ``action`` to ``resource``; else 401 (not signed in) or 403."""
    decision = decide(actor, action, resource)
    if decision.allowed:
        return
    if decision.needs_authentication:
        raise Unauthorized(decision.reason)
    raise Forbidden(decision.reason, action=str(action), resource=resource.describe())


def authorize_any(actor: Actor, actions: Sequence[Action], resource: Resource) -> None:
    """Return if ``actor`` may do at least one of ``actions`` to ``resource``; else as ``authorize``
    for the first of them."""
    if not any(may(actor, action, resource) for action in actions):
        authorize(actor, actions[0], resource)


def may(actor: Actor, action: Action, resource: Resource) -> bool:
    return decide(actor, action, resource).allowed


def policy_for(uow: GovernanceUnitOfWork, kind: ResourceKind, resource_id: str) -> AccessPolicy:
    """The resource's access policy; if none was set, the default (no owner, default read, four eyes)."""
    return uow.governance.policy(kind, resource_id) or AccessPolicy(kind, resource_id)


def resource_for(
    uow: GovernanceUnitOfWork,
    kind: ResourceKind,
    resource_id: str,
    *,
    public_copyrighted: bool,
    copyrighted: bool = False,
    codes: Sequence[CodePath] = (),
    whole: bool = False,
) -> Resource:
    """The resource as governance sees it (for sortiments and profiles: pass ``copyrighted`` yourself)."""
    policy = policy_for(uow, kind, resource_id)
    public = policy.is_public(copyrighted=copyrighted, public_copyrighted=public_copyrighted)
    return Resource(kind, resource_id, owner=policy.owner, public=public, codes=tuple(codes), whole=whole)


def classification_resource(
    uow: GovernanceUnitOfWork,
    classification_id: str,
    *,
    public_copyrighted: bool,
    codes: Sequence[CodePath] = (),
    whole: bool = False,
) -> Resource:
    """A classification as a resource; ``NotFound`` when the registry has no such classification.

    ``whole``: the action touches the classification's own metadata or levels (not only items)."""
    found = uow.classification(classification_id, CURRENT)
    if found is None:
        raise NotFound(f"no classification {classification_id!r}", classification=classification_id)
    return resource_for(
        uow,
        ResourceKind.CLASSIFICATION,
        classification_id,
        public_copyrighted=public_copyrighted,
        copyrighted=found.copyrighted,
        codes=codes,
        whole=whole,
    )
