"""Governance API: organisations, users, tokens, roles and the audit trail; ``mount`` adds the
change-set routes (``governance_changesets``) too. Every write names its actor by bearer token."""

from __future__ import annotations

from typing import Annotated, Any

from fastapi import APIRouter, FastAPI, Query
from fastapi.responses import JSONResponse

from kodeks.api import governance_changesets
from kodeks.api import governance_http as render
from kodeks.api.governance_deps import ActorDep, GovernanceDep, RequiredActor
from kodeks.api.governance_http import LimitedRoute
from kodeks.api.governance_schemas import OrganisationIn, RoleIn, TokenIn, UserIn
from kodeks.api.params import After, AssignmentId, Limit
from kodeks.domain.governance.identity import Organisation, User
from kodeks.domain.governance.roles import ResourceKind
from kodeks.errors import InvalidRequest
from kodeks.services.governance import audit, identity, roles

router = APIRouter(prefix="/api/v1", tags=["governance"], route_class=LimitedRoute)
Reason = Annotated[str | None, Query(max_length=2000, description="why (kept in the audit trail)")]


def _valid(make: Any, *args: Any, **kwargs: Any) -> Any:
    try:
        return make(*args, **kwargs)
    except ValueError as exc:
        raise InvalidRequest(str(exc)) from None


@router.get("/me")
def me(actor: RequiredActor) -> JSONResponse:
    return JSONResponse(
        {
            "user": actor.user_id,
            "organisation": actor.organisation,
            "admin": actor.admin,
            "via": str(actor.via),
            "roles": [render.role(g) for g in actor.grants],
        }
    )


@router.post("/organisations", status_code=201)
def create_organisation(body: OrganisationIn, gov: GovernanceDep, actor: ActorDep) -> JSONResponse:
    org = _valid(Organisation, body.id, body.name, body.kind)
    return JSONResponse(render.organisation(identity.create_organisation(gov, actor, org)), status_code=201)


@router.get("/organisations")
def list_organisations(gov: GovernanceDep, actor: ActorDep) -> JSONResponse:
    return JSONResponse([render.organisation(o) for o in identity.organisations(gov, actor)])


@router.post("/users", status_code=201)
def create_user(body: UserIn, gov: GovernanceDep, actor: ActorDep) -> JSONResponse:
    new = _valid(User, body.id, body.organisation, body.name, body.admin, body.oidc_subject)
    return JSONResponse(render.user(identity.create_user(gov, actor, new)), status_code=201)


@router.get("/users")
def list_users(
    gov: GovernanceDep, actor: ActorDep, organisation: Annotated[str, Query(max_length=64)]
) -> JSONResponse:
    return JSONResponse([render.user(u) for u in identity.users(gov, actor, organisation)])


@router.post("/tokens", status_code=201)
def issue_token(body: TokenIn, gov: GovernanceDep, actor: ActorDep) -> JSONResponse:
    """Issue an API token; the response is the only time the token itself is shown."""
    issued = identity.issue_token(gov, actor, body.user, body.name, body.days)
    return JSONResponse(
        {**render.token(issued.record), "token": issued.secret},
        status_code=201,
        headers={"Cache-Control": "no-store"},
    )


@router.get("/tokens")
def list_tokens(
    gov: GovernanceDep, actor: ActorDep, user: Annotated[str | None, Query(max_length=100)] = None
) -> JSONResponse:
    return JSONResponse([render.token(t) for t in identity.tokens(gov, actor, user)])


@router.delete("/tokens/{token_id}")
def revoke_token(token_id: str, gov: GovernanceDep, actor: ActorDep, reason: Reason = None) -> JSONResponse:
    """Revoke a token: a revocation is recorded (nothing is deleted); the token stops working at once."""
    return JSONResponse(render.token(identity.revoke_token(gov, actor, token_id[:64], reason)))


@router.post("/roles", status_code=201)
def assign_role(body: RoleIn, gov: GovernanceDep, actor: ActorDep) -> JSONResponse:
    assignment = _valid(
        roles.assign, gov, actor, body.user, body.role, body.resource_kind, body.resource_id, body.codes
    )
    return JSONResponse(render.role(assignment), status_code=201)


@router.get("/roles")
def list_roles(
    gov: GovernanceDep,
    actor: ActorDep,
    user: Annotated[str | None, Query(max_length=100)] = None,
    resource_kind: ResourceKind | None = None,
    resource_id: Annotated[str | None, Query(max_length=64)] = None,
) -> JSONResponse:
    found = roles.assignments(gov, actor, user_id=user, kind=resource_kind, resource_id=resource_id)
    return JSONResponse([render.role(a) for a in found])


@router.delete("/roles/{assignment_id}")
def revoke_role(
    assignment_id: AssignmentId, gov: GovernanceDep, actor: ActorDep, reason: Reason = None
) -> JSONResponse:
    return JSONResponse(render.role(roles.revoke(gov, actor, assignment_id, reason)))


@router.get("/audit")
def full_audit(gov: GovernanceDep, actor: ActorDep, after: After = 0, limit: Limit = 100) -> JSONResponse:
    """Every audit entry (administrators): organisations, users, tokens, roles and classifications."""
    trail = audit.full_trail(gov, actor, after=after, limit=limit)
    return JSONResponse([render.audit_entry(a) for a in trail])


def mount(app: FastAPI) -> None:
    app.include_router(router)
    app.include_router(governance_changesets.router)
