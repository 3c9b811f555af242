"""Assigning and revoking roles. Whoever administers a resource (its owners) hands out roles on it."""

from __future__ import annotations

from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.policy import Resource, organisation_resource
from kodeks.domain.governance.roles import Action, CodeScope, ResourceKind, Role, RoleAssignment
from kodeks.errors import Conflict, Forbidden, NotFound, Unauthorized
from kodeks.services.governance import audit
from kodeks.services.governance.authz import authorize, classification_resource, may, resource_for
from kodeks.services.governance.context import Governance
from kodeks.services.governance.ports import GovernanceUnitOfWork


def _resource(gov: Governance, uow: GovernanceUnitOfWork, kind: ResourceKind, resource_id: str) -> Resource:
    if kind is ResourceKind.ORGANISATION:
        if uow.governance.organisation(resource_id) is None:
            raise NotFound(f"no organisation {resource_id!r}", organisation=resource_id)
        return organisation_resource(resource_id)
    if kind is ResourceKind.CLASSIFICATION:
        return classification_resource(uow, resource_id, public_copyrighted=gov.public_copyrighted)
    return resource_for(uow, kind, resource_id, public_copyrighted=gov.public_copyrighted)


def assign(
    gov: Governance,
    actor: Actor,
    user_id: str,
    role: Role,
    kind: ResourceKind,
    resource_id: str,
    codes: str | None = None,
) -> RoleAssignment:
    """Give ``user_id`` ``role`` on a resource (or on everything an organisation owns)."""
    scope = CodeScope(codes) if codes else None
    with gov.uow(write=True) as uow:
        resource = _resource(gov, uow, kind, resource_id)
        authorize(actor, Action.ADMINISTER, resource)
        if uow.governance.user(user_id) is None:
            raise NotFound(f"no user {user_id!r}", user=user_id)
        now = gov.now()
        assignment = RoleAssignment(user_id, role, kind, resource_id, scope, None, now, actor.name)
        same = [
            a
            for a in uow.governance.assignments(user_id=user_id, kind=kind, resource_id=resource_id)
            if a.role is role and a.codes == scope
        ]
        if same:
            raise Conflict(f"{user_id} has {assignment.describe()} already", assignment=same[0].id)
        new_id = uow.governance.add_assignment(assignment)
        audit.record(
            uow,
            now,
            actor,
            "role.assign",
            classification_id=resource_id if kind is ResourceKind.CLASSIFICATION else None,
            assignment=new_id,
            user=user_id,
            role=str(role),
            resource=f"{kind}:{resource_id}",
            codes=codes,
        )
        uow.commit()
    return RoleAssignment(user_id, role, kind, resource_id, scope, new_id, now, actor.name)


def revoke(gov: Governance, actor: Actor, assignment_id: int, reason: str | None = None) -> RoleAssignment:
    with gov.uow(write=True) as uow:
        assignment = uow.governance.assignment(assignment_id)
        if assignment is None:
            if not actor.authenticated:
                raise Unauthorized("authentication required to revoke a role")
            raise NotFound(f"no role assignment {assignment_id} in force", assignment=assignment_id)
        resource = _resource(gov, uow, assignment.resource_kind, assignment.resource_id)
        authorize(actor, Action.ADMINISTER, resource)
        now = gov.now()
        uow.governance.revoke("role", str(assignment_id), now, actor.name, reason)
        audit.record(
            uow,
            now,
            actor,
            "role.revoke",
            classification_id=assignment.resource_id
            if assignment.resource_kind is ResourceKind.CLASSIFICATION
            else None,
            assignment=assignment_id,
            user=assignment.user_id,
            role=str(assignment.role),
            resource=f"{assignment.resource_kind}:{assignment.resource_id}",
            reason=reason,
        )
        uow.commit()
    return assignment


def assignments(
    gov: Governance,
    actor: Actor,
    *,
    user_id: str | None = None,
    kind: ResourceKind | None = None,
    resource_id: str | None = None,
) -> list[RoleAssignment]:
    """Assignments in force: one's own always; others' where one administers the resource."""
    if not actor.authenticated:
        raise Unauthorized("authentication required to list roles")
    with gov.uow() as uow:
        found = uow.governance.assignments(user_id=user_id, kind=kind, resource_id=resource_id)
        visible: list[RoleAssignment] = []
        for a in found:
            if actor.admin or a.user_id == actor.user_id:
                visible.append(a)
                continue
            try:
                resource = _resource(gov, uow, a.resource_kind, a.resource_id)
            except NotFound:
                continue
            if may(actor, Action.ADMINISTER, resource):
                visible.append(a)
    if (user_id or resource_id) and found and not visible:
        raise Forbidden(f"{actor.name} may not see these role assignments")
    return visible
