"""Dependencies: the registry the app was built with, and who is calling."""

from __future__ import annotations

from typing import Annotated

from fastapi import Depends, Header, Request

from kodeks.bootstrap import Kodeks
from kodeks.errors import Unauthorized


def get_kodeks(request: Request) -> Kodeks:
    kodeks: Kodeks = request.app.state.kodeks
    return kodeks


KodeksDep = Annotated[Kodeks, Depends(get_kodeks)]


def require_user(kodeks: KodeksDep, authorization: Annotated[str | None, Header()] = None) -> str:
    """The caller's identity from a bearer token; 401 for anonymous or unknown tokens.

    Delegates to governance (``api.governance_deps``): users' API tokens, an OIDC provider's tokens, and
    the configured ``KODEKS_API_TOKENS`` (administrators ``token-1``, ``token-2``, ... for a fresh
    installation). Comparison is constant-time and the token never appears in an error.
    """
    from kodeks.api.governance_deps import authenticate

    if not authorization:
        raise Unauthorized("authentication required: send 'Authorization: Bearer <token>'")
    actor = authenticate(kodeks, authorization)
    if actor.user_id is None:
        raise Unauthorized("authentication required: send 'Authorization: Bearer <token>'")
    return actor.user_id
