"""The access decision: may this actor do this action to this resource?

Rules, in order:
1. an administrator may do everything;
2. anyone, signed in or not, may ``read`` a resource whose public read is on;
3. otherwise the actor needs a role assignment that matches the resource — the resource itself, or
   the organisation that owns it — whose role allows the action; an assignment narrowed to some codes
   allows an action on items only when it covers every code the action touches, and never allows an
   action on the resource as a whole (``ADMINISTER``, ``CREATE``, ``MANAGE_USERS``, and any action
   on a resource marked ``whole``: a classification's own metadata and levels).
"""

from __future__ import annotations

from dataclasses import dataclass

from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.roles import UNSCOPED, WHOLE_RESOURCE, Action, ResourceKind, RoleAssignment


@dataclass(frozen=True, slots=True)
class CodePath:
    """A code and its parents, nearest first: what a code scope is checked against."""

    code: str
    ancestors: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Resource:
    """What an action is about. ``owner`` is the owning organisation's id (``None``: nobody yet).

    ``codes`` are the items the action touches. ``whole`` says the action also touches the resource
    itself (a change set carrying a classification's metadata or levels): no code scope covers that.
    """

    kind: ResourceKind
    id: str
    owner: str | None = None
    public: bool = False
    codes: tuple[CodePath, ...] = ()
    whole: bool = False

    def describe(self) -> str:
        return f"{self.kind} {self.id!r}"


def organisation_resource(org_id: str) -> Resource:
    return Resource(ResourceKind.ORGANISATION, org_id, owner=org_id)


@dataclass(frozen=True, slots=True)
class Decision:
    allowed: bool
    reason: str = ""
    needs_authentication: bool = False


ALLOW = Decision(True)


def _matches(grant: RoleAssignment, resource: Resource) -> bool:
    if grant.resource_kind is ResourceKind.ORGANISATION:
        return resource.owner is not None and grant.resource_id == resource.owner
    return grant.resource_kind is resource.kind and grant.resource_id == resource.id


def _covers(grant: RoleAssignment, action: Action, resource: Resource) -> bool:
    if grant.codes is None or action in UNSCOPED:
        return True
    if action in WHOLE_RESOURCE or resource.whole:
        return False
    scope = grant.codes
    return all(scope.covers(path.code, path.ancestors) for path in resource.codes)


def decide(actor: Actor, action: Action, resource: Resource) -> Decision:
    if actor.admin:
        return ALLOW
    if action is Action.READ and resource.public:
        return ALLOW
    if not actor.authenticated:
        return Decision(
            False, f"authentication required to {action} {resource.describe()}", needs_authentication=True
        )
    matching = [g for g in actor.grants if _matches(g, resource) and g.allows(action)]
    if any(_covers(g, action, resource) for g in matching):
        return ALLOW
    if matching:
        outside = [
            p.code
            for p in resource.codes
            if not any(g.codes is None or g.codes.covers(p.code, p.ancestors) for g in matching)
        ]
        if outside:
            detail = f"codes outside your scope: {', '.join(outside[:10])}"
        elif resource.whole:
            detail = "the classification's metadata and levels need a role not narrowed to some codes"
        else:
            detail = "your role is narrowed to some codes"
        return Decision(False, f"{actor.name} may not {action} {resource.describe()} ({detail})")
    return Decision(False, f"{actor.name} has no role that allows {action} on {resource.describe()}")


@dataclass(frozen=True, slots=True)
class AccessPolicy:
    """How a resource is governed: its owner, whether anyone may read it, whether four eyes publish.

    ``public_read`` ``None`` means the default: public, unless the content is copyrighted and the
    installation does not publish copyrighted content openly (``Settings.public_copyrighted``).
    """

    kind: ResourceKind
    resource_id: str
    owner: str | None = None
    public_read: bool | None = None
    four_eyes: bool = True

    def is_public(self, *, copyrighted: bool, public_copyrighted: bool) -> bool:
        if self.public_read is not None:
            return self.public_read
        return not copyrighted or public_copyrighted
