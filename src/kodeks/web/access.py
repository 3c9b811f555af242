"""Who is looking, and may they: the web's side of governance.

The pages read through the same access policy as the read API: a classification whose public read
is off (for instance copyrighted content when ``public_copyrighted`` is off) needs a signed-in user
with a role that allows reading it. Editors sign in with their Kodeks API token; it is kept in an
HttpOnly, SameSite=Strict cookie and checked on every request. Every form that changes something
carries a CSRF token derived from the credential (a page on another site can neither read the
cookie nor compute it), and a cross-site ``Origin`` is refused outright.
"""

from __future__ import annotations

import hashlib
import hmac
from functools import lru_cache

from sqlalchemy import Engine
from starlette.requests import Request

from kodeks.bootstrap import Kodeks
from kodeks.config import Settings
from kodeks.domain.governance.identity import Actor
from kodeks.domain.governance.roles import Action
from kodeks.errors import Forbidden, Unauthorized
from kodeks.services.governance import identity
from kodeks.services.governance.authz import authorize, may
from kodeks.services.governance.context import Governance
from kodeks.services.governance.reading import read_resource
from kodeks.services.importing import Listener
from kodeks.storage.governance import open_governance

SESSION_COOKIE = "kodeks_editor"
#: The longest credential accepted from the sign-in form (OIDC JWTs are long; API tokens are short).
MAX_CREDENTIAL = 8192


@lru_cache(maxsize=16)
def _governance(engine: Engine, settings: Settings, listeners: tuple[Listener, ...]) -> Governance:
    return open_governance(engine, settings, listeners)


def governance(kodeks: Kodeks) -> Governance:
    return _governance(kodeks.engine, kodeks.settings, tuple(kodeks.listeners))


def credential(request: Request) -> str | None:
    value = request.cookies.get(SESSION_COOKIE)
    return value if value and len(value) <= MAX_CREDENTIAL else None


def actor(kodeks: Kodeks, request: Request) -> Actor:
    """The signed-in user, or the anonymous actor (a stale or revoked cookie counts as signed out)."""
    cached: Actor | None = getattr(request.state, "kodeks_web_actor", None)
    if cached is not None:
        return cached
    gov = governance(kodeks)
    try:
        found = identity.authenticate(gov, credential(request))
    except Unauthorized:
        found = identity.authenticate(gov, None)
    request.state.kodeks_web_actor = found
    return found


def require_read(kodeks: Kodeks, request: Request, classification_id: str) -> None:
    """401 (sign in) or 403 when the classification is not public and the reader may not read it."""
    resource = read_resource(governance(kodeks), classification_id)
    if resource is None or resource.public:
        return
    authorize(actor(kodeks, request), Action.READ, resource)


def readable(kodeks: Kodeks, request: Request, classification_id: str) -> bool:
    resource = read_resource(governance(kodeks), classification_id)
    return resource is None or resource.public or may(actor(kodeks, request), Action.READ, resource)


def csrf_token(secret: str) -> str:
    return hmac.new(secret.encode(), b"kodeks-web-form", hashlib.sha256).hexdigest()[:40]


def check_origin(request: Request) -> None:
    """Refuse a form post whose ``Origin`` is another site (403)."""
    origin = request.headers.get("origin")
    if origin is not None and origin != f"{request.url.scheme}://{request.url.netloc}":
        raise Forbidden("the form was sent from another site")


def check_form(request: Request, sent: str | None) -> None:
    """Refuse a form post from another site or without the session's CSRF token (403)."""
    check_origin(request)
    secret = credential(request)
    if secret is None:
        raise Unauthorized("sign in first")
    if not sent or not hmac.compare_digest(sent, csrf_token(secret)):
        raise Forbidden("the form is out of date or was not sent from Kodeks; reload the page and try again")
