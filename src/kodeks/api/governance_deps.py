"""Who is calling, and may they read this: dependencies for every route module.

    current_actor   the caller as an ``Actor`` (``ANONYMOUS`` without credentials; 401 for bad ones)
    require_actor   the same, but 401 for anonymous callers
    read_access     on routes with a ``classification_id``: 401/403 when its public read is off and
                    the caller has no role that allows reading it; nothing to do for public ones
    write_gate      every write, before its body is read: 401 without valid credentials; for
                    governed routes with a ``classification_id`` also 403 without any role that may
                    change that classification (the service decides the exact action afterwards)
    get_governance  the governance context (``kodeks.services.governance.context.Governance``)

Other route modules authorize with ``kodeks.services.governance.authz.authorize(actor, action, resource)``.
Credentials are bearer tokens (``Authorization: Bearer <token>``): a Kodeks API token, a configured
bootstrap token, or an OIDC provider's JWT when one is configured. They never appear in errors or logs.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Annotated

from fastapi import Depends, Header, Request
from sqlalchemy import Engine

from kodeks.api.deps import KodeksDep
from kodeks.bootstrap import Kodeks
from kodeks.config import Settings
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.roles import Action
from kodeks.errors import Unauthorized
from kodeks.services.governance import identity
from kodeks.services.governance.authz import authorize, authorize_any, classification_resource
from kodeks.services.governance.context import Governance
from kodeks.services.governance.reading import read_resource
from kodeks.services.importing import Listener
from kodeks.storage.governance import open_governance


@lru_cache(maxsize=16)
def _governance(engine: Engine, settings: Settings, listeners: tuple[Listener, ...]) -> Governance:
    return open_governance(engine, settings, listeners)


def governance_for(kodeks: Kodeks) -> Governance:
    return _governance(kodeks.engine, kodeks.settings, tuple(kodeks.listeners))


def get_governance(kodeks: KodeksDep) -> Governance:
    return governance_for(kodeks)


GovernanceDep = Annotated[Governance, Depends(get_governance)]


def bearer(authorization: str | None) -> str | None:
    """The credential of an ``Authorization: Bearer`` header (``None`` without a header)."""
    if authorization is None:
        return None
    scheme, _, credential = authorization.strip().partition(" ")
    if scheme.lower() != "bearer" or not credential.strip():
        raise Unauthorized("authentication must be sent as 'Authorization: Bearer <token>'")
    return credential.strip()


def authenticate(kodeks: Kodeks, authorization: str | None) -> Actor:
    return identity.authenticate(governance_for(kodeks), bearer(authorization))


def current_actor(
    request: Request, gov: GovernanceDep, authorization: Annotated[str | None, Header()] = None
) -> Actor:
    cached: Actor | None = getattr(request.state, "kodeks_actor", None)
    if cached is None:
        cached = identity.authenticate(gov, bearer(authorization))
        request.state.kodeks_actor = cached
    return cached


ActorDep = Annotated[Actor, Depends(current_actor)]


def require_actor(actor: ActorDep) -> Actor:
    if not actor.authenticated:
        raise Unauthorized("authentication required: send 'Authorization: Bearer <token>'")
    return actor


RequiredActor = Annotated[Actor, Depends(require_actor)]


def read_access(request: Request, gov: GovernanceDep) -> None:
    """Guard for read routes: a classification whose public read is off needs a role that allows reading."""
    classification_id = request.path_params.get("classification_id")
    if not classification_id:
        return
    resource = read_resource(gov, classification_id)
    if resource is None or resource.public:
        return
    actor = current_actor(request, gov, request.headers.get("authorization"))
    authorize(actor, Action.READ, resource)


#: What a write on a classification may need; a caller allowed none of them is refused at the door.
WRITE_ACTIONS = (Action.DRAFT, Action.SUBMIT, Action.REVIEW, Action.PUBLISH, Action.ADMINISTER)


def write_gate(request: Request, *, governed: bool = False) -> Actor:
    """401 for anonymous callers and bad credentials; with ``governed``, 403 (or 404) when the path
    names a classification the caller may not change at all. Runs before the body is read."""
    gov = governance_for(request.app.state.kodeks)
    actor = current_actor(request, gov, request.headers.get("authorization"))
    if not actor.authenticated:
        raise Unauthorized("authentication required: send 'Authorization: Bearer <token>'")
    classification_id = request.path_params.get("classification_id")
    if governed and classification_id:
        with gov.uow() as uow:
            resource = classification_resource(
                uow, classification_id, public_copyrighted=gov.public_copyrighted
            )
        authorize_any(actor, WRITE_ACTIONS, resource)
    return actor
